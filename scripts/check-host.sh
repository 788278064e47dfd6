#!/bin/bash
# The host tests of make check (selftests/host_*_test): the tools' races
# and benchmarks on this machine, each judged like a VM suite (plan, every
# test, exit status) by tap-judge.pl. $TESTS narrows them. Prints TAP.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
dir=$BUILD/host
mkdir -p "$dir"
mapfile -t expected < <(bash "$TOP/scripts/selftest-names.sh" host) || exit 2
[ -n "${TESTS:-}" ] && [ ${#expected[@]} = 0 ] && { echo "# no host test in TESTS"; echo "1..0 # SKIP no host test selected"; exit 0; }
{
	for t in "${expected[@]}"; do
		[ -x "$TOP/selftests/$t" ] || continue
		echo "# selftest: $t"
		(cd /tmp && "$TOP/selftests/$t" 2>&1)
		echo "# selftest-exit: $t $?"
	done
	echo "VMLAB-SUITE-RC 0"
} >"$dir/tap.txt"
# The suite here is this loop, whose status is not the tests': each
# test's own is judged.
sed -i "s/^VMLAB-SUITE-RC 0\$/VMLAB-SUITE-RC $(grep -c '^# selftest-exit: .* [1-9][0-9]*$' "$dir/tap.txt")/" "$dir/tap.txt"
perl "$TOP/scripts/tap-judge.pl" host "$dir/tap.txt" "${expected[@]}" >"$dir/judged.tap"
rc=$?
cat "$dir/judged.tap"
echo "1..$(grep -cE '^(not )?ok ' "$dir/judged.tap")"
exit $rc
