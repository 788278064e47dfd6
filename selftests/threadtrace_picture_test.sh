#!/bin/sh
# threadtrace --svg: the timeline, drawn by gnuplot, has a bar for each
# state a thread entered (a dot for Finished): the timeline of -J in the
# same run, state by state.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

# bars STATE FILE: the bars in gnuplot's plot titled STATE.
bars() {
	awk -v want="$1" '/id="gnuplot_plot_/ { g = $0; sub(/.*<title>/, "", g); sub(/<\/title>.*/, "", g) }
		/<polygon/ && g == want { n++ } END { print n + 0 }' "$2"
}
# steps STATE: the timeline's steps into STATE in the JSON on stdin.
steps() { json | grep -o "\"state\":\"$1\",\"why\"" | wc -l; }

echo "TAP version 13"
echo "1..6"
t=/tmp/ttpic$$
bad 2 "threadtrace: --svg '': want a file name" threadtrace --svg "" -- true
# The traces need the bpf() syscall and the kernel's BTF (as threadtrace_cli_test).
if [ ! -e /proc/sys/kernel/unprivileged_bpf_disabled ] || [ ! -e /sys/kernel/btf/vmlinux ]; then
	for s in Ready Running Waiting Finished "every step"; do
		skip "$s" "kernel without the bpf() syscall or BTF"
	done
	exit 0
fi
if ! drawer gnuplot; then
	for s in Ready Running Waiting Finished "every step"; do
		skip "$s" "$no_drawer"
	done
	exit 0
fi
# wss: a process of two threads (its workload and the sampler).
threadtrace -J --svg $t.svg -- wss -n 3 -i 20ms >$t.json
for s in Ready Running Waiting; do
	check "$s: a bar for each step into it ($(steps $s <$t.json))" '[ "$(bars $s $t.svg)" = "$(steps $s <$t.json)" ]'
done
check "Finished: a dot for each thread that finished ($(steps Finished <$t.json))" \
	'[ "$(grep -c "xlink:href=.#gpPt6. transform" $t.svg)" = "$(steps Finished <$t.json)" ] && [ "$(steps Finished <$t.json)" -ge 2 ]'
check "every step of the timeline is drawn ($(json <$t.json | grep -o '"t_ns":' | wc -l))" \
	'[ $(($(bars Init $t.svg) + $(bars Ready $t.svg) + $(bars Running $t.svg) + $(bars Waiting $t.svg) + $(grep -c "xlink:href=.#gpPt6. transform" $t.svg))) = "$(json <$t.json | grep -o "\"t_ns\":" | wc -l)" ]'
rm -f $t.*
[ "$failed" -eq 0 ]
