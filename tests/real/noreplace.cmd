# MAP_FIXED_NOREPLACE fails with EEXIST; MAP_FIXED replaces
spawn
mmap 1 0x200000000000 4p rw noreplace
mmap 1 0x200000001000 1p rw noreplace
mmap 1 0x200000003000 2p rw noreplace
maps 1
mmap 1 0x200000001000 2p r fixed
maps 1
