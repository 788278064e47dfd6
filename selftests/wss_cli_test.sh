#!/bin/sh
# wss: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..15"
bad 2 "wss: --interval '150': must be between 1ms and 60s" wss -i 150
bad 2 "wss: --interval '5q': unknown unit 'q' (durations take ns, us, ms, s or min)" wss -i 5q
bad 2 "wss: --clock '3': must be between 1 and 2" wss -c 3
bad 2 "wss: --samples '0': must be between 1 and 100000" wss -n 0
bad 2 "wss: --samples '1.5': not a whole number" wss -n 1.5
bad 2 "wss: --workload 'foo': want phases, hotcold or scan" wss -w foo
bad 2 "wss: --size '8K': must be between 64K and 4G" wss -s 8K
bad 2 "wss: --step '9999': more than the region's 1024 pages" wss --step 9999
bad 2 "wss: --spread '1024': more than the region's 1024 pages" wss --spread 1024
bad 2 "wss: unexpected argument 'x'" wss x
bad 1 "wss: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab wss
check "-V" 'wss -V | grep -q "^wss from vmlab "'
check "scan touches every page of a 1M region in each sample" \
	'[ "$(wss -w scan -s 1M -n 3 -i 50ms -J | json | grep -o "\"accessed\":256" | wc -l)" = 3 ]'
check "two-handed clock: one JSON document with the ticks and the totals" \
	'wss -w hotcold -c 2 --step 64 --spread 32 -s 1M -n 3 -i 20ms -J | json | grep -q "^{\"clock\":\[.*\],\"totals\":\[{\"hands\":2,\"pages\":256,"'
check "--no-flush and --plot write the data file" \
	'wss --no-flush -n 2 -i 10ms --plot /tmp/wss$$ >/dev/null 2>&1 && [ "$(wc -l </tmp/wss$$.dat)" = 3 ] && rm -f /tmp/wss$$.*'
[ "$failed" -eq 0 ]
