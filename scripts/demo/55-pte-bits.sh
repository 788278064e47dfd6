#!/bin/sh
# title: Page-table entry bits: valid, referenced, modified
# concepts: C14
echo "Each page-table entry carries a valid bit (P), a referenced bit (A, set"
echo "by the CPU on any access) and a modified bit (D, set on a write)."
echo "pagetouch maps 4 pages, reads page 0, writes page 1, and shows the"
echo "entries (page 2 and 3 were never touched, so they have none):"
echo
echo "\$ pagetouch read:0 write:1 dump"
out=$(pagetouch read:0 write:1 dump)
ask "What is D (the modified bit) of page 0 after a read?" "$(echo "$out" | awk '$1 == "0" { print $6 }')"
echo "$out"
r=$(echo "$out" | awk '$1 == "0" { print "A=" $5 " D=" $6 }')
w=$(echo "$out" | awk '$1 == "1" { print "A=" $5 " D=" $6 }')
echo
zero=$(echo "$out" | awk '$1 == "0" { print ($8 == "zero-page") ? "the shared zero page" : "a page of its own" }')
rw=$(echo "$out" | awk '$1 == "0" { print $7 }')
untouched=$(echo "$out" | awk '$1 == "2" || $1 == "3"' | wc -l)
echo "read page: $r; written page: $w"
echo "The read page maps $zero, W=$rw: the first write to it will fault"
echo "and get a private page. Pages 2 and 3: $untouched entries."
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	raw() { echo "$out" | awk -v p="$1" '$1 == p { sub(/.*raw=/, ""); print }'; }
	b0=$(arm64_bits "$(raw 0)") b1=$(arm64_bits "$(raw 1)")
	# D as the kernel reads an arm64 entry: DBM without RDONLY, or SWDIRTY
	dirty() { case $1 in *"DBM=1 RDONLY=0"* | *SWDIRTY=1*) echo 1 ;; *) echo 0 ;; esac; }
	echo
	echo "This VM is arm64: A, D and W above are the kernel's reading of each"
	echo "entry (pte_young, pte_dirty, pte_write). The entries' own arm64 bits:"
	echo "  page 0: $b0"
	echo "  page 1: $b1"
	echo "A is AF (bit 10), set here by the CPU (FEAT_HAFDBS) or by the kernel on"
	echo "an access-flag fault. D is DBM (bit 51) with RDONLY (AP[2], bit 7) clear,"
	echo "the hardware's dirty state, or the kernel's software dirty bit 55. W is"
	echo "DBM (the kernel's PTE_WRITE). See C37 for a CPU without FEAT_HAFDBS."
fi
echo
fact "a read sets A, not D: $r" [ "$r" = "A=1 D=0" ]
fact "a write sets A and D: $w" [ "$w" = "A=1 D=1" ]
fact "the read page is the zero page, read-only (W=$rw)" [ "$zero/$rw" = "the shared zero page/0" ]
fact "untouched pages have no entry ($untouched lines)" [ "$untouched" = 0 ]
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	col() { echo "$out" | awk -v p="$1" -v f="$2" '$1 == p { print $f }'; }
	af() { echo "$1" | cut -d' ' -f1; }
	fact "arm64: A is the entry's AF (bit 10): page 0 $(af "$b0"), page 1 $(af "$b1")" \
		[ "$(af "$b0") $(af "$b1")" = "AF=$(col 0 5) AF=$(col 1 5)" ]
	fact "arm64: D is DBM without RDONLY, or SWDIRTY: page 0 $(dirty "$b0"), page 1 $(dirty "$b1")" \
		[ "$(dirty "$b0")$(dirty "$b1")" = "$(col 0 6)$(col 1 6)" ]
fi
