# exit: 1
# touch ranges: ADDR, ADDR+SIZE and ADDR-END are half-open byte ranges with
# one access per page (or per --stride); a range may end at the top of the
# address space, and one past it is an error.
spawn app
mmap 1 0x10000000 8K
touch 1 0x10000000+8K w
touch 1 0x10000000-0x10002000 r
touch 1 0x10000fff+2 r
touch 1 0x10000000+8K --stride 1K --quiet
touch 1 0x10000000-0x10000000 r
touch 1 0xffffffffffffffff+2
touch 1 0xffffffffffffffff
ps
