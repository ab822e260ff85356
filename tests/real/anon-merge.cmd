# anonymous mappings with equal flags merge on either side and both
spawn
mmap 1 0x200000000000 2p rw noreplace
mmap 1 0x200000002000 2p rw noreplace
mmap 1 0x200000008000 2p rw noreplace
maps 1
mmap 1 0x200000006000 2p rw noreplace
mmap 1 0x200000004000 2p rw noreplace
mmap 1 0x20000000a000 2p r noreplace
maps 1
