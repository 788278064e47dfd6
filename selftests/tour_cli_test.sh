#!/bin/sh
# The tour's tools (heapalloc, protfault, tlbchase, filemap, shmfork,
# pagealign, earlyvm, vmquiz): a table of bad inputs with the exact first
# line of the message and the exit status, -V of each, and facts of each
# -J document (cli_json_test checks each is valid JSON).
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..71"
sleep 600 &	# vmquiz's target; killed at the end
pid=$!
asleep $pid sleep
f=/tmp/tour_cli.$$
bad 2 "heapalloc: no STEP given" heapalloc
bad 2 "heapalloc: unknown step 'bogus' (see heapalloc --help)" heapalloc dump bogus
bad 2 "heapalloc: step 'malloc:a': want malloc:NAME:SIZE" heapalloc malloc:a
bad 2 "heapalloc: step 'malloc:a:x': not a number" heapalloc malloc:a:x
bad 2 "heapalloc: step 'malloc:a:2G': must be between 1 and 1G" heapalloc malloc:a:2G
bad 2 "heapalloc: step 'malloc::5': a NAME is 1 to 15 characters, no ':'" heapalloc malloc::5
bad 2 "heapalloc: step 'free:z': no block of that name is allocated" heapalloc malloc:a:1 free:z
bad 2 "heapalloc: step 'malloc:a:2': a block of that name is allocated" heapalloc malloc:a:1 malloc:a:2
bad 2 "heapalloc: step 'sleep:-1': negative" heapalloc sleep:-1
bad 2 "heapalloc: step 'sleep:1y': unknown unit 'y' (durations take ns, us, ms, s or min)" heapalloc sleep:1y
bad 2 "heapalloc: ROUNDS '0': must be between 1 and 1000000" heapalloc bench 0
bad 2 "heapalloc: unexpected argument '2'" heapalloc bench 1 2
bad 2 "heapalloc: unrecognized option '--bogus'" heapalloc --bogus dump
bad 2 "protfault: no ACCESS given" protfault
bad 2 "protfault: unknown access 'foo' (see protfault --help)" protfault write-ro foo
bad 2 "protfault: access 'read:zz': not a hexadecimal number" protfault read:zz
bad 2 "protfault: access 'read:': empty" protfault read:
bad 2 "protfault: invalid option -- 'x'" protfault -x write-ro
bad 2 "tlbchase: --loads '1': must be between 1000 and 1000000000" tlbchase -l 1
bad 2 "tlbchase: --loads '1.5': not a whole number" tlbchase -l 1.5
bad 2 "tlbchase: --loads '5q': unknown unit 'q' (counts take k, M or G: powers of 1000)" tlbchase -l 5q
bad 2 "tlbchase: --max '2M': must be between 16 and 1048576" tlbchase -m 2M
bad 2 "tlbchase: unexpected argument 'x'" tlbchase x
bad 2 "filemap: no FILE given" filemap
bad 2 "filemap: --size '100K': not a multiple of 64K" filemap -s 100K $f
bad 2 "filemap: --size '2G': must be between 64K and 1G" filemap -s 2G $f
bad 2 "filemap: unexpected argument 'b'" filemap -s 64K a b
bad 1 "filemap: /nonexistent/x: No such file or directory" filemap -s 64K /nonexistent/x
bad 2 "shmfork: --wait '2x': unknown unit 'x' (durations take ns, us, ms, s or min)" shmfork -w 2x
bad 2 "shmfork: --wait '2min': must be between 0ns and 60s" shmfork -w 2min
bad 2 "shmfork: --wait '-1': negative" shmfork -w -1
bad 2 "shmfork: unexpected argument 'x'" shmfork x
bad 2 "pagealign: OFFSET '4096': must be between 1 and 4095" pagealign 4096
bad 2 "pagealign: OFFSET 'abc': not a number" pagealign abc
bad 2 "pagealign: unexpected argument '2'" pagealign 1 2
bad 2 "earlyvm: unexpected argument 'x'" earlyvm x
bad 2 "earlyvm: unrecognized option '--bogus'" earlyvm --bogus
bad 2 "vmquiz: no PID given" vmquiz
bad 2 "vmquiz: --count '0': must be between 1 and 100" vmquiz -n 0 $pid
bad 2 "vmquiz: --count '1.5': not a whole number" vmquiz -n 1.5 $pid
bad 2 "vmquiz: --seed 'x': not a number" vmquiz -s x $pid
bad 2 "vmquiz: give the PID once: -p 1 or 2" vmquiz -p 1 2
bad 2 "vmquiz: --pid '0': must be between 1 and 2147483647" vmquiz -p 0
bad 2 "vmquiz: PID 'abc': not a number" vmquiz abc
bad 1 "vmquiz: /proc/4194304/maps: No such file or directory (no such process)" vmquiz 4194304
bad 1 "vmquiz: /nonexistent: No such file or directory" vmquiz -c /nonexistent $pid
bad 1 "vmquiz: cannot open /tmp/no-vmlab: No such file or directory (is vmlab.ko loaded?)" env VMLAB_DEVICE=/tmp/no-vmlab vmquiz $pid
for t in heapalloc protfault tlbchase filemap shmfork pagealign earlyvm vmquiz; do
	check "$t -V" '[ "$($t -V | sed "s/ [0-9.]* (ABI [0-9.]*)$//")" = "$t from vmlab" ]'
done
check "heapalloc -J: a and b freed coalesce with the rest: one free block, consistent" \
	'heapalloc malloc:a:100 malloc:b:200 free:a -J free:b dump | json | grep -q "\"dumps\":\[{\"dump\":1,.*\"blocks\":3,\"free\":1,.*\"list_length\":1,\"consistent\":true}\]"'
