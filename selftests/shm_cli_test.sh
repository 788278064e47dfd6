#!/bin/sh
# vmlabctl shm: exit codes, JSON output and the actions, against the module.
n=0 failed=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n $1"; else failed=$((failed + 1)); echo "not ok $n $1"; fi
}
echo "TAP version 13"
echo "1..10"
r=cli$$
check "create" 'vmlabctl shm create $r 8K >/dev/null'
check "create of an existing name exits 1" 'vmlabctl shm create $r 8K 2>/dev/null; [ $? = 1 ]'
check "attach of a missing name exits 1 with the reason" \
	'vmlabctl shm attach nosuch$$ read 2>&1 | grep -q "No such file"'
check "unknown action exits 2" 'vmlabctl shm attach $r bogus >/dev/null 2>&1; [ $? = 2 ]'
check "bad size exits 2" 'vmlabctl shm create x$$ 12Q >/dev/null 2>&1; [ $? = 2 ]'
check "write then read from another process" \
	'vmlabctl shm attach $r write=77 >/dev/null && vmlabctl shm attach $r read | grep -q "read: 77$"'
check "private write stays private" \
	'vmlabctl shm attach -p $r write=5 peek | grep -q "peek (shared view): 77$"'
check "ls --json lists the region with its resident page" \
	'vmlabctl --json shm ls | tr -d " \n" | grep -q "\"name\":\"$r\",\"length\":8192,\"resident\":1,"'
check "unlink, then stat of the name exits 1" \
	'vmlabctl shm unlink $r && ! vmlabctl shm stat $r 2>/dev/null'
check "totals back to no region" \
	'vmlabctl --json shm stat | tr -d " \n" | grep -q "\"regions\":0,"'
[ $failed = 0 ]
