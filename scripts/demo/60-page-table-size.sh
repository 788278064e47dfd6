#!/bin/sh
# title: How big are the page tables of a real process?
# concepts: C15
# key-fact: 64 MiB touched: PTE tables [0-9]+ \(at least 32\)
echo "Every page table is one 4 KiB page of 512 entries of 8 bytes. A PTE"
echo "table maps 512 x 4 KiB = 2 MiB; a PMD table 1 GiB; and so on up."
echo "ptdump --summary counts the tables a process really has."
echo
sleep 5 &
spid=$!
sleep 0.3
echo "\$ ptdump --summary $spid        # a small process"
ptdump --summary "$spid"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
echo
out=/tmp/pt-size.$$
pagetouch -s 64M write:all sleep:20 >"$out" &
ppid=$!
i=0
while ! grep -q 'write:all' "$out" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
echo "\$ ptdump --summary $ppid        # after writing 64 MiB = 16384 pages"
sum=$(ptdump --summary "$ppid")
echo "$sum"
kill "$ppid" 2>/dev/null
wait "$ppid" 2>/dev/null
rm -f "$out"
pte=$(echo "$sum" | awk '$1 == "PTE" { print $2 }')
echo
echo "64 MiB touched: PTE tables $pte (at least 32): 16384 entries / 512 per table."
echo "The upper levels stay tiny: a flat single-level table for a 47-bit"
echo "space would need 2^35 entries = 256 GiB per process."
