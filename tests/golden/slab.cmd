# exit: 1
# The slab allocator, top and explain (src/core/slab.c, src/report/top.c).
machine --ram 64M --swap 16M
spawn bash
kmalloc 100
kmalloc 100
explain
kmalloc 20000
slabinfo
meminfo
kfree 0xffff888001102000
kfree 0xffff888001102000
kfree 0xffff888001102088
kfree 0xffff888001110000
kfree 0xffff888001102080
explain
fork 1
mmap 1 0x100000000 1M
touch 1 0x100000000+128K w --quiet
top
