# write permission and back: an unfaulted anonymous VMA drops its charge
spawn
mmap 1 0x200000000000 1p r noreplace
mmap 1 0x200000001000 2p r noreplace
maps 1
mprotect 1 0x200000001000 1p rw
mprotect 1 0x200000001000 1p r
maps 1
mmap 1 0x200000008000 1p r noreplace
mprotect 1 0x200000000000 9p none
maps 1
