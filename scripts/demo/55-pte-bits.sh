#!/bin/sh
# title: Page-table entry bits: valid, referenced, modified
# concepts: C14
# key-fact: read page: A=1 D=0; written page: A=1 D=1
echo "Each page-table entry carries a valid bit (P), a referenced bit (A, set"
echo "by the CPU on any access) and a modified bit (D, set on a write)."
echo "pagetouch maps 4 pages, reads page 0, writes page 1, and shows the"
echo "entries (page 2 and 3 were never touched, so they have none):"
echo
echo "\$ pagetouch read:0 write:1 dump"
out=$(pagetouch read:0 write:1 dump)
echo "$out"
r=$(echo "$out" | awk '$1 == "0" { print "A=" $5 " D=" $6 }')
w=$(echo "$out" | awk '$1 == "1" { print "A=" $5 " D=" $6 }')
echo
echo "read page: $r; written page: $w"
echo "The read page maps the kernel's shared zero page, read-only (W=0):"
echo "the first write will fault and get a private page of its own."
