# exit: 1
# Bad input is an error that changes nothing; a refused system call is a result.
spawn
maps 2
mmap 1 0
mmap 1 0x1ffffffffffffffff 4K
mmap 1 4K rwz
mmap 1 4K fixed
mmap 1 4K file=missing
mprotect 1 0x1000 4K
munmap x 0x1000 4K
free 1 0x1234
mmap 1 0x1001 4K fixed
mmap 1 0x7ffffffff000 4K fixed
mmap 1 0x555555554000 4K noreplace
munmap 1 0x1001 4K
mprotect 1 0x100000000000 4K r
mremap 1 0x100000000000 4K 8K
brk 1 0x1000
maps 1
