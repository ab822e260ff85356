# Used by the TUI tests: one allocation split down from order 10, a
# question, then an order-0 allocation.
say An order-3 request when only order-10 blocks are free.
alloc_pages 3
ask How many pages does an order-3 block hold? = 8
alloc_pages 0
