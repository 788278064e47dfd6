#!/bin/sh
# threadview: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..17"
bad 2 "threadview: --pid '0': must be between 1 and 2147483647" threadview -p 0
bad 2 "threadview: --pid 'x': not a number" threadview -p 1,x
bad 2 "threadview: PID '1a': unexpected 'a' after the number" threadview 1a
bad 2 "threadview: --watch '0': must be between 1ms and 86400s" threadview -w 0
bad 2 "threadview: --iterations '0': must be at least 1" threadview -w 1 -n 0
bad 2 "threadview: --source 'x': want auto, ioctl or proc" threadview --source x
bad 2 "threadview: unknown column 'foo' (see threadview --help)" threadview -o pid,foo
bad 2 "threadview: unknown column 'bar' (see threadview --help)" threadview -s -bar
bad 2 "threadview: --user 'nosuchuser': no such user (a name or a uid)" threadview -u nosuchuser
bad 2 "threadview: --tree needs cmd as the last column" threadview --tree -o cmd,pid
bad 1 "threadview: process 4194304: no such process" threadview -q -p 4194304
bad 1 "threadview: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab threadview --source ioctl
threadpark -s 2 >/tmp/tv.out 2>&1 &
park=$!
until_true 10 'grep -q "^threadpark pid" /tmp/tv.out'
check "-p and a PID argument list the same threads" \
	'[ "$(threadview -q -p $park -o spid)" = "$(threadview -q $park -o spid)" ] && [ "$(threadview -q $park -o spid | wc -l)" -ge 3 ]'
check "--sort -spid: TIDs descending" \
	'threadview -q -p $park -o spid -s -spid | tail -n +2 | sort -rn -c'
check "--tree: the process line, then its threads (ps m)" \
	'threadview -q -p $park --tree -o pid,spid,cmd | sed -n 2p | grep -q "^ *$park  *- threadpark$"'
check "-O adds a column before CMD; -u root and -e find the process" \
	'threadview -q -u root -O psr | head -n 1 | grep -q "PSR CMD$" && threadview -q -e -o pid | grep -q "^ *$park$"'
check "--watch 100ms -n 2: two refreshes, and one JSON document each" \
	'[ "$(threadview -q -p $park -w 100ms -n 2 -J | grep -c "^{")" = 2 ]'
kill $park
[ "$failed" -eq 0 ]
