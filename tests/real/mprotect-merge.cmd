# mprotect the middle page of three: split into three, then merge back
spawn
mmap 1 0x200000000000 3p rw noreplace
mprotect 1 0x200000001000 1p r
maps 1
mprotect 1 0x200000001000 1p rw
maps 1
