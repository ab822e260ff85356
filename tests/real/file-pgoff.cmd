# a file mapped in pieces: contiguous offsets merge, a gap does not
spawn
file data 16p
mmap 1 0x200000000000 2p r private file=data:0 noreplace
mmap 1 0x200000002000 2p r private file=data:2p noreplace
mmap 1 0x200000004000 2p r private file=data:5p noreplace
mmap 1 0x200000006000 2p r private anon noreplace
mmap 1 0x200000008000 2p rw shared file=data:8p noreplace
mmap 1 0x20000000a000 2p rw shared file=data:10p noreplace
maps 1
mprotect 1 0x200000001000 2p none
maps 1
