# exit: 1
refstring 1,2,3
refstring --frames 0 1,2
refstring --frames 3 --policy lfu 1,2
refstring --frames 3 --policy rand 1,2
refstring --frames 3 1,,2
refstring --frames 3 1,two,3
refstring --frames 3
refstring --frames 3 @/nonexistent/refs
policy lfu
policy
