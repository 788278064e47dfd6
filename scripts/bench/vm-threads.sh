#!/bin/sh
# threadview on a process of 10,000 threads in the VM, against procps
# "ps -T -p PID" in the same run: threadview through the vmlab ioctl and
# through its /proc fallback. Targets (issue 7): ioctl >= 10x ps -T,
# /proc fallback >= 1.8x ps -T. procps ps is in the initramfs when the bench
# adds it (scripts/bench.sh: EXTRA_BINS=/usr/bin/ps); busybox's ps has no -T,
# so without it only the two threadview sources are compared.
N=${THREADS_BENCH_N:-10000}
REPS=${THREADS_BENCH_REPS:-5}
PS=/opt/vmlab/bin/ps
[ -x "$PS" ] && "$PS" -V 2>/dev/null | grep -q procps || PS=""

# 1 GiB of RAM gives a default threads-max below 10,000
[ "$(cat /proc/sys/kernel/threads-max)" -gt $((N + 1000)) ] ||
	echo $((N + 1000)) >/proc/sys/kernel/threads-max
start_s=$(cut -d' ' -f1 /proc/uptime)
threadpark -s "$N" -S 16K >/dev/null &
pid=$!
# "Threads:" of status is a counter: no listing of 10,000 entries per poll
nthreads() { awk '/^Threads:/ { n = $2 } END { print n + 0 }' /proc/$pid/status 2>/dev/null; }
i=0
while [ "$(nthreads)" -lt $((N + 1)) ] && [ $i -lt 600 ]; do
	sleep 0.2
	i=$((i + 1))
done
[ "$(nthreads)" -gt "$N" ] || { echo "vm-threads: threadpark did not start $N threads" >&2; exit 1; }
start_s=$(echo "$start_s $(cut -d' ' -f1 /proc/uptime)" | awk '{ printf "%.1f", $2 - $1 }')

# CLOCK_MONOTONIC in ns into $t: the "now at N nsecs" line of
# /proc/timer_list, read by the shell itself (no fork inside the interval).
now() { { read -r _; read -r _; read -r _ _ t _; } </proc/timer_list; }
now
case $t in
''|*[!0-9]*) echo "vm-threads: no clock in /proc/timer_list" >&2; exit 1 ;;
esac
# run NAME CMD...: time one run of CMD (its output to /tmp/vm-threads.NAME,
# warnings discarded), append "NAME microseconds" to $out.
out=""
run() {
	name=$1
	shift
	now
	s=$t
	"$@" >"/tmp/vm-threads.$name" 2>/dev/null
	now
	out="$out$name $(( (t - s) / 1000 ))
"
}
r=0
while [ $r -lt "$REPS" ]; do
	[ -n "$PS" ] && run ps "$PS" -T -p "$pid"
	run ioctl threadview -q --source=ioctl -p "$pid"
	run proc threadview -q --source=proc -p "$pid"
	r=$((r + 1))
done
lines() { wc -l <"/tmp/vm-threads.$1"; }
kill "$pid"
wait "$pid" 2>/dev/null

echo "## Threads: threadview (vmlab ioctl and /proc) vs ps -T ($(uname -r))"
echo
echo "One process of $N threads asleep on a futex (threadpark); $REPS repetitions,"
echo "interleaved, each a single run timed with CLOCK_MONOTONIC (/proc/timer_list),"
echo "output to a tmpfs file; starting the $N threads took $start_s s."
if [ -n "$PS" ]; then
	echo "Lines printed: ps -T -p $(lines ps) ($("$PS" -V 2>/dev/null)), threadview $(lines ioctl) (ioctl), $(lines proc) (/proc)."
else
	echo "procps ps is not in this initramfs: threadview's sources only."
fi
echo
echo "$out" | awk -v have_ps="${PS:+1}" '
function stats(name, label,   i, j, t, a, k) {
	k = n[name]
	for (i = 1; i <= k; i++) a[i] = v[name, i]
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	med[name] = k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	printf "| %s | %.1f | %.1f | %.1f |\n", label, a[1] / 1000, med[name] / 1000, a[k] / 1000
}
function verdict(r, target) { return sprintf("**%.1fx** (target >= %gx: %s)", r, target, r >= target ? "met" : "NOT met") }
NF == 2 { n[$1]++; v[$1, n[$1]] = $2 }
END {
	print "| command | min ms | median ms | max ms |"
	print "|---|---|---|---|"
	if (have_ps) stats("ps", "ps -T -p PID (procps)")
	stats("ioctl", "threadview -p PID (vmlab ioctl)")
	stats("proc", "threadview --source=proc -p PID")
	print ""
	if (have_ps) {
		print "ps -T / threadview, medians: ioctl " verdict(med["ps"] / med["ioctl"], 10) \
			", /proc fallback " verdict(med["ps"] / med["proc"], 1.8) "."
	} else {
		r = med["proc"] / med["ioctl"]
		printf "/proc fallback / ioctl, medians: **%.1fx** (10x ps -T given 1.8x needs >= 5.6x: %s).\n", r, (r >= 5.6 ? "met" : "NOT met")
	}
}'
rm -f /tmp/vm-threads.ps /tmp/vm-threads.ioctl /tmp/vm-threads.proc
