#!/bin/bash
# The harness's selftest: a lane of make check must go red when a test
# binary's run loses one test, when a test exits early with status 0, and
# when a built test does not run. One VM runs three selftests as built
# (the control: all must pass), a second runs them broken so, through the
# same lane.sh and tap-judge.pl as make check, and check-summary.pl, which
# ends make check, must count failures. Prints TAP.
#
# usage: check-harness.sh LANE
set -uo pipefail
. "$(dirname "$0")/lib.sh"
lane=${1:?usage: check-harness.sh LANE}
krel=$(lane_krel "$lane")
dir=$BUILD/harness
n=0 failed=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok - harness: $1"; else failed=$((failed + 1)); echo "not ok - harness: $1"; fi
}
rm -rf "$dir" && mkdir -p "$dir"
ko=$BUILD/kmod/$krel/module/vmlab.ko
[ -e "$ko" ] || build_module "$krel" ||
	{ echo "not ok - harness: vmlab.ko for $krel does not build"; echo 1..1; exit 1; }
export TESTS="spine_test lifecycle_test shm_cli_test" STEPS=vm

# The faults, laid over the VM's initramfs: spine_test loses its second
# result line; lifecycle_test.sh stops with status 0 after its first test;
# shm_cli_test.sh is there but not executable, so the suite does not run it.
faults=$dir/faults/opt/vmlab/bin
mkdir -p "$faults"
cp "$TOP/selftests/spine_test" "$faults/spine_test.real"
printf '#!/bin/sh\n/opt/vmlab/bin/spine_test.real | sed "/^ok 2 /d"\n' >"$faults/spine_test"
cp "$TOP/selftests/lifecycle_test.sh" "$faults/lifecycle_test.real"
printf '#!/bin/sh\nsh /opt/vmlab/bin/lifecycle_test.real | awk "{ print } /^ok / { exit }"\nexit 0\n' \
	>"$faults/lifecycle_test.sh"
chmod 755 "$faults/spine_test" "$faults/lifecycle_test.sh"
install -m 644 "$TOP/selftests/shm_cli_test.sh" "$faults/shm_cli_test.sh"

# run NAME [ENV...]: the lane's VM step in $dir/NAME, with this lane's module.
run() {
	local name=$1
	shift
	mkdir -p "$dir/$name/kmod" "$dir/$name/check"
	cp -r "$BUILD/kmod/$krel" "$dir/$name/kmod/"
	env BUILD="$dir/$name" "$@" bash "$TOP/scripts/lane.sh" vm "$lane" >"$dir/$name/check/lane-$lane.tap" 2>&1
}

run control
control=$?
sed -n 's/^\(ok\|not ok\) - /# control: &/p' "$dir/control/check/lane-$lane.tap" | grep -v '^# control: ok' | head -n 10
check "the control run of spine_test, lifecycle_test.sh and shm_cli_test.sh passes" "[ $control = 0 ]"

run broken VMLAB_SUITE_FAULTS="$dir/faults"
broken=$?
out=$(cat "$dir/broken/check/lane-$lane.tap")
grep '^not ok' <<<"$out" | sed 's/^/# broken: /'
check "the broken run fails" "[ $broken != 0 ]"
check "a binary whose run lost one test fails: spine_test, planned N, ran N-1" \
	'grep -Eq "^not ok - $lane: spine_test: planned ([0-9]+) tests, ran ([0-9]+)" <<<"$out" &&
	 [ $(sed -nE "s/^not ok - $lane: spine_test: planned ([0-9]+) tests, ran ([0-9]+).*/\\1-\\2/p" <<<"$out" | bc) = 1 ]'
check "a test that exits 0 after its first test fails: lifecycle_test.sh, ran 1" \
	'grep -Eq "^not ok - $lane: lifecycle_test.sh: planned [0-9]+ tests, ran 1\$" <<<"$out"'
check "a built test that does not run fails: shm_cli_test.sh" \
	'grep -q "^not ok - $lane: shm_cli_test.sh: expected, but did not run" <<<"$out"'
check "make check's summary of the broken lane is red, and of the control green" \
	'! perl "$TOP/scripts/check-summary.pl" "$dir/broken/check" "lane-$lane" >"$dir/broken.summary" &&
	 grep -Eq "^[0-9]+ passed, [1-9][0-9]* failed" "$dir/broken.summary" &&
	 perl "$TOP/scripts/check-summary.pl" "$dir/control/check" "lane-$lane" >"$dir/control.summary"'
echo "1..$n"
[ $failed = 0 ]
