# The foundation: the default machine, its zones and the buddy allocator.
info
buddyinfo
alloc_pages 7
alloc_pages 0 --zone DMA
buddyinfo
free_pages 0x1400
free_pages 0x1
buddyinfo
meminfo
free
events 12
machine --arch i386 --ram 1G
buddyinfo
zoneinfo
machine --arch x86_64 --ram 64M --nodes 2
buddyinfo
help alloc_pages
