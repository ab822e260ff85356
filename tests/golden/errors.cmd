# exit: 1
# Bad input: one clear message each on stderr, nothing changes.
frobnicate
alloc_pages
alloc_pages 11
alloc_pages -1
alloc_pages x7
alloc_pages 0 --zone Bogus
alloc_pages 0 --node 3
alloc_pages 0 --bogus
free_pages 0x0
free_pages 12345678901
free_pages zz
machine --arch sparc
machine --ram 1K
machine --ram lots
machine --nodes 0
machine --nodes 9
machine --tlb 64x3
machine --asid maybe
machine --arch toy --va-bits 15 --page-size 32 --levels 5,4
buddyinfo
say 'unterminated
events x
help nosuch
