#!/bin/sh
# title: Copy-on-write: MAP_PRIVATE files and fork
# concepts: C21 C22
# key-fact: private write: new frame.*|after fork: parent and child share frame
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
[ "$1" = "$2" ] && echo "shared write: same frame ($1)"
set -- $(echo "$p" | pfns)
[ "$1" != "$2" ] && echo "private write: new frame ($1 -> $2)"
echo
echo "fork: the child gets a copy of the page tables; writable private pages"
echo "become read-only in both, sharing the frame, until one of them writes."
echo "(On 6.12 the raw D bit of a write-protected dirty entry moves to the"
echo "software bit 58, 'saved dirty': pte_dirty() still says modified.)"
echo
echo "\$ pagetouch write:0 dump fork dump write:0 dump"
out=$(pagetouch write:0 dump fork dump write:0 dump)
echo "$out"
pre=$(echo "$out" | awk '$1 == "0" { print $3; exit }')
child=$(echo "$out" | awk '/^child: entries/ { n++ } n == 1 && $1 == "0" { print $3 " W=" $7; exit }')
parent=$(echo "$out" | awk '/^parent: entries/ { n++ } n == 1 && $1 == "0" { print $3 " W=" $7; exit }')
echo
[ "${child%% *}" = "$pre" ] && echo "after fork: parent and child share frame $pre (child entry W=${child##*W=})"
echo "parent after the child's write: frame ${parent%% *}, W=${parent##*W=} until it writes"
