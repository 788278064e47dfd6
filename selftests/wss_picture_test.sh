#!/bin/sh
# wss --svg: the heatmap of accessed bits, drawn by gnuplot, has one
# square for each page and scan where the bit was set and one x for each
# page the clock's hand evicted: the counts -J gives in the same run.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

# jsum KEY: the sum of "KEY":N in the JSON on stdin.
jsum() { json | grep -o "\"$1\":[0-9]*" | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'; }
# marks POINT FILE: gnuplot's points of that type (pt 5: gpPt4, pt 1: gpPt0).
marks() { grep -c "xlink:href='#$1' transform" "$2"; }

echo "TAP version 13"
echo "1..8"
t=/tmp/wsspic$$
bad 2 "wss: --svg '': want a file name" wss --svg ""
bad 2 "wss: --svg draws up to 2000 scans (--samples 2001)" wss --svg $t.svg -n 2001
bad 1 "wss: --svg: gnuplot: not found on PATH (Debian package gnuplot-nox)" env PATH=/nonexistent "$(command -v wss)" --svg $t.svg -n 1 -i 10ms
if ! drawer gnuplot; then
	for s in "--svg /nonexistent/x.svg" "working set" "no eviction marks" "clock" "64M"; do
		skip "$s" "$no_drawer"
	done
	exit 0
fi
bad 1 "wss: --svg '/nonexistent/x.svg': No such file or directory" wss --svg /nonexistent/x.svg -n 1 -i 10ms
wss -w hotcold -s 1M -n 4 -i 30ms -J --svg $t.svg >$t.json
check "working set: a square for each accessed page and scan = the samples' accessed ($(jsum accessed <$t.json))" \
	'[ "$(marks gpPt4 $t.svg)" = "$(jsum accessed <$t.json)" ] && [ "$(jsum accessed <$t.json)" -gt 0 ]'
check "working set: no eviction marks without a clock" '[ "$(marks gpPt0 $t.svg)" = 0 ]'
wss -w hotcold -c 1 --step 64 -s 1M -n 6 -i 20ms -J --svg $t.clock.svg >$t.clock.json
check "clock: an x for each page the hand evicted = the ticks' evicted ($(jsum evicted <$t.clock.json))" \
	'[ "$(marks gpPt0 $t.clock.svg)" = "$(jsum evicted <$t.clock.json)" ] && [ "$(jsum evicted <$t.clock.json)" -gt 0 ]'
wss -w scan -s 64M -n 6 -i 100ms --svg $t.big.svg >/dev/null
m=$(marks gpPt4 $t.big.svg)
check "64M (16384 pages in 512 rows of 32), 6 scans: $m squares, at most one a row and scan, $(wc -c <$t.big.svg) bytes" \
	'[ "$m" -gt 0 ] && [ "$m" -le $((512 * 6)) ] && [ "$(wc -c <$t.big.svg)" -lt 2000000 ]'
rm -f $t.*
[ "$failed" -eq 0 ]
