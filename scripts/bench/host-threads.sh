#!/bin/bash
# threadview's /proc fallback against procps "ps -T -p" on a process of
# 10,000 threads, on the host (no module here: the ioctl is measured in the
# VM by vm-threads.sh). Target (issue 7): >= 1.8x faster than ps -T.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${THREADS_BENCH_N:-10000}
REPS=${THREADS_BENCH_REPS:-5}
tv=$TOP/tools/threadview/threadview
park=$TOP/tools/threadpark/threadpark

"$park" -s "$N" -S 16 >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
while [ "$(find "/proc/$pid/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" -lt $((N + 1)) ]; do sleep 0.2; done

# seconds taken by one run of "$@", output discarded
clock() {
	local s=$EPOCHREALTIME
	"$@" >/dev/null 2>&1
	echo "$EPOCHREALTIME - $s" | bc
}
stats() { sort -n | awk '{ a[NR] = $1 } END { printf "%.3f %.3f %.3f\n", a[1], a[int((NR + 1) / 2)], a[NR] }'; }

lines_tv=$("$tv" -q --source=proc -p "$pid" | wc -l)
lines_ps=$(ps -T -p "$pid" | wc -l)
tvs=() pss=()
for _ in $(seq "$REPS"); do
	tvs+=("$(clock "$tv" -q --source=proc -p "$pid")")
	pss+=("$(clock ps -T -p "$pid")")
done
read -r tmin tmed tmax < <(printf '%s\n' "${tvs[@]}" | stats)
read -r pmin pmed pmax < <(printf '%s\n' "${pss[@]}" | stats)
ratio=$(echo "scale=2; $pmed / $tmed" | bc)

echo "## Threads: threadview (/proc fallback) vs ps -T on the host"
echo
echo "One process of $N threads asleep on a futex (threadpark); $REPS repetitions,"
echo "interleaved; host kernel $(uname -r). Both print one line per thread"
echo "(threadview $lines_tv lines, ps $lines_ps)."
echo
echo "| command | min s | median s | max s |"
echo "|---|---|---|---|"
echo "| threadview --source=proc -p PID | $tmin | $tmed | $tmax |"
echo "| ps -T -p PID (procps $(ps -V | awk '{ print $NF }')) | $pmin | $pmed | $pmax |"
echo
met=$(echo "$ratio >= 1.8" | bc)
echo "ps -T / threadview (/proc), medians: **${ratio}x** (target >= 1.8x: $([ "$met" = 1 ] && echo met || echo NOT met))."
