#!/bin/sh
# vmlabfuzz: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..10"
bad 2 "vmlabfuzz: --ops '0': must be at least 1" vmlabfuzz -n 0
bad 2 "vmlabfuzz: --ops '1.5': not a whole number" vmlabfuzz -n 1.5
bad 2 "vmlabfuzz: --duration '1q': unknown unit 'q' (durations take ns, us, ms, s or min)" vmlabfuzz -d 1q
bad 2 "vmlabfuzz: --threads '17': must be between 1 and 16" vmlabfuzz -j 17
bad 2 "vmlabfuzz: --seed '-1': negative" vmlabfuzz -s -1
bad 2 "vmlabfuzz: unexpected argument 'x'" vmlabfuzz x
bad 2 "vmlabfuzz: unrecognized option '--scenario'" vmlabfuzz --scenario reload
bad 1 "vmlabfuzz: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab vmlabfuzz -n 1
check "-V" 'vmlabfuzz -V | grep -q "^vmlabfuzz from vmlab "'
out=$(vmlabfuzz -n 2k -j 2 -s 7 -J 2>/dev/null | json)
ops=$(echo "$out" | sed -n 's/.*"name":"ops","count":\([0-9]*\)}.*/\1/p')
check "-n 2k -j 2 -J: one document, at least 2000 operations (got '$ops'), the seed kept" \
	'echo "$out" | grep -q "^{\"vmlabfuzz\":\[{\"section\":\"run\",\"name\":\"seed\",\"count\":7}" && [ "${ops:-0}" -ge 2000 ]'
[ "$failed" -eq 0 ]
