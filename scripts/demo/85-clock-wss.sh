#!/bin/sh
# title: Working set and the clock algorithm, from real referenced bits
# concepts: C20 C23
# key-fact: 1-handed clock over [0-9]+ pages \([0-9]+ hot\): [0-9]+ evictions, 0 of hot pages
echo "wss runs a workload in a thread and, from the main thread, clears the"
echo "region's A bits, flushes the TLB, waits, and counts what was used: the"
echo "working set. The 'phases' workload uses one quarter of 4 MiB at a time."
echo
echo "\$ wss --workload phases --samples 8 --interval 150"
wss --workload phases --samples 8 --interval 150
echo
echo "Clock page-out: the hand sweeps the pages in a circle. Referenced (A=1):"
echo "clear A, second chance. Not referenced: evict. The 'hotcold' workload"
echo "uses 10% of the pages all the time and the rest rarely."
echo
echo "\$ wss --workload hotcold --clock 1 --samples 6 --interval 150"
wss --workload hotcold --clock 1 --samples 6 --interval 150
echo
echo "Two hands: the front hand clears A, the back hand (--spread pages"
echo "behind) evicts what was not used in between; the spread sets how long"
echo "a page has to prove it is in use."
echo "\$ wss --workload hotcold --clock 2 --spread 512 --samples 6 --interval 150"
wss --workload hotcold --clock 2 --spread 512 --samples 6 --interval 150
