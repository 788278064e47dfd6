#!/bin/sh
# title: What translation costs: a pointer chase past the TLB, 4 KiB vs 2 MiB pages (Quiz 3)
# concepts: C28 C36
levels=${vm_levels:-4}
here="$levels levels here: $((levels + 1))"
[ "$levels" = 4 ] && here="4 levels here too"
echo "The lecture's arithmetic: a 4-level walk is 4 memory reads before the"
echo "one the program asked for, so without a TLB every load would cost 5"
echo "($here). The TLB caches translations; Quiz 3 asks what is"
echo "left of the slowdown when every translation hits it. tlbchase follows a"
echo "random cycle of pointers, one cache line per page, so each load needs"
echo "the translation of a new page, over more and more pages; then the"
echo "same over memory in 2 MiB pages, which need 512 times fewer entries."
echo
loads=2000000
[ -n "${DEMO_QUICK:-}" ] && loads=500000
echo "\$ tlbchase --loads $loads"
out=$(tlbchase --loads "$loads")
echo "$out"
# ns PAGES FIELD: the row of PAGES pages; 3: NS_4K, 4: NS_2M, 6: IN_2M_PAGES_KIB
ns() { echo "$out" | awk -v p="$1" -v f="$2" '$1 == p { print $f }'; }
small=$(echo "$out" | awk 'NR == 2 { print $1 }')
big=$(echo "$out" | awk 'END { print $1 }')
slow=$(awk -v a="$(ns "$big" 3)" -v b="$(ns "$small" 3)" 'BEGIN { printf "%.1f", a / b }')
huge_kib=$(ns "$big" 6)
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo "not built in")
echo
echo "$small pages fit the TLB: $(ns "$small" 3) ns per load. $big pages do not: $(ns "$big" 3) ns,"
echo "${slow}x as much, with the walks and the cache misses they bring. With"
echo "2 MiB pages the $big-page chase took $(ns "$big" 4) ns ($huge_kib KiB of it in huge pages;"
echo "THP: $thp). The lecture's Quiz 3: with every translation in the TLB"
echo "the slowdown is about 1x; here, $small pages against $big measure what"
echo "missing costs on this (emulated) CPU."
more() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
echo
fact "a load costs more once the pages outgrow the TLB: $(ns "$small" 3) -> $(ns "$big" 3) ns" \
	more "$(ns "$big" 3)" "$(ns "$small" 3)"
if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
	fact "the 2 MiB run was in huge pages: $huge_kib KiB" [ "$huge_kib" -gt 0 ]
fi
