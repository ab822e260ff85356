# exit: 1
# Generated problems are the same for the same seed; --solve explains.
exercise policy --seed 7 --solve
exercise policy --seed 2 --policy clock --frames 4 --length 14 --solve
exercise policy --seed 3 --policy lru2q --frames 4 --solve
exercise policy --seed 11 --policy fifo
exercise policy --seed 1 --policy rand
exercise policy --frames 9
