#!/bin/sh
# title: 4 KiB, 2 MiB and 1 GiB pages
# concepts: C17
# key-fact: 2M page mapped by a PMD entry
echo "A PMD entry can map a 2 MiB page itself (PS bit, 0x80) instead of"
echo "pointing to a PTE table; a PUD entry can map 1 GiB. One entry, one TLB"
echo "slot, one A and D bit for 512 small pages."
echo
if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
	echo "Transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
	echo "\$ pagetouch --huge --size 4M write:all dump"
	out=$(pagetouch --huge --size 4M write:all dump)
else
	echo "This kernel has no THP; using hugetlb pages reserved for the demo."
	echo 4 >/proc/sys/vm/nr_hugepages
	echo "\$ pagetouch --hugetlb --size 4M write:all dump"
	out=$(pagetouch --hugetlb --size 4M write:all dump)
	echo 0 >/proc/sys/vm/nr_hugepages
fi
echo "$out"
echo
echo "$out" | grep -q '(2M)' && echo "2M page mapped by a PMD entry: 2 entries instead of 1024."
n=$(pagetouch --size 4M write:all dump | grep -c '^[0-9]')
echo "The same 4 MiB in 4 KiB pages: $n PTE entries, in 2 PTE tables."
