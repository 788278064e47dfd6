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
# Zeroing the page takes seconds under TCG: ptdump waits 10 s for it.
echo "\$ ptdump --pages -w 10s -- pagetouch --file /tmp/huge1g/page --shared --size 1G write:0 dump sleep:15"
all=$(ptdump --pages -w 10s -- pagetouch --file /tmp/huge1g/page --shared --size 1G write:0 dump sleep:15)
rm -f /tmp/huge1g/page
# pagetouch's lines (its dump: a row whose first field is a page index), then
# ptdump's 1 GiB lines and its heading.
out=$(echo "$all" | grep -v '^0x\|^VA ')
pt=$(echo "$all" | grep '^VA \|^0x[0-9a-f]* *1G ')
echo "$out"
echo "(ptdump's lines of 1 GiB pages:)"
echo "$pt"
echo
# pagetouch's own dump: the entries of the 1 GiB region.
own=$(echo "$out" | awk '/^entries / { s = 1; next } /^[a-z]/ { s = 0 } s && $1 ~ /^[0-9]+$/')
nown=$(echo "$own" | grep -c .)
ownhuge=$(echo "$own" | grep -c ' huge ')
# ptdump's lines: one, of size 1G.
nbig=$(echo "$pt" | grep -c '^0x[0-9a-f]* *1G ')
va=$(echo "$out" | awk '/^entries / { s = 1; next } s && $1 == "0" { print $2; exit }')
ptva=$(echo "$pt" | awk '/^0x/ { print $1; exit }')
pfn=$(echo "$own" | awk '{ print $3; exit }')
echo "the 1 GiB region: $nown entry ($ownhuge huge) in pagetouch's dump; ptdump: $nbig page of 1G, at ${ptva:-none} (pagetouch's at $va)"
echo
fact "1 GiB mapped by $nown entry, a huge (PS) leaf" [ "$nown" = 1 -a "$ownhuge" = 1 ]
fact "its frame $pfn is 1 GiB aligned (a multiple of 262144 frames)" [ "$pfn" -gt 0 -a $((pfn % 262144)) = 0 ]
fact "ptdump walks it as one 1G page at the same address: $nbig at ${ptva:-none}" [ "$nbig" = 1 -a "$((ptva))" = "$((va))" ]
