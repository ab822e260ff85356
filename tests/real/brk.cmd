# the heap grows and shrinks with brk, in place
spawn
maps 1
brk 1 +5p
maps 1
brk 1 -0x10000
maps 1
brk 1 +100
maps 1
