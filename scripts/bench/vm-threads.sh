#!/bin/sh
# threadview on a process of 10,000 threads in the VM: the batched ioctl
# against threadview's own /proc fallback (busybox has no ps -T; the host
# bench host-threads.sh compares the fallback with procps ps -T). Targets
# (issue 7): ioctl >= 10x ps -T, /proc fallback >= 1.8x ps -T; so ioctl
# against the fallback should be >= 10 / 1.8 = 5.6x.
N=${THREADS_BENCH_N:-10000}
REPS=${THREADS_BENCH_REPS:-5}
LOOPS=${THREADS_BENCH_LOOPS:-5}

# 1 GiB of RAM gives a default threads-max below 10,000
[ "$(cat /proc/sys/kernel/threads-max)" -gt $((N + 1000)) ] ||
	echo $((N + 1000)) >/proc/sys/kernel/threads-max
threadpark -s "$N" -S 16 >/dev/null &
pid=$!
i=0
while [ "$(ls /proc/$pid/task 2>/dev/null | wc -l)" -lt $((N + 1)) ] && [ $i -lt 600 ]; do
	sleep 0.2
	i=$((i + 1))
done
[ "$(ls /proc/$pid/task 2>/dev/null | wc -l)" -gt "$N" ] || { echo "vm-threads: threadpark did not start $N threads" >&2; exit 1; }

# centiseconds from /proc/uptime; LOOPS runs per figure make it fine enough
now() { tr -d . </proc/uptime | cut -d' ' -f1; }
run() {
	s=$(now)
	j=0
	while [ $j -lt "$LOOPS" ]; do
		threadview -q --source="$1" -p "$pid" >/dev/null
		j=$((j + 1))
	done
	e=$(now)
	echo "$1 $(( (e - s) * 10 / LOOPS ))"	# ms per run
}
lines=$(threadview -q --source=ioctl -p "$pid" | wc -l)
out=""
r=0
while [ $r -lt "$REPS" ]; do
	out="$out$(run ioctl)
$(run proc)
"
	r=$((r + 1))
done
kill "$pid"
wait "$pid" 2>/dev/null

echo "## Threads: threadview, vmlab ioctl vs /proc fallback ($(uname -r))"
echo
echo "One process of $N threads asleep on a futex; $REPS repetitions of $LOOPS runs"
echo "each, interleaved (time from /proc/uptime, 10 ms resolution over $LOOPS runs)."
echo "Each run prints $lines lines."
echo
echo "$out" | awk '
function stats(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return sprintf("%d | %d | %d", a[1], med, a[n])
}
NF == 2 { n[$1]++; v[$1, n[$1]] = $2 }
END {
	print "| threadview source | min ms | median ms | max ms |"
	print "|---|---|---|---|"
	for (j = 1; j <= n["ioctl"]; j++) a[j] = v["ioctl", j]
	print "| ioctl (VMLAB_IOC_THREADS) | " stats(a, n["ioctl"]) " |"; mi = med
	for (j = 1; j <= n["proc"]; j++) a[j] = v["proc", j]
	print "| /proc/PID/task/TID/stat | " stats(a, n["proc"]) " |"; mp = med
	print ""
	r = mi > 0 ? mp / mi : 0
	printf "/proc fallback / ioctl, medians: **%.1fx** (needed for 10x ps -T given 1.8x: >= 5.6x: %s).\n", r, (r >= 5.6 ? "met" : "NOT met")
}'
