#!/bin/sh
# ptdump: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..28"
bad 2 "ptdump: --wait '5x': unknown unit 'x' (durations take ns, us, ms, s or min)" ptdump -w 5x -- true
bad 2 "ptdump: --wait '-1': negative" ptdump -w -1 -- true
bad 2 "ptdump: --bench '0': must be between 1 and 1000" ptdump --bench 0
bad 2 "ptdump: --bench '2k': must be between 1 and 1000" ptdump -b 2k
bad 2 "ptdump: --range '2000-1000': A must be below B" ptdump -r 2000-1000
bad 2 "ptdump: --range '1001-2000': addresses must be page aligned (multiples of 0x1000)" ptdump -r 1001-2000
bad 2 "ptdump: --range '1000': want A-B (hex addresses)" ptdump -r 1000
bad 2 "ptdump: --explain '0xg': not a hexadecimal number" ptdump -e 0xg
bad 2 "ptdump: --explain '10000000000000000': too large" ptdump -e 10000000000000000
bad 2 "ptdump: PID 'abc': not a number" ptdump abc
bad 2 "ptdump: --pid '0': must be between 1 and 2147483647" ptdump -p 0
bad 2 "ptdump: --pid '2147483648': must be between 1 and 2147483647" ptdump -p 2147483648
bad 2 "ptdump: PID '18446744073709551616': too large" ptdump 18446744073709551616
bad 2 "ptdump: give the PID once: -p 1 or 2" ptdump -p 1 2
bad 2 "ptdump: unrecognized option '--bogus'" ptdump --bogus
bad 1 "ptdump: /proc/4194304/pagemap: No such file or directory (no such process)" ptdump 4194304
bad 1 "ptdump: process 2 has no user address space (a kernel thread)" ptdump 2
bad 1 "ptdump: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab ptdump
check "-V names the tool and the ABI" 'ptdump -V | grep -q "^ptdump from vmlab .* (ABI [0-9]*\.[0-9]*)$"'
sleep 600 &
spid=$!
asleep $spid sleep
check "-p PID and the PID argument give the same ranges" \
	'[ "$(ptdump -p $spid -J | json | sed "s/\"accessed\":[0-9]*//g")" = "$(ptdump $spid -J | json | sed "s/\"accessed\":[0-9]*//g")" ]'
check "-J after the PID: one document with ranges and pagetables" \
	'ptdump $spid -J | json | grep -q "^{\"ranges\":\[.*\],\"pagetables\":\[.*\]}$"'
check "--pages --levels: one line per page with the upper entries" \
	'ptdump -P -l -J $spid | json | grep -q "\"pgd\":\"0x[0-9a-f]*\",\"p4d\""'
va=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2]; exit }' /proc/$spid/maps)
check "--explain of the last stack byte: mapped, a 4K page, in JSON" \
	'ptdump -J -e $(printf "%x" $((0x$va - 1))) $spid | json | grep -q "\"mapped\":true,\"page\":\"4K\""'
stack=$(awk '/\[stack\]/ { print $1; exit }' /proc/$spid/maps)
check "--bench 2 -J over the stack: two timed walks of each kind, in one document" \
	'[ "$(ptdump -b 2 -r $stack -J $spid | json | grep -o "{\"rep\":[01],\|{\"walk\":\"sparse\"," | wc -l)" = 4 ]'
check "--bench: PAGEMAP_SCAN (6.7+; 0 before) finds the present pages pagemap reads" \
	'ptdump -b 1 -r $stack -J $spid | json | grep -q "\"pagemap_pages\":\([1-9][0-9]*\),\"pagemap_ns\":[0-9]*,\"scan_pages\":\(\1\|0\),"'
check "--summary counts one PGD" 'ptdump -s -J $spid | json | grep -q "\"level\":\"PGD\",\"tables\":1,"'
# A member of group vmlab may use the device, not read root's page tables.
mode=$(stat -c %a /dev/vmlab) group=$(stat -c %g /dev/vmlab)
chgrp 900 /dev/vmlab && chmod 0660 /dev/vmlab
check "another user's process needs ptrace access" \
	'su -s /bin/sh student -c "ptdump $spid" 2>&1 | grep -q "^ptdump: /proc/$spid/pagemap: Permission denied (reading another user.s page tables needs ptrace access"'
chgrp "$group" /dev/vmlab && chmod "$mode" /dev/vmlab
check "-- CMD with --wait 100ms dumps the command" \
	'ptdump -s -w 100ms -J -- sleep 1 | json | grep -q "\"level\":\"PTE\",\"tables\":[1-9]"'
kill $spid
[ "$failed" -eq 0 ]
