#!/bin/sh
# Kernel counters: (1) an uncontended CTR_ADD in mutex mode against a no-op
# ioctl on the same file, VMLAB_IOC_VERSION (the same dispatch, and a struct
# of the same kind copied in and out; an unknown command, -ENOTTY from the
# same dispatch, is shown too). Target (issue 6): CTR_ADD <= 1.5x VERSION.
# (2) Contended throughput of each kernel mode with 1, 2 and 4 threads.
reps=${CTR_BENCH_REPS:-5}
ops=${CTR_BENCH_OPS:-20000}
total=${CTR_BENCH_TOTAL:-20000}

stats='function stats(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return sprintf("%.0f | %.0f | %.0f", a[1], med, a[n])
}
# add(key, x): one more figure of key; keys keep the order they came in.
function add(key, x) {
	n[key]++; v[key, n[key]] = x
	if (!(key in seen)) { seen[key] = 1; order[++k] = key }
}
# key_stats(key): stats() of the figures of key; its median in med_of[key].
function key_stats(key,   j, s) {
	for (j = 1; j <= n[key]; j++) a[j] = v[key, j]
	s = stats(a, n[key]); med_of[key] = med
	return s
}'

runs=""
i=0
while [ $i -lt "$reps" ]; do
	runs="$runs$(racedemo bench -n "$ops" | sed 1d)
"
	i=$((i + 1))
done
echo "## Kernel counters: CTR_ADD cost and contended throughput ($(uname -r))"
echo
echo "### Uncontended: one thread, one file, $ops ioctls per figure, $reps repetitions"
echo
echo "$runs" | awk "$stats"'
NF == 2 { add($1, $2) }
END {
	print "| ns per ioctl | min | median | max |"
	print "|---|---|---|---|"
	for (i = 1; i <= k; i++)
		print "| " order[i] " | " key_stats(order[i]) " |"
	print ""
	r = med_of["ctr-add-mutex"] / med_of["version"]
	printf "CTR_ADD (mutex) / VMLAB_IOC_VERSION, medians: **%.2fx** (target <= 1.5x: %s).\n", r, (r <= 1.5 ? "met" : "NOT met")
	printf "CTR_ADD (mutex) / unknown command (-ENOTTY): %.2fx.\n", med_of["ctr-add-mutex"] / med_of["noop-enotty"]
}'
echo
echo "### Contended: $total CTR_ADDs in total, split over 1, 2 or 4 threads (2 vCPUs), $reps repetitions"
echo
rows=""
for m in kernel-mutex kernel-spin kernel-atomic kernel-racy; do
	for t in 1 2 4; do
		i=0
		while [ $i -lt "$reps" ]; do
			v=$(racedemo --json counter -m $m -t $t -n $((total / t)) |
				sed -n 's/^ *"ops_per_s": \([0-9]*\).*/\1/p')
			rows="$rows$m $t $v
"
			i=$((i + 1))
		done
	done
done
echo "$rows" | awk "$stats"'
NF == 3 { add($1 " " $2, $3) }
END {
	print "| ops/s | threads | min | median | max |"
	print "|---|---|---|---|---|"
	for (i = 1; i <= k; i++) {
		key = order[i]
		s = key_stats(key)
		if (med > top) top = med
		split(key, f, " ")
		print "| " f[1] " | " f[2] " | " s " |"
	}
	print ""
	print "Median ops/s (each # is " int(top / 40 + 1) " ops/s):"
	print ""
	print "```"
	for (i = 1; i <= k; i++) {
		key = order[i]
		bar = ""
		for (b = 0; b < med_of[key] * 40 / top; b++) bar = bar "#"
		printf "%-16s %-40s %.0f\n", key, bar, med_of[key]
	}
	print "```"
}'
