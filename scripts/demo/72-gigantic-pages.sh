#!/bin/sh
# title: 1 GiB pages: one PUD entry maps a gigantic page
# concepts: C17 C30
# needs: gigantic
echo "A PUD entry with the PS bit maps 1 GiB itself: no PMD table, no PTE"
echo "table, one TLB entry for 262144 small pages. The kernel can only find"
echo "1 GiB of contiguous, aligned memory early, so the page is reserved at"
echo "boot (hugepagesz=1G hugepages=1) and mapped through hugetlbfs."
echo
g=/sys/kernel/mm/hugepages/hugepages-1048576kB
echo "\$ cat $g/nr_hugepages $g/free_hugepages"
echo "$(cat $g/nr_hugepages) $(cat $g/free_hugepages)"
mkdir -p /tmp/huge1g
grep -q ' /tmp/huge1g ' /proc/mounts || mount -t hugetlbfs -o pagesize=1G none /tmp/huge1g
echo "\$ mount -t hugetlbfs -o pagesize=1G none /tmp/huge1g"
echo "\$ ptdump --pages --levels -w 3s -- pagetouch --file /tmp/huge1g/page --shared --size 1G write:0 faults dump sleep:6"
out=$(ptdump --pages --levels -w 3s -- pagetouch --file /tmp/huge1g/page --shared --size 1G write:0 faults dump sleep:6)
rm -f /tmp/huge1g/page
echo "$out"
echo
# pagetouch's own dump: the entries of the 1 GiB region.
own=$(echo "$out" | awk '/^entries / { s = 1; next } /^[a-z]/ { s = 0 } s && $1 ~ /^[0-9]+$/')
nown=$(echo "$own" | grep -c .)
ownhuge=$(echo "$own" | grep -c ' huge ')
# ptdump's lines of 1 GiB pages.
big=$(echo "$out" | grep -c '1G')
faults=$(echo "$out" | awk '/^faults:/ { print $2 }')
echo "the 1 GiB region: $nown entry ($ownhuge huge) in pagetouch's dump; ptdump: $big line(s) with 1G"
echo "writing one byte faulted in the whole page: $faults minor faults in all"
echo
fact "1 GiB mapped by $nown entry, a huge (PS) leaf" [ "$nown" = 1 -a "$ownhuge" = 1 ]
fact "ptdump shows a 1G page" [ "$big" -ge 1 ]
