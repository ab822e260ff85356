# i386: the classic text address, the 3G/1G split, the stack below 0xc0000000.
machine --arch i386
spawn
maps 1
mmap 1 8K
smaps 1
layout
