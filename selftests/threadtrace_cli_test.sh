#!/bin/sh
# threadtrace: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..11"
bad 2 "threadtrace: give exactly one of -p PID, -t TID or -- COMMAND" threadtrace
bad 2 "threadtrace: --pid '0': must be between 1 and 2147483647" threadtrace -p 0
bad 2 "threadtrace: --tid 'x': not a number" threadtrace -t x
bad 2 "threadtrace: --duration '1x': unknown unit 'x' (durations take ns, us, ms, s or min)" threadtrace -d 1x -p 1
bad 2 "threadtrace: give exactly one of -p PID, -t TID or -- COMMAND" threadtrace -p 1 -t 1
bad 1 "threadtrace: no process 4194304" threadtrace -p 4194304
bad 1 "threadtrace: no thread 4194304" threadtrace -t 4194304
check "-V" 'threadtrace -V | grep -q "^threadtrace from vmlab "'
# The traces need the bpf() syscall and the kernel's BTF (CO-RE): the
# tinyconfig debug kernel has neither.
if [ ! -e /proc/sys/kernel/unprivileged_bpf_disabled ] || [ ! -e /sys/kernel/btf/vmlinux ]; then
	for t in "-- CMD -J" "-p PID -H" "-t TID -J"; do
		skip "$t" "kernel without the bpf() syscall or BTF"
	done
	exit 0
fi
check "-- CMD -J: one document, the command's thread Finished" \
	'threadtrace -J -- sleep 0.1 | json | grep -q "^{\"trace\":\[{\"source\":\"bpf\",\"threads\":1,.*\"comm\":\"sleep\",.*\"state\":\"Finished\""'
sleep 60 &
s=$!
check "-p PID -d 200ms -q -H: the summary and the histogram" \
	'threadtrace -q -H -d 200ms -p $s | grep -q "run-queue wait"'
check "-t TID -d 100ms -J: one thread in the trace" \
	'threadtrace -J -d 100ms -t $s | json | grep -q "\"source\":\"bpf\",\"threads\":[01],"'
kill $s
[ "$failed" -eq 0 ]
