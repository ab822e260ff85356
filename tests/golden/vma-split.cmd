# Splitting and merging VMAs through mprotect, munmap and mmap.
spawn
# three pages; protect the middle one: one VMA becomes three
mmap 1 0x100000000000 3p rw
mprotect 1 0x100000001000 1p r
maps 1
# undo it: the three merge back into one
mprotect 1 0x100000001000 1p rw
maps 1
# unmap across: from inside A, across B, into C
mmap 1 0x100000003000 2p r
mmap 1 0x100000005000 2p rx
munmap 1 0x100000001000 5p
maps 1
# new anonymous neighbours merge on both sides
mmap 1 0x100000001000 2p rw
mmap 1 0x100000003000 2p rw
maps 1
# a file merges only at contiguous offsets
file data 1M
mmap 1 0x200000000000 2p r file=data:0
mmap 1 0x200000002000 2p r file=data:2p
mmap 1 0x200000004000 2p r file=data:5p
mmap 1 0x200000008000 2p rw shared file=data
mmap 1 0x200000008000 2p rw noreplace
maps 1
mremap 1 0x100000000000 20K 40K
mremap 1 0x100000000000 20K 40K maymove
brk 1 +1M
brk 1 -1M
madvise 1 0x200000000000 8K dontneed
events 12
check
