#!/bin/sh
# racedemo: its options against the module, and a table of bad inputs with
# the exact first line of the message and the exit status.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..38"
bad 2 "racedemo: missing COMMAND" racedemo
bad 2 "racedemo: unknown command 'nosuch'" racedemo -J nosuch
bad 2 "racedemo saldo: --runs 'abc': not a number" racedemo saldo -r abc
bad 2 "racedemo saldo: --window '2000': must be between 0ns and 1ms" racedemo saldo -w 2000
bad 2 "racedemo saldo: unexpected argument 'x'" racedemo saldo x
bad 2 "racedemo counter: --ops '1e6': unknown unit 'e6' (counts take k, M or G: powers of 1000)" racedemo counter -n 1e6
bad 2 "racedemo counter: --threads '0': must be between 1 and 1024" racedemo counter -t 0
bad 2 "racedemo counter: --procs '257': must be between 1 and 256" racedemo counter -P 257
bad 2 "racedemo counter: --mode 'bogus': unknown mode (see racedemo counter --help)" racedemo counter -m bogus
bad 2 "racedemo counter: invalid option -- 'p'" racedemo counter -p 2
bad 2 "racedemo counter: --delay and --name are for the kernel modes" racedemo counter -m none -d 5us
bad 2 "racedemo counter: --delay: an atomic add has no window to widen" racedemo counter -m kernel-atomic -d 1us
bad 2 "racedemo counter: --delay '1ms': must be between 0ns and 100us" racedemo counter -m kernel-racy -d 1ms
bad 2 "racedemo counter: --yield is for the none and pthread-mutex modes" racedemo counter -m atomic -y 5
bad 2 "racedemo counter: --name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': too long" \
	racedemo counter -m kernel-mutex --name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
bad 2 "racedemo beer: --attempt 'x': unknown attempt (see racedemo beer --help)" racedemo beer -a x
bad 2 "racedemo beer: --buy '-1': negative" racedemo beer -b -1
bad 2 "racedemo beer: --rounds '0': must be between 1 and 1000000000" racedemo beer -r 0
bad 2 "racedemo locks: --threads '1': must be between 2 and 256" racedemo locks -t 1
bad 2 "racedemo locks: --duration '300': must be between 1ms and 60s" racedemo locks -d 300
bad 2 "racedemo locks: --lock 'x': unknown lock (see racedemo locks --help)" racedemo locks -l x
bad 2 "racedemo trylock: --timeout must be shorter than --hold" racedemo trylock -H 300ms -T 300ms
bad 2 "racedemo trylock: --hold '61s': must be between 1ms and 60s" racedemo trylock --hold 61s
bad 2 "racedemo step: --schedule 'ABABABA': up to 6 of A and B" racedemo step -s ABABABA
bad 2 "racedemo step: --schedule 'A,A,A,A': A has only 3 instructions" racedemo step -s A,A,A,A
bad 2 "racedemo step: --predict 'x': not a number" racedemo step -P x
bad 2 "racedemo step: --json: step is interactive, its output is text" racedemo -J step -s A
bad 2 "racedemo bench: --ops '0': must be between 1 and 1000000000000" racedemo bench -n 0
bad 1 "racedemo bench: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" \
	env VMLAB_DEVICE=/tmp/no-vmlab racedemo bench
bad 1 "racedemo counter: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" \
	env VMLAB_DEVICE=/tmp/no-vmlab racedemo counter -m kernel-mutex
check "-V, before and after the command" \
	'racedemo -V | grep -q "^racedemo from vmlab " && racedemo saldo -V | grep -q "^racedemo from vmlab "'
check "--help says the units" \
	'racedemo counter --help | grep -q "powers of 1000" && racedemo locks -h | grep -q "durations: 300ms"'
check "interleavings -J: one document, the tables orders and outcomes, numbers and flags typed" \
	'racedemo interleavings -J | json | grep -q "^{\"orders\":\[{.*}\],\"outcomes\":\[{.*{\"program\":\"A:x=x+1B:x=x+2\",\"result\":\"x=3\",\"interleavings\":2,\"serial\":true}\]}$"'
check "-J before or after the command: the same document" \
	'[ "$(racedemo -J beer -r 50 -a lock | json | sed "s/\"[ab]_bought\":[0-9]*//g")" = "$(racedemo beer -r 50 -a lock -J | json | sed "s/\"[ab]_bought\":[0-9]*//g")" ] &&
	 racedemo beer -r 50 -a lock -J | json | grep -q "^{\"beer\":\[{\"attempt\":\"lock\",\"rounds\":50,\"one_bought\":50,\"both_bought\":0,"'
check "kernel-atomic, 2 processes x 2 threads x 10k: exact, and the counter's statistics" \
	'racedemo counter -P 2 -t 2 -n 10k -m kernel-atomic -J | json | grep -q "^{\"counter\":\[{\"mode\":\"kernel-atomic\",\"processes\":2,\"threads\":2,\"ops\":10000,\"expected\":40000,\"actual\":40000,\"lost\":0,.*\"memory\":\"kernel\",\"contended\":[0-9]*,\"wait_ns_max\":[0-9]*,\"max_inside\":[0-9]*}\]}$"'
check "kernel-mutex with --delay 2us: exact, one inside at a time" \
	'racedemo counter -t 2 -n 2k -m kernel-mutex -d 2us -J | json | grep -q "\"lost\":0,.*\"max_inside\":1}"'
check "bench -n 1k: six ioctls timed, as numbers" \
	'[ "$(racedemo bench -n 1k -J | json | grep -o "\"ns_per_op\":[0-9.]*" | wc -l)" = 6 ]'
check "trylock --hold 1s --timeout 10ms: EBUSY, ETIMEDOUT, 0, 0" \
	'[ "$(racedemo trylock --hold 1s --timeout 10ms -J | json | grep -o "\"returned\":\"[A-Z0-9]*\"" | tr "\n" " ")" = "\"returned\":\"EBUSY\" \"returned\":\"ETIMEDOUT\" \"returned\":\"0\" \"returned\":\"0\" " ]'
[ "$failed" -eq 0 ]