check "heapalloc -J: a 10K malloc that fits nowhere calls sbrk a second time" \
	'[ "$(heapalloc -J malloc:big:10K | json | grep -o "{\"grow\":[0-9]*," | tr -d "\n")" = "{\"grow\":4096,{\"grow\":12288," ]'
check "heapalloc text: dump and bench as the chapters read them" \
	'heapalloc malloc:a:1 dump | grep -q "^4 blocks, 1 free (4032 bytes); free list 1 long; tags and links consistent$" &&
	[ "$(heapalloc bench 1 | grep -c "^-O[02]  ")" = 2 ]'
check "heapalloc -J bench: a row per level, times as numbers" \
	'heapalloc -J bench 1 | json | grep -q "^{\"bench\":\[{\"level\":\"-O0\",\"blocks\":[0-9]*,\"rounds\":1,\"function_ns\":[0-9.]*,.*{\"level\":\"-O2\""'
check "protfault -J: write-ro is SEGV_ACCERR at the page; write-rw has no si_code (null)" \
	'protfault -J write-ro write-rw | json | grep -q "\"access\":\"write-ro\",\"address\":\"\(0x[0-9a-f]*\)\",\"signal\":\"SIGSEGV\",\"si_code\":\"SEGV_ACCERR\",\"si_addr\":\"\1\".*\"signal\":\"none\",\"si_code\":null,\"si_addr\":null"'
check "protfault text: the kernel's half is SEGV_MAPERR at its address" \
	'protfault read:ffffffff80000000 | awk "\$1 == \"read:ffffffff80000000\" { ok = \$4 == \"SEGV_MAPERR\" && \$5 == \"0xffffffff80000000\" } END { exit !ok }"'
check "tlbchase -J -m 64: the sizes 16 and 64 pages, their working sets in KiB" \
	'[ "$(tlbchase -J -l 1k -m 64 | json | grep -o "\"pages\":[0-9]*,\"working_set_kib\":[0-9]*" | tr -d "\n")" = "\"pages\":16,\"working_set_kib\":64\"pages\":64,\"working_set_kib\":256" ]'
check "filemap -J -s 64K: read copied 65536 bytes in 1 call; mmap: 0 entries before, 16 after" \
	'filemap -J -s 64K $f | json | grep -q "{\"method\":\"read\",\"syscalls\":1,\"bytes_copied\":65536,\"faults\":[0-9]*,\"entries_before\":null,\"entries_after\":null,\"ms\":[0-9.]*},{\"method\":\"mmap\",\"syscalls\":0,\"bytes_copied\":0,\"faults\":[0-9]*,\"entries_before\":0,\"entries_after\":16,"'
check "filemap text: the METHOD table as chapter 88 reads it" \
	'[ "$(filemap -s 128K $f | awk "\$1 == \"read\" { print \$2, \$3 }")" = "2 131072" ]'
check "shmfork -J -w 1s: the child's write reaches the parent's buffer, not its x" \
	'shmfork -J -w 1s | json | grep -q "{\"who\":\"child\",\"when\":\"wrote\",\"pid\":[0-9]*,\"buffer\":\"goodbye\",\"x\":2,.*{\"who\":\"parent\",\"when\":\"after1s\",\"pid\":[0-9]*,\"buffer\":\"goodbye\",\"x\":1,"'
check "shmfork -w 0.5: the parent says how long it waited" \
	'shmfork -w 0.5 | grep -q "^After 500ms, parent read: goodbye, x = 1$"'
check "pagealign -J 0x10: MAP_FIXED unaligned fails EINVAL; the hint comes back aligned" \
	'pagealign -J 0x10 | json | grep -q "\"page_size\":4096,\"pages_32bit\":1048576.*\"error\":\"EINVAL\"},{\"try\":\"hintonly,aligned+offset\",\"addr\":\"0x[0-9a-f]*010\",\"mapped_at\":\"0x[0-9a-f]*000\",\"aligned\":true,"'
check "earlyvm -J: 5 images swapped in (192 KiB), overlays peak at 100 KiB" \
	'earlyvm -J | json | grep -q "\"swapping_total\":\[{\"swapped_in\":5,\"moved_kib\":192}\].*\"overlays_total\":\[{\"loads\":4,\"read_kib\":110,\"peak_kib\":100,\"memory_kib\":100}\]"'
check "vmquiz -J -n 14: fourteen questions of the seven kinds, about process $pid" \
	'vmquiz -J -n 14 -p $pid | json | grep -o "\"type\":\"[a-z]*\"" >$f.q && [ "$(wc -l <$f.q)" = 14 ] && [ "$(sort -u $f.q | wc -l)" = 7 ] &&
	vmquiz -J -n 14 -p $pid | json | grep -q "^{\"quiz\":\[{\"seed\":1,\"pid\":$pid,\"vmas\":[1-9][0-9]*,\"levels\":[45]}\]"'
check "vmquiz -J -c: empty answers are all wrong, the score says so" \
	'vmquiz -J -n 7 -c /dev/null $pid | json | grep -q "\"right\":false}\],\"score\":\[{\"right\":0,\"asked\":7}\]}$"'
check "vmquiz: -p PID and PID ask the same questions" \
	'[ "$(vmquiz -s 5 -p $pid)" = "$(vmquiz -s 0x5 $pid)" ]'
kill $pid
wait $pid 2>/dev/null
rm -f $f $f.q
[ "$failed" -eq 0 ]
