# Swap areas, reclaim and the OOM killer, through the command language.
machine --ram 32M --swap 16M
swaps
swapon 4M
swaps
spawn a
mmap 1 0x10000000 8M
touch 1 0x10000000+8M w --quiet
madvise 1 0x10000000 1M pageout
free
touch 1 0x10000000+64K r --quiet
reclaim 100
swapoff /swapfile1
swaps
swapoff
free
# Without swap, anonymous memory cannot be reclaimed: the OOM killer.
spawn big
mmap 2 0x10000000 24M
touch 2 0x10000000+24M w --quiet
ps
oom_score_adj 1
vmstat
