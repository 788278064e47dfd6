#!/bin/sh
# threadpark: its options, and a table of bad inputs with the exact first
# line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..17"
bad 2 "threadpark: --sleep '-1': negative" threadpark -s -1
bad 2 "threadpark: --sleep '100001': must be between 0 and 100000" threadpark -s 100001
bad 2 "threadpark: --sleep '1.5': not a whole number" threadpark -s 1.5
bad 2 "threadpark: --spin '65': must be between 0 and 64" threadpark -r 65
bad 2 "threadpark: --yield '1k': must be between 0 and 64" threadpark -y 1k
bad 2 "threadpark: --life 'x': not a number" threadpark -l x
bad 2 "threadpark: --stack '16': must be between 16K and 64M" threadpark -S 16
bad 2 "threadpark: --time '5x': unknown unit 'x' (durations take ns, us, ms, s or min)" threadpark -t 5x
bad 2 "threadpark: --time '2d': unknown unit 'd' (durations take ns, us, ms, s or min)" threadpark -t 2d
bad 2 "threadpark: unexpected argument 'x'" threadpark x
bad 2 "threadpark: invalid option -- 'q'" threadpark -q
check "-V" 'threadpark -V | grep -q "^threadpark from vmlab "'
check "--help says the units" 'threadpark --help | grep -q "a duration: 30s, 500ms" && threadpark -h | grep -q "16K to 64M"'
check "-J: one document, the counts and the zombie's PID as numbers" \
	'threadpark -J -s 2 -y 1 -x 1 -z -t 0 | json | grep -q "^{\"threadpark\":\[{\"pid\":[0-9]*,\"sleeping\":2,\"spinning\":0,\"exited\":1,\"lifecycle\":0,\"yielding\":1,\"zombie\":[0-9]*}\]}$"'
check "only -l: done when the threads are; no zombie is null" \
	'threadpark -l 2 -J | json | grep -q "\"lifecycle\":2,\"yielding\":0,\"zombie\":null}"'
threadpark -s 3 -r 1 -S 16K -t 3s >/tmp/tp.out 2>&1 &
park=$!
sleepers() { cat /proc/$park/task/*/stat 2>/dev/null | grep -c "^[0-9]* (sleeper[0-9]) S "; }
until_true 10 '[ "$(sleepers)" = 3 ] && grep -q "^threadpark pid" /tmp/tp.out'
check "-s 3 -r 1 -S 16K: 5 threads, 3 of them asleep; the text line says so" \
	'[ "$(ls /proc/$park/task | wc -l)" = 5 ] && [ "$(sleepers)" = 3 ] &&
	 grep -q "^threadpark pid $park: 3 sleeping, 1 spinning, 0 exited, 0 lifecycle$" /tmp/tp.out'
start=$(date +%s)
wait $park
rc=$?
check "-t 3s: it exits by itself, status 0" '[ "$rc" = 0 ] && [ $(($(date +%s) - start)) -le 4 ]'
rm -f /tmp/tp.out
[ "$failed" -eq 0 ]
