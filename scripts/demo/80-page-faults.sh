#!/bin/sh
# title: Page faults and demand paging
# concepts: C19
echo "mmap only reserves addresses: no page, no entry. The first touch of"
echo "each page faults, and the kernel fills the entry (demand paging)."
echo
echo "\$ pagetouch --size 64M faults write:all faults"
out=$(pagetouch --size 64M faults write:all faults)
echo "$out"
f1=$(echo "$out" | awk '/^faults/ { print $2; exit }')
f2=$(echo "$out" | awk '/^faults/ { v = $2 } END { print v }')
echo
pages=$((64 * 1024 / 4))
d=$((f2 - f1))
echo "$pages pages touched: $d more minor faults, $((d - pages)) more than one per page"
echo "(the tool's own stack and stdio)."
echo
echo "mlock faults everything in at once; untouched pages before it have no entry:"
lk=$(pagetouch --size 16K dump:before lock dump:after-mlock)
echo "$lk"
before=$(echo "$lk" | awk '/^before/ { s = 1 } /^lock/ { s = 0 } s && $1 ~ /^[0-9]+$/' | wc -l)
after=$(echo "$lk" | awk '/^after-mlock/ { s = 1 } s && $1 ~ /^[0-9]+$/ && $4 == 1' | wc -l)
echo
fact "one fault per page touched: $d faults for $pages pages" [ "$d" -ge "$pages" -a "$d" -le $((pages + pages / 64)) ]
fact "mlock made the entries: $before before, $after present after" [ "$before" = 0 -a "$after" = 4 ]
