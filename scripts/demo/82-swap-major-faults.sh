#!/bin/sh
# title: Major faults, swap entries and the swap cache
# concepts: C31
# needs: zram
echo "When memory is short the kernel writes anonymous pages to swap and"
echo "frees their frames; the entry is then not present and holds where the"
echo "page went (a swap entry: swap area and offset). Touching it again is a"
echo "major fault (I/O). A page still in the swap cache comes back without"
echo "I/O: a minor fault, the lecture's second chance from the free list."
echo
# The swap device: zram, a compressed RAM disk (its modules from the
# initramfs, /modules/zram.order, unless the kernel has it built in).
if [ ! -e /sys/block/zram0 ]; then
	while read -r m; do
		insmod "/modules/$m" || echo "insmod $m failed"
	done </modules/zram.order
fi
if ! grep -q '^/dev/zram0 ' /proc/swaps; then
	echo 64M >/sys/block/zram0/disksize
	mkswap /dev/zram0 >/dev/null
	swapon /dev/zram0
fi
echo "\$ cat /proc/swaps"
cat /proc/swaps
# One page per swap-in (no readahead): each major fault reads one page.
echo 0 >/proc/sys/vm/page-cluster
echo "(vm.page-cluster = 0: no swap readahead, one page per read)"
echo
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
out0=$(vmstat pswpout) in0=$(vmstat pswpin)
# On one CPU: a page just written waits in that CPU's batch before the
# LRU lists, and MADV_PAGEOUT drains only its own CPU's batch: a process
# that moved to the other CPU in between keeps the batch's last pages.
echo "\$ taskset -c 0 pagetouch --size 64K write:all pageout dump:swapped fork faults read:all faults dump:back"
out=$(taskset -c 0 pagetouch --size 64K write:all pageout dump:swapped fork faults read:all faults dump:back)
echo "$out"
out1=$(vmstat pswpout) in1=$(vmstat pswpin)
pages=16
echo
# The rows of the dump labelled $1 ("who: label"); of them, the pages
# present, and the swap entries.
rows() { echo "$out" | awk -v l="$1" '$0 ~ "^" l " " { s = 1; next } /^[a-z]/ { s = 0 } s && $1 ~ /^[0-9]+$/'; }
present() { rows "$1" | awk '$4 == 1' | wc -l; }
swapped() { rows "$1" | awk '$4 == 0 && / swap /' | wc -l; }
sw=$(swapped swapped) swp=$(present swapped)
# Major faults between a process's two "faults" lines.
majors() { echo "$out" | awk -v w="$1" '$0 ~ "^" w ": faults" { n++; v[n] = $(NF - 1) } END { print v[2] - v[1] }'; }
minors() { echo "$out" | awk -v w="$1" '$0 ~ "^" w ": faults" { n++; gsub(",", "", $3); v[n] = $3 } END { print v[2] - v[1] }'; }
cmaj=$(majors child) pmaj=$(majors parent) pmin=$(minors parent)
cback=$(present "child: back") pback=$(present "parent: back")
# The frames each process maps after its reads.
frames() { rows "$1" | awk '{ printf "%s ", $3 }'; }
cfr=$(frames "child: back") pfr=$(frames "parent: back")
echo "after pageout: $sw of $pages entries are swap entries, $swp present"
echo "the child's reads: $cmaj major faults; the parent's: $pmaj major, $pmin minor"
echo "present again: $cback in the child, $pback in the parent"
echo "pages written to swap: $((out1 - out0)); read back from it: $((in1 - in0))"
arch=${vm_arch:-x86-64}
if [ "$arch" = x86-64 ] || [ "$arch" = arm64 ]; then
	# x86-64 keeps the swap area in bits 63-59 and the offset inverted in
	# bits 58-9 (inverted: a stale entry points at no real frame, L1TF).
	# arm64 (bits 1-0 clear: not a valid entry) the area in 5 bits from
	# tshift and the offset in 50 from oshift: 6.10 on, bits 10-6 and 61-12
	# (PTE_PRESENT_INVALID is bit 11); 6.0 to 6.9, 7-3 and 57-8 (bit 2, the
	# exclusive mark, came in 6.0); before, 6-2 and 56-7.
	kv=$(uname -r | awk -F. '{ print $1 * 100 + $2 }')
	if [ "$kv" -ge 610 ]; then
		tshift=6 oshift=12
	elif [ "$kv" -ge 600 ]; then
		tshift=3 oshift=8
	else
		tshift=2 oshift=7
	fi
	raws=$(rows swapped | awk '/ swap / { sub(/.*raw=/, ""); print }')
	offs=""
	for r in $raws; do
		if [ "$arch" = arm64 ]; then
			off=$(((r >> oshift) & ((1 << 50) - 1))) type=$(((r >> tshift) & 31))
		else
			off=$((((~r) << 5 >> 14) & ((1 << 50) - 1))) type=$(((r >> 59) & 31))
		fi
		offs="$offs$off
"
	done
	# the x86-64 lines as they were; arm64's say so
	which=""
	[ "$arch" = arm64 ] && which=arm64
	echo "${which:+$which }swap entries decoded: area $type, offsets $(echo "$offs" | paste -sd " ")"
	size=$(awk '$1 == "/dev/zram0" { print $3 / 4 }' /proc/swaps)
	ndist=$(printf '%s' "$offs" | sort -u | wc -l)
	inarea=$(printf '%s' "$offs" | awk -v n="$size" '$1 >= 1 && $1 < n' | wc -l)
	fact "${which:+$which: }the $sw swap entries: area $type, $ndist distinct offsets, $inarea inside the area's $size pages" \
		[ "$type" = 0 -a "$ndist" = "$sw" -a "$inarea" = "$sw" ]
fi
echo
fact "MADV_PAGEOUT made $sw of $pages entries swap entries (not present: $((pages - swp)))" [ "$sw" = $pages -a "$swp" = 0 ]
fact "the child's first touches were $cmaj major faults, one per page" [ "$cmaj" = $pages ]
fact "the parent found them in the swap cache: $pmaj major faults, $pmin minor" [ "$pmaj" = 0 -a "$pmin" -ge $pages ]
fact "present again: $cback and $pback of $pages" [ "$cback" = $pages -a "$pback" = $pages ]
fact "the parent maps the frames the child read in (swap cache): same $pages PFNs" [ "$cfr" = "$pfr" -a "$(echo "$cfr" | wc -w)" = $pages ]
fact "$((out1 - out0)) pages written to swap, $((in1 - in0)) read back: once, for both processes" [ $((out1 - out0)) = $pages -a $((in1 - in0)) = $pages ]
