#!/bin/sh
# Shared pages: first-touch fault-in rate of a vmlab region against a
# memfd_create() MAP_SHARED region of the same size, alternating in one run.
# Target (issue 4): vmlab >= 1.0x memfd.
size=${SHM_BENCH_SIZE:-64M}
reps=${SHM_BENCH_REPS:-7}
out=$(vmlabctl shm bench --size "$size" --reps "$reps") || {
	echo "## Shared pages: fault-in rate"; echo; echo "vmlabctl shm bench failed"; exit 1; }
echo "$out" | awk -v size="$size" -v kver="$(uname -r)" '
function stats(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return sprintf("%d | %d | %d", a[1], med, a[n])
}
NR > 1 { n++; pages = $2; v[n] = $3; m[n] = $4 }
END {
	sv = stats(v, n); mv = med; sm = stats(m, n); mm = med
	ratio = mv / mm
	print "## Shared pages: fault-in rate, vmlab region vs memfd (" kver ")"
	print ""
	printf "Writing one byte to each of the %d pages (%s) of a fresh MAP_SHARED mapping,\n", pages, size
	printf "%d repetitions alternating which side runs first.\n", n
	print ""
	print "| pages/s | min | median | max |"
	print "|---|---|---|---|"
	print "| vmlab region | " sv " |"
	print "| memfd_create MAP_SHARED | " sm " |"
	print ""
	printf "Ratio of medians vmlab / memfd: **%.2fx** (target >= 1.0x: %s).\n", ratio, (ratio >= 1.0 ? "met" : "NOT met")
}'
