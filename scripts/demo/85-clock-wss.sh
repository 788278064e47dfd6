#!/bin/sh
# title: Working set and the clock algorithm, from real referenced bits
# concepts: C20 C23
echo "wss runs a workload in a thread and, from the main thread, clears the"
echo "region's A bits, flushes the TLB, waits, and counts what was used: the"
echo "working set. The 'phases' workload uses one quarter of 4 MiB at a time."
echo
echo "\$ wss --workload phases --samples 8 --interval 150ms"
ph=$(wss --workload phases --samples 8 --interval 150ms)
echo "$ph"
wmin=$(echo "$ph" | awk '$1 ~ /^[0-9]+$/ { if (m == "" || $4 < m) m = $4 } END { print m }')
wmax=$(echo "$ph" | awk '$1 ~ /^[0-9]+$/ { if ($4 > m) m = $4 } END { print m + 0 }')
# the median sample: one that straddles a phase change counts two quarters
wmed=$(echo "$ph" | awk '$1 ~ /^[0-9]+$/ { print $4 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "Working set: $wmin to $wmax KiB of the 4096 KiB region, $wmed KiB in the median sample"
echo "(a sample that straddles a phase change sees two quarters)."
echo
echo "Clock page-out: the hand sweeps the pages in a circle. Referenced (A=1):"
echo "clear A, second chance. Not referenced: evict. The 'hotcold' workload"
echo "uses 10% of the pages all the time and the rest rarely."
echo
echo "\$ wss --workload hotcold --clock 1 --samples 6 --interval 150ms"
c1=$(wss --workload hotcold --clock 1 --samples 6 --interval 150ms)
echo "$c1"
echo
echo "Two hands: the front hand clears A, the back hand (--spread pages"
echo "behind) evicts what was not used in between; the spread sets how long"
echo "a page has to prove it is in use."
echo "\$ wss --workload hotcold --clock 2 --spread 512 --samples 6 --interval 150ms"
c2=$(wss --workload hotcold --clock 2 --spread 512 --samples 6 --interval 150ms)
echo "$c2"
# "N-handed clock over P pages (H hot): E evictions, K of hot pages, R refaults"
clk() { echo "$1" | sed -n "s/.*-handed clock over [0-9]* pages ([0-9]* hot): \([0-9]*\) evictions, \([0-9]*\) of hot.*/\\$2/p"; }
echo
fact "the working set is one quarter of 4 MiB: $wmed KiB in the median sample" [ "$wmed" -ge 768 -a "$wmed" -le 1280 ]
fact "one hand: $(clk "$c1" 1) evictions, $(clk "$c1" 2) of hot pages" [ "$(clk "$c1" 1)" -gt 0 -a "$(clk "$c1" 2)" = 0 ]
fact "two hands: $(clk "$c2" 1) evictions, $(clk "$c2" 2) of hot pages" [ "$(clk "$c2" 1)" -gt 0 -a "$(clk "$c2" 2)" = 0 ]
