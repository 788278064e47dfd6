#!/bin/sh
# title: Address space: the regions of a real process
# concepts: C13
echo "A process's address space is a set of regions: program text and data,"
echo "the heap, shared libraries, the stack. ptdump walks the page tables of"
echo "a live process and labels each run of mapped pages with its region"
echo "(from /proc/PID/maps). Only pages that were touched have an entry."
echo
sleep 5 &
spid=$!
sleep 0.3
echo "\$ ptdump $spid      # a 'sleep' process"
dump=$(ptdump "$spid")
echo "$dump"
vma_kib=0
while read -r range _; do
	vma_kib=$((vma_kib + (0x${range#*-} - 0x${range%-*}) / 1024))
done </proc/$spid/maps
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
echo
echo "Low addresses hold the program (r-x text, r-- constants, rw- data),"
echo "then the heap; the libraries, the stack and the vdso sit near the top"
echo "of the user half. Large gaps in between have no page tables at all."
present=$(echo "$dump" | sed -n 's/.* \([0-9]*\) entries present.*/\1/p')
heap_and_stack() { matches "$dump" ' \[heap\]$' && matches "$dump" ' \[stack\]$'; }
echo
echo "/proc/$spid/maps reserved $vma_kib KiB of addresses; $present pages of them have an entry."
fact "the walk found the heap and the stack" heap_and_stack
fact "the program's text is r-x: $(echo "$dump" | awk '$5 ~ /^r-x/' | wc -l) runs" matches "$dump" ' r-xu +[0-9]+ .*/bin/busybox$'
fact "only touched pages have entries: $((present * 4)) of $vma_kib KiB" [ $((present * 4)) -lt "$vma_kib" ]
