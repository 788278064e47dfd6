#!/bin/sh
# title: Copy-on-write: MAP_PRIVATE files and fork
# concepts: C21 C22
f=/tmp/cow.$$
echo "A file mapped MAP_SHARED maps the page-cache page itself: writes go to"
echo "the file. MAP_PRIVATE maps the same page read-only until the first"
echo "write, which copies it into a new private frame (PFN changes)."
echo
echo "\$ pagetouch --file $f --shared read:0 dump write:0 dump"
s=$(pagetouch --file "$f" --shared read:0 dump write:0 dump)
echo "$s"
echo "\$ pagetouch --file $f read:0 dump write:0 dump"
p=$(pagetouch --file "$f" read:0 dump write:0 dump)
echo "$p"
rm -f "$f"
pfns() { awk '$1 == "0" { printf "%s ", $3 }'; }
set -- $(echo "$s" | pfns)
s1=$1 s2=$2
set -- $(echo "$p" | pfns)
p1=$1 p2=$2
echo "shared: frame $s1 before the write, $s2 after; private: $p1, then $p2"
echo
echo "fork: the child gets a copy of the page tables; writable private pages"
echo "become read-only in both, sharing the frame, until one of them writes."
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	echo "(This VM is arm64: fork clears DBM, bit 51, and sets RDONLY, AP[2] bit 7,"
	echo "in both entries; the software dirty bit 55 keeps the page dirty:"
	echo "pte_dirty() still says modified.)"
else
	echo "(On 6.12 the raw D bit of a write-protected dirty entry moves to the"
	echo "software bit 58, 'saved dirty': pte_dirty() still says modified.)"
fi
echo
echo "\$ pagetouch write:0 dump fork dump write:0 dump"
out=$(pagetouch write:0 dump fork dump write:0 dump)
echo "$out"
pre=$(echo "$out" | awk '$1 == "0" { print $3; exit }')
child=$(echo "$out" | awk '/^child: entries/ { n++ } n == 1 && $1 == "0" { print $3 " W=" $7; exit }')
parent=$(echo "$out" | awk '/^parent: entries/ { n++ } n == 1 && $1 == "0" { print $3 " W=" $7; exit }')
echo
cw=$(echo "$out" | awk '/^child: write/ { s = 1 } s && $1 == "0" { print $3; exit }')
echo "before fork: frame $pre; after: child ${child%% *} (W=${child##*W=});"
echo "the child's write: child frame $cw; parent ${parent%% *}, W=${parent##*W=} until it writes"
echo
fact "MAP_SHARED write: the page-cache frame itself ($s1 = $s2)" [ "$s1" = "$s2" ]
fact "MAP_PRIVATE write: a new frame ($p1 -> $p2)" [ "$p1" != "$p2" -a "$p1" = "$s1" ]
fact "after fork the child maps the parent's frame $pre read-only (W=${child##*W=})" [ "${child%% *}" = "$pre" -a "${child##*W=}" = 0 ]
fact "the child's write copied: child $cw, parent still $pre" [ "$cw" != "$pre" -a "${parent%% *}" = "$pre" ]
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	craw=$(echo "$out" | awk '/^child: entries/ { n++ } n == 1 && $1 == "0" { sub(/.*raw=/, ""); print; exit }')
	cbits=$(arm64_bits "$craw" | cut -d' ' -f2-4)
	fact "arm64: after fork the child's entry has $cbits: read-only, still dirty" [ "$cbits" = "DBM=0 RDONLY=1 SWDIRTY=1" ]
fi
