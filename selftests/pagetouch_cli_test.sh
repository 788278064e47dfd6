#!/bin/sh
# pagetouch: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..16"
bad 2 "pagetouch: no STEP given" pagetouch
bad 2 "pagetouch: step 'read:4': page 4 is outside the region (pages 0 to 3)" pagetouch read:4
bad 2 "pagetouch: step 'write:x': not a number" pagetouch write:x
bad 2 "pagetouch: step 'sleep:-1': negative" pagetouch sleep:-1
bad 2 "pagetouch: step 'sleep:abc': not a number" pagetouch sleep:abc
bad 2 "pagetouch: step 'sleep:1y': unknown unit 'y' (durations take ns, us, ms, s or min)" pagetouch sleep:1y
bad 2 "pagetouch: unknown step 'bogus' (see pagetouch --help)" pagetouch dump bogus
bad 2 "pagetouch: --size '5000': not a whole number of 4K pages" pagetouch -s 5000 dump
bad 2 "pagetouch: --size '12Q': unknown unit 'Q' (sizes take K, M, G or T: powers of 1024)" pagetouch -s 12Q dump
bad 2 "pagetouch: --size '32G': must be between 4K and 16G" pagetouch -s 32G dump
bad 1 "pagetouch: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab pagetouch dump
check "a bad step runs no step before it" '! pagetouch write:0 read:9 2>/dev/null | grep -q write'
check "-V" 'pagetouch -V | grep -q "^pagetouch from vmlab "'
check "write then dump: page 1 present, accessed, dirty, writable" \
	'pagetouch -J write:1 dump | json | grep -q "\"page\":1,\"va\":\"0x[0-9a-f]*\",\"pfn\":[0-9]*,\"p\":true,\"a\":true,\"d\":true,\"w\":true"'
check "one JSON document across fork: the child's dump and the parent's" \
	'[ "$(pagetouch --json write:0 fork dump | json | grep -o "\"who\":\"\(child\|parent\)\",\"label\"" | sort -u | wc -l)" = 2 ]'
check "clear counts the set bits as a number, sleep:10ms runs" \
	'pagetouch -J write:all clear sleep:10ms | json | grep -q "\"action\":\"clear\",\"value\":4,"'
[ "$failed" -eq 0 ]
