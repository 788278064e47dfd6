#!/bin/sh
# title: How big are the page tables of a real process?
# concepts: C15
echo "Every page table is one 4 KiB page of 512 entries of 8 bytes. A PTE"
echo "table maps 512 x 4 KiB = 2 MiB; a PMD table 1 GiB; and so on up."
echo "ptdump --summary counts the tables a process really has."
echo
sleep 5 &
spid=$!
sleep 0.3
echo "\$ ptdump --summary $spid        # a small process"
small=$(ptdump --summary "$spid")
echo "$small"
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
need=$((16384 / 512))
levels=$(echo "$sum" | sed -n 's/^\([45]\)-level paging: .*/\1/p')
pages=$(echo "$sum" | sed -n 's/^[45]-level paging: \([0-9]*\) page-table pages.*/\1/p')
small_pages=$(echo "$small" | sed -n 's/^[45]-level paging: \([0-9]*\) page-table pages.*/\1/p')
echo
echo "64 MiB touched: $pte PTE tables; 16384 entries need at least $need."
echo
pages32=$(pagealign | sed -n 's/.* = \([0-9]*\) pages$/\1/p')
echo "Quiz 1: 2^32 bytes in pages of this system's size: $pages32 pages, a little over a"
echo "million: one page-table entry each in a flat 32-bit table."
echo
echo "Flat tables, one entry per page (arithmetic, as the lecture does it):"
echo "  32-bit, 4 KiB pages, 4-byte entries: 2^20 entries = $(((1 << 20) * 4 / 1024 / 1024)) MiB"
echo "  64-bit, 4 KiB pages, 8-byte entries: 2^52 entries = $(((1 << 52) * 8 >> 50)) PiB"
# This kernel's user half: 12 + 9 x levels - 1 bits of address on x86-64
# (the top half is the kernel's), all the VA bits on arm64 (TTBR0's table
# maps the whole range, the kernel's is another, TTBR1's).
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	ubits=${vm_va_bits:-48}
	how="arm64, $levels levels, TTBR0_EL1's range"
else
	ubits=$((12 + 9 * levels - 1))
	how="$levels-level paging"
fi
flat=$(((1 << (ubits - 12)) * 8))
echo "  this VM's user half ($how, 2^$ubits bytes): 2^$((ubits - 12)) entries = $((flat >> 30)) GiB"
echo "The real tables, for the whole address space of these processes:"
echo "  the small process: $small_pages pages = $((small_pages * 4)) KiB; after 64 MiB: $pages pages = $((pages * 4)) KiB"
echo
fact "Quiz 1: a 32-bit space holds $pages32 pages, a little over a million" [ "$pages32" -gt 1000000 -a "$pages32" -lt 2000000 ]
fact "16384 touched pages need their $need PTE tables: $pte" [ "$pte" -ge "$need" ]
fact "the 64 MiB process's tables ($((pages * 4)) KiB) are under 1% of what they map" [ $((pages * 4 * 100)) -lt $((64 * 1024)) ]
fact "the real tables are $((flat / (pages * 4096)))x smaller than one flat table for the user half" [ $((pages * 4096)) -lt "$flat" ]
