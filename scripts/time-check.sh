#!/bin/bash
# make time-check MODE=warm|warm-x86|cold|ci|ci-cold: how long the test
# commands take from a fresh clone of HEAD, appended as one line to
# bench/check-times.tsv (make bench turns it into the report's table).
#   warm     make check, with this machine's cache of kernels and roots
#   warm-x86 the same with the x86-64 lanes only (KERNELS=): against warm at
#            the same commit, what the arm64 lanes add
#   cold     make check, with an empty cache (every kernel downloaded, every
#            root made, every module built)
#   ci       .ci/run (make check, then make check-debug), cache kept
#   ci-cold  .ci/run with an empty cache: the debug kernel built too
# The ci modes also record their make check part, as warm or cold.
# Packages already installed on this machine stay installed: a new machine
# also spends the time of `apt-get install` of scripts/deps.sh's list.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-}
case $mode in
warm | cold) cmd=(make check) ;;
warm-x86)
	x86=$(cd "$TOP" && TOP=$TOP bash -c '. scripts/matrix.sh && matrix_lines' |
		awk '$1 !~ /arm64/ { printf "%s%s", sep, $1; sep = " " }')
	cmd=(make check "KERNELS=$x86")
	;;
ci | ci-cold) cmd=(bash .ci/run) ;;
*) echo "usage: $0 warm|warm-x86|cold|ci|ci-cold" >&2; exit 2 ;;
esac

work=$TOP/build/time-check/$mode
rm -rf "$work"
mkdir -p "$work"
git clone -q "$TOP" "$work/clone" || exit 1
commit=$(git -C "$work/clone" rev-parse --short HEAD)
# A clean environment, as CI's: nothing of a calling make (BUILD, MAKEFLAGS,
# STEPS, ...) may reach the clone's make, or it would use this tree's build.
env=(PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 TERM=dumb)
case $mode in cold | ci-cold) env+=(CACHE="$work/cache") ;; esac

start=$(date +%s)
(cd "$work/clone" && env -i "${env[@]}" "${cmd[@]}") >"$work/log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
result=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/log" | tail -n 1)
load=$(cut -d' ' -f1-3 /proc/loadavg)

tsv=$TOP/bench/check-times.tsv
[ -e "$tsv" ] || printf 'date\tmode\tcommit\tseconds\texit\tresult\tload\n' >"$tsv"
row() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u '+%Y-%m-%d %H:%M')" "$1" \
		"$commit" "$2" "$3" "$4" "$load" >>"$tsv"
}
# .ci/run says how long its make check took: a warm or cold make check too.
if [ "$mode" = ci ] || [ "$mode" = ci-cold ]; then
	check_secs=$(sed -n 's/^ci: make check took \([0-9]*\) s$/\1/p' "$work/log")
	check_result=$(sed -n '/^ci: make check took/q; /^[0-9]* passed, [0-9]* failed/p' "$work/log" | tail -n 1)
	[ -n "$check_secs" ] && row "$([ "$mode" = ci ] && echo warm || echo cold)" "$check_secs" - "${check_result:-no result line}"
fi
row "$mode" "$secs" "$rc" "${result:-no result line}"
[ -e "$TOP/bench/report.md" ] && bash "$TOP/scripts/bench/check-times.sh" "$TOP/bench/report.md"
echo "time-check $mode: ${secs}s, exit $rc, ${result:-no result line} (log: $work/log)"
rm -rf "$work/cache"
exit $rc
