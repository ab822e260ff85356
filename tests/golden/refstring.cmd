# The classroom replacement policies (doc/policies.md).
# Silberschatz's string, 3 frames: FIFO 15 faults, LRU 12, OPT 9.
refstring --frames 3 --policy fifo 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1
refstring --frames 3 --policy opt --explain 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1
# Clock, traced by hand in doc/policies.md.
refstring --frames 3 --policy clock --explain 1,2,3,2,4,1,5,2
refstring --frames 4 --policy lru2q --explain 1,2,3,1,2,4,5,4,6
# Belady's anomaly: FIFO misses more with 4 frames than with 3.
refstring --frames 3,4 --policy fifo,lru 1,2,3,4,1,2,5,1,2,3,4,5
# Every policy side by side, totals only.
refstring --frames 3 --policy all 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1
# SEQ spread over several words, hex pages.
refstring --frames 2 --policy lru 1, 2 0x1 , 3
policy
policy clock
policy
refstring --frames 2 1,2,1,3
