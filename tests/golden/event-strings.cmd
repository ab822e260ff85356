# Events name files and processes that may be gone by the time the log is
# read: the names must outlive them (run under ASan in CI).
spawn a
mmap 1 0x10000000 4K shared
touch 1 0x10000000 w
munmap 1 0x10000000 4K
file f 8K
spawn b
mmap 2 0x20000000 8K rw shared file=f
touch 2 0x20000000 w
exit 2
exit 1
events 400
