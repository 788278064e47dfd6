#!/bin/sh
# ptdump --svg: the map and the page-table tree of a live process come
# from the same walk as its tables: the shapes' mappings and entries, and
# the tree's tables per level, equal what -J says in the same run.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

# sum ATTR FILE: the sum of ATTR="N" over FILE.
sum() { grep -o "$1=\"[0-9]*\"" "$2" | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }'; }
# jsum KEY: the sum of "KEY":N in the JSON on stdin.
jsum() { json | grep -o "\"$1\":[0-9]*" | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }
# tables LEVEL FILE: the tables of LEVEL the tree's nodes stand for (names LEVEL_N_ADDR).
# (An edge's title is "PARENT&#45;&gt;CHILD": not counted.)
tables() { grep -o "<title>$1_[0-9]*_[0-9a-f]*\(_empty\)\{0,1\}</title>" "$2" | cut -d_ -f2 | awk '{ s += $1 } END { print s + 0 }'; }
# jtables LEVEL JSON: the summary's tables of LEVEL.
jtables() { json <"$2" | grep -o "\"level\":\"$1\",\"tables\":[0-9]*" | cut -d: -f3; }

# same_levels SVG JSON: the tree's tables per level = the summary's, each level it has.
same_levels() {
	for l in $(json <"$2" | grep -o '"level":"[A-Z0-9]*"' | cut -d'"' -f4); do
		lc=$(echo "$l" | tr '[:upper:]' '[:lower:]')
		[ "$(tables "$lc" "$1")" = "$(jtables "$l" "$2")" ] ||
			{ echo "# $l: tree $(tables "$lc" "$1"), summary $(jtables "$l" "$2")"; return 1; }
	done
}

echo "TAP version 13"
echo "1..13"
t=/tmp/ptpic$$
bad 2 "ptdump: --tree draws a picture: give --svg FILE" ptdump --tree
bad 2 "ptdump: --svg draws the ranges: not with --pages, --levels, --explain or --bench" ptdump --svg $t.svg -P
bad 2 "ptdump: --svg '': want a file name" ptdump --svg ""
bad 1 "ptdump: --svg '/nonexistent/x.svg': No such file or directory" ptdump --svg /nonexistent/x.svg
sleep 600 &
spid=$!
asleep $spid sleep
bad 1 "ptdump: --svg: dot: not found on PATH (Debian package graphviz)" env PATH=/nonexistent "$(command -v ptdump)" --tree --svg $t.tree.svg $spid
ptdump --svg $t.svg -J $spid >$t.json
check "the map: one SVG document" '[ "$(head -c 5 $t.svg)" = "<?xml" ] && [ "$(tail -n 1 $t.svg)" = "</svg>" ]'
check "the map: its shapes stand for every mapping of /proc/PID/maps ($(wc -l </proc/$spid/maps))" \
	'[ "$(sum data-vmas $t.svg)" = "$(wc -l </proc/$spid/maps)" ]'
check "the map: one shape a mapping (a small process: none shared)" \
	'[ "$(grep -c "<g class=\"vma\"" $t.svg)" = "$(wc -l </proc/$spid/maps)" ]'
check "the map: present entries of the shapes = of the ranges in -J ($(jsum present <$t.json))" \
	'[ "$(sum data-present $t.svg)" = "$(jsum present <$t.json)" ] && [ "$(jsum present <$t.json)" -gt 0 ]'
check "the map: dirty entries of the shapes = of the ranges in -J ($(jsum dirty <$t.json))" \
	'[ "$(sum data-dirty $t.svg)" = "$(jsum dirty <$t.json)" ]'
# The kernel half begins at -2^47 (x86 4-level paging) or -2^56 (5-level);
# on arm64 (TTBR1's half) at -2^VA_BITS, the bits the levels of page / 8
# entries cover, at most 52 (48 with 4 KiB pages and 4 levels; 52 with 5,
# or with 16 KiB pages and 4).
info=$(vmlabctl info -J | json)
levels=$(echo "$info" | sed -n 's/.*"levels":\([0-9]*\).*/\1/p')
case $info in
*'"arch":"arm64"'*)
	page=$(echo "$info" | sed -n 's/.*"page":\([0-9]*\).*/\1/p')
	ps=0
	while [ $((1 << ps)) -lt "$page" ]; do ps=$((ps + 1)); done
	bits=$((ps + levels * (ps - 3)))
	[ $bits -le 52 ] || bits=52
	khalf=0x$(printf '%016x' $((-(1 << bits)))) hole="between TTBR0 and TTBR1" ;;
*)
	khalf=0xffff800000000000 hole="non-canonical hole"
	[ "$levels" = 5 ] && khalf=0xff00000000000000 ;;
esac
check "the map: the kernel half ($khalf up) and the hole ($hole) are marked" \
	'grep -q "kernel half: $khalf-0xffffffffffffffff" $t.svg && grep -q "$hole" $t.svg'
if drawer dot; then
	ptdump --tree --svg $t.tree.svg -J $spid >$t.tree.json
	check "the tree: drawn by dot" 'grep -q "<svg" $t.tree.svg && grep -q "class=\"node\"" $t.tree.svg'
	check "the tree: its tables of each level = --summary's ($(jtables PTE $t.tree.json) PTE tables)" 'same_levels $t.tree.svg $t.tree.json'
else
	skip "the tree: drawn by dot" "$no_drawer"
	skip "the tree: its tables of each level = --summary's" "$no_drawer"
fi
kill $spid
wait $spid 2>/dev/null
rm -f $t.*
[ "$failed" -eq 0 ]
