# munmap from the middle of one VMA across another into a third
spawn
mmap 1 0x200000000000 2p rw noreplace
mmap 1 0x200000002000 2p r noreplace
mmap 1 0x200000004000 2p rx noreplace
maps 1
munmap 1 0x200000001000 4p
maps 1
munmap 1 0x200000000000 16p
maps 1
