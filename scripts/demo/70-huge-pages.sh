#!/bin/sh
# title: 4 KiB, 2 MiB and 1 GiB pages
# concepts: C17
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	echo "A PMD entry can map a 2 MiB page itself instead of pointing to a PTE"
	echo "table; a PUD entry can map 1 GiB. This VM is arm64: such an entry is a"
	echo "block descriptor, bits 1..0 = 01 (a table descriptor has 11). One entry,"
	echo "one TLB slot, one AF and dirty state for 512 small pages."
else
	echo "A PMD entry can map a 2 MiB page itself (PS bit, 0x80) instead of"
	echo "pointing to a PTE table; a PUD entry can map 1 GiB. One entry, one TLB"
	echo "slot, one A and D bit for 512 small pages."
fi
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
huge=$(echo "$out" | grep -c '^[0-9]* (2M)')
small=$(pagetouch --size 4M write:all dump | grep -c '^[0-9]')
echo "4 MiB in 2 MiB pages: $huge entries; the same 4 MiB in 4 KiB pages: $small"
echo "entries, in $(((small + 511) / 512)) PTE tables."
echo
fact "4 MiB written in huge pages: $huge PMD leaf entries (2M)" [ "$huge" = 2 ]
fact "the same in 4 KiB pages: $small entries, $((small / huge))x as many" [ "$small" = 1024 ]
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	# bits 1..0 of each 2M entry's raw value
	kinds=$(echo "$out" | awk '/^[0-9]* \(2M\)/ { sub(/.*raw=/, ""); print }' | while read -r r; do echo $((r >> 1 & 1))$((r & 1)); done | sort -u | tr '\n' ' ')
	fact "arm64: the 2 MiB entries are block descriptors (bits 1..0: ${kinds% })" [ "$kinds" = "01 " ]
fi
