# A process on x86_64 as execve leaves it (ASLR off), and its views.
spawn bash
maps 1
mmap 1 64K
mmap 1 0x7ffff7fd9000 64K
malloc 1 100
malloc 1 200000
maps 1
pmap 1
status 1
fork 1
ps
exit 1
ps
