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
free0=$(cat $g/free_hugepages)
echo "$(cat $g/nr_hugepages) $free0"
mkdir -p /tmp/huge1g
grep -q ' /tmp/huge1g ' /proc/mounts || mount -t hugetlbfs -o pagesize=1G none /tmp/huge1g
echo "\$ mount -t hugetlbfs -o pagesize=1G none /tmp/huge1g"
# The first touch zeroes the GiB (seconds under TCG); the page then stays
# in the file, and a second process maps it at once, while ptdump looks.
echo "\$ pagetouch --file /tmp/huge1g/page --shared --size 1G write:0 dump"
out=$(pagetouch --file /tmp/huge1g/page --shared --size 1G write:0 dump)
echo "$out"
free1=$(cat $g/free_hugepages)
echo "free 1 GiB pages now: $free1 (the page belongs to the file)"
echo "\$ ptdump --pages -w 2s -- pagetouch --file /tmp/huge1g/page --shared --size 1G read:0 sleep:4"
all=$(ptdump --pages -w 2s -- pagetouch --file /tmp/huge1g/page --shared --size 1G read:0 sleep:4)
rm -f /tmp/huge1g/page
free2=$(cat $g/free_hugepages)
# ptdump's 1 GiB lines and its heading.
pt=$(echo "$all" | grep '^VA \|^0x[0-9a-f]* *1G ')
echo "(ptdump's lines of 1 GiB pages:)"
echo "$pt"
echo "free 1 GiB pages after rm: $free2"
echo
# pagetouch's own dump: the entries of the 1 GiB region.
own=$(echo "$out" | awk '/^entries / { s = 1; next } /^[a-z]/ { s = 0 } s && $1 ~ /^[0-9]+$/')
nown=$(echo "$own" | grep -c .)
ownhuge=$(echo "$own" | grep -c ' huge ')
# ptdump's lines: one, of size 1G.
nbig=$(echo "$pt" | grep -c '^0x[0-9a-f]* *1G ')
ptpfn=$(echo "$pt" | awk '/^0x/ { print $4; exit }')
pfn=$(echo "$own" | awk '{ print $3; exit }')
echo "the 1 GiB region: $nown entry ($ownhuge huge) in pagetouch's dump; ptdump, in the second process: $nbig page of 1G, frame ${ptpfn:-none}"
echo
fact "1 GiB mapped by $nown entry, a huge (PS) leaf" [ "$nown" = 1 -a "$ownhuge" = 1 ]
fact "its frame $pfn is 1 GiB aligned (a multiple of 262144 frames)" [ "$pfn" -gt 0 -a $((pfn % 262144)) = 0 ]
fact "the file holds the page: free 1 GiB pages $free0, $free1 while it exists, $free2 after rm" [ "$free0" = 1 -a "$free1" = 0 -a "$free2" = 1 ]
fact "ptdump walks the second process's mapping as one 1G page, the same frame: $nbig, frame ${ptpfn:-none}" [ "$nbig" = 1 -a "$ptpfn" = "$pfn" ]
