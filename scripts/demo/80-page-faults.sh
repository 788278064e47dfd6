#!/bin/sh
# title: Page faults and demand paging
# concepts: C19
# key-fact: 16384 pages touched: [0-9]+ more minor faults
echo "mmap only reserves addresses: no page, no entry. The first touch of"
echo "each page faults, and the kernel fills the entry (demand paging)."
echo
echo "\$ pagetouch --size 64M faults write:all faults"
out=$(pagetouch --size 64M faults write:all faults)
echo "$out"
f1=$(echo "$out" | awk '/^faults/ { print $2; exit }')
f2=$(echo "$out" | awk '/^faults/ { v = $2 } END { print v }')
echo
echo "16384 pages touched: $((f2 - f1)) more minor faults (one per page)."
echo
echo "mlock faults everything in at once; untouched pages before it have no entry:"
pagetouch --size 16K dump:before lock dump:after-mlock
