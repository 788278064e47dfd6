#!/bin/sh
# title: Address space: the regions of a real process
# concepts: C13
# key-fact: mapped: [0-9]+ entries present.*|\[stack\]
echo "A process's address space is a set of regions: program text and data,"
echo "the heap, shared libraries, the stack. ptdump walks the page tables of"
echo "a live process and labels each run of mapped pages with its region"
echo "(from /proc/PID/maps). Only pages that were touched have an entry."
echo
sleep 5 &
spid=$!
sleep 0.3
echo "\$ ptdump $spid      # a 'sleep' process"
ptdump "$spid" | sed -n '1,/^$/p'
ptdump "$spid" | grep -E 'KiB mapped'
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
echo
echo "Low addresses hold the program (r-x text, r-- constants, rw- data),"
echo "then the heap; the libraries, the stack and the vdso sit near the top"
echo "of the user half. Large gaps in between have no page tables at all."
