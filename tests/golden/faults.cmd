# Page faults as touch shows them: demand paging, the zero page, fork and
# copy-on-write, file faults, stack growth, SIGSEGV and SIGBUS, and the
# views computed from the real page state.
spawn bash
mmap 1 0x100000000000 4p rw fixed
touch 1 0x100000000000+2p r
touch 1 0x100000000000+2p w
touch 1 0x100000002000+2p w
touch 1 0x100000000000+4p r
translate 1 0x100000000123
fork 1
touch 2 0x100000000000 w
translate 2 0x100000000123
touch 1 0x100000000000 w
exit 2
touch 1 0x100000001000 w
file data 8K
mmap 1 0x200000000000 12K r private file=data fixed
touch 1 0x200000000000+2p r
spawn reader
mmap 3 0x200000000000 8K rw shared file=data fixed
touch 3 0x200000000000 w
touch 3 0x7ffffffdd000 w
switch 1
ps
status 1
pmap 1
frames
touch 1 0x200000002000 r
mprotect 3 0x200000000000 4K none
touch 3 0x200000000000 r
ps
vmstat
events 14
help touch
