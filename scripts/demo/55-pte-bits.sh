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
echo
fact "a read sets A, not D: $r" [ "$r" = "A=1 D=0" ]
fact "a write sets A and D: $w" [ "$w" = "A=1 D=1" ]
fact "the read page is the zero page, read-only (W=$rw)" [ "$zero/$rw" = "the shared zero page/0" ]
fact "untouched pages have no entry ($untouched lines)" [ "$untouched" = 0 ]
