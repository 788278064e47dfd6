#!/bin/sh
# vmlabctl: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..29"
r=cli$$
bad 2 "vmlabctl: missing COMMAND (info or shm)" vmlabctl
bad 2 "vmlabctl: unknown command 'bogus'" vmlabctl bogus
bad 2 "vmlabctl: info takes no arguments" vmlabctl info x
bad 2 "vmlabctl: shm create needs NAME SIZE" vmlabctl shm create x
bad 2 "vmlabctl: SIZE '12Q': unknown unit 'Q' (sizes take K, M, G or T: powers of 1024)" vmlabctl shm create x$$ 12Q
bad 2 "vmlabctl: shm attach: unknown action 'bogus'" vmlabctl shm attach $r bogus
bad 2 "vmlabctl: shm attach: action 'add=x': not a number" vmlabctl shm attach $r add=x
bad 2 "vmlabctl: shm attach: action 'add=1.5': not a whole number" vmlabctl shm attach $r add=1.5
bad 2 "vmlabctl: shm attach: action 'read=5': takes no value" vmlabctl shm attach $r read=5
bad 2 "vmlabctl: shm attach: action 'sleep=1y': unknown unit 'y' (durations take ns, us, ms, s or min)" vmlabctl shm attach $r sleep=1y
bad 2 "vmlabctl: shm attach: --excl needs --create" vmlabctl shm attach --excl $r
bad 2 "vmlabctl: --offset '3': not a multiple of 8" vmlabctl shm attach -o 3 $r
bad 2 "vmlabctl: --reps '0': must be between 1 and 1000" vmlabctl shm bench --reps 0
bad 2 "vmlabctl: shm create: no option -x here" vmlabctl shm create -x a 1K
bad 1 "vmlabctl: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab vmlabctl info
arch=x86-64
[ "$(uname -m)" = aarch64 ] && arch=arm64
check "info -J (after the command): the ABI, features, $arch, 4K pages, 4 or 5 levels" \
	'vmlabctl info -J | json | grep -q "^{\"vmlab\":\[{\"abi\":\"2\.[0-9]*\",\"features\":\"shm,pt.*\",\"arch\":\"$arch\",\"page\":4096,\"levels\":[45]}"'
check "create" 'vmlabctl shm create $r 8K >/dev/null'
bad 1 "vmlabctl: shm create $r: File exists" vmlabctl shm create $r 8K
bad 1 "vmlabctl: shm attach nosuch$$: No such file or directory" vmlabctl shm attach nosuch$$ read
check "write then read from another process" \
	'vmlabctl shm attach $r write=77 >/dev/null && vmlabctl shm attach $r read | grep -q "read: 77$"'
check "private write stays private" \
	'vmlabctl shm attach --private $r write=5 peek | grep -q "peek (shared view): 77$"'
check "attach -J: a row per action, values as numbers" \
	'vmlabctl shm attach $r read add=1k -J | json | grep -q "\"action\":\"read\",\"value\":77,.*\"action\":\"add=1k\",\"value\":1077,"'
check "sync=2: two processes leave the barrier together" \
	'vmlabctl shm attach $r sync=2 >/tmp/s1.$$ & vmlabctl shm attach $r sync=2 >/tmp/s2.$$; wait; cat /tmp/s1.$$ /tmp/s2.$$ | grep -c "sync: 2 processes arrived" | grep -q "^2$"'
check "touch=P stops at the region's pages; stat counts them resident" \
	'vmlabctl shm attach $r touch=100 stat | grep -q "touch: wrote to 2 pages" && vmlabctl shm stat $r -J | json | grep -q "\"resident\":2,"'
check "ls --json lists the region with its length" \
	'vmlabctl shm ls --json | json | grep -q "\"name\":\"$r\",\"length\":8192,"'
check "bench --size 64K --reps 2: two rows" \
	'[ "$(vmlabctl -J shm bench --size 64K --reps 2 | json | grep -o "\"rep\":" | wc -l)" = 2 ]'
check "unlink -J names the region" 'vmlabctl shm unlink $r -J | json | grep -q "\"unlinked\":\[{\"name\":\"$r\""'
check "stat of the unlinked name exits 1" '! vmlabctl shm stat $r 2>/dev/null'
check "totals back to no region" 'vmlabctl shm stat -J | json | grep -q "\"regions\":0,"'
rm -f /tmp/s1.$$ /tmp/s2.$$
[ "$failed" -eq 0 ]
