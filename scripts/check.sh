#!/bin/bash
# make check: lint, DKMS, host tests, then the selftests in QEMU on every
# kernel of the matrix. Ends with "N passed, N failed[, N skipped]".
# KERNELS="…" narrows the matrix, TESTS="name …" the selftests, and
# STEPS="lint dkms host runner vm" the steps.
#
# Each kernel has a lane of its own that runs in the background: the module
# built with W=1 and sparse, then its VM. The VMs run together, each running
# its two vCPUs in turn on one host thread (single-threaded TCG): three VMs
# share two cores without a vCPU spinning on a lock whose holder's thread
# the host has descheduled, and one fills the gaps where another waits on
# a timer. Lint, DKMS and the runner check run meanwhile at a lower
# priority, the host tests last and alone (their races want both cores).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
STEPS=${STEPS:-lint dkms host runner vm}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
step() { [[ " $STEPS " == *" $1 "* ]]; }
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

# lane KVER [PREV]: build the module for KVER (W=1, sparse; niced, so that
# the tools' build and a booting VM have the CPU), then, once the tools are
# built and lane PREV's VM has booted, run the suite in its VM (if the vm
# step is on). A VM boots at a higher priority than the others run, until
# its first TAP line: boots are what the "first TAP line after" figure
# measures. Leaves build.rc, vm.rc, vm.seconds, out.txt and, at the end,
# done in $BUILD/vm/KVER.
lane() {
	local kver=$1 prev=${2:-} dir=$BUILD/vm/$1 start i=0
	trap 'touch "$dir/done"' EXIT
	renice -n 10 -p $BASHPID >/dev/null
	build_module "$kver" W=1 C=1
	echo $? >"$dir/build.rc"
	renice -n 0 -p $BASHPID >/dev/null 2>&1
	step vm || return 0
	[ -e "$BUILD/kmod/$kver/module/vmlab.ko" ] || return 0
	while [ ! -e "$BUILD/tools.rc" ]; do
		sleep 0.2
	done
	make_initramfs "$kver" "$TOP/scripts/vm-suite.sh" "$dir/initrd.cpio"
	while [ -n "$prev" ] && [ ! -e "$prev/console.log.tap" ] && [ ! -e "$prev/done" ] &&
		[ $((i += 1)) -le 300 ]; do
		sleep 0.2
	done
	unboost_after_boot "$dir" &
	start=$EPOCHREALTIME
	nice -n -10 bash "$TOP/scripts/vm-run.sh" -a "${TESTS:+VMLAB_TESTS=\"$TESTS\"}" "$kver" \
		"$dir/initrd.cpio" "$dir/console.log" >"$dir/out.txt" 2>"$dir/vm.err"
	echo $? >"$dir/vm.rc"
	printf '%.0f\n' "$(echo "$EPOCHREALTIME - $start" | bc)" >"$dir/vm.seconds"
}

# unboost_after_boot DIR: once the VM of lane DIR has printed its first TAP
# line, every thread of its QEMU back to the priority of the other VMs.
unboost_after_boot() {
	local dir=$1 pid t
	while [ ! -e "$dir/console.log.tap" ] && [ ! -e "$dir/vm.rc" ]; do
		sleep 0.2
	done
	pid=$(cat "$dir/console.log.pid" 2>/dev/null) || return 0
	for t in /proc/"$pid"/task/*; do
		renice -n 0 -p "${t##*/}" >/dev/null 2>&1
	done
}

# wait_for KVER FILE: until lane KVER has written FILE or has ended.
wait_for() {
	while [ ! -e "$BUILD/vm/$1/$2" ] && [ ! -e "$BUILD/vm/$1/done" ]; do
		sleep 0.5
	done
}

echo "vmlab check: kernels $KERNELS"
started=$(date +%s)
rm -f "$BUILD/tools.rc"
export VMLAB_VM_ACCEL=tcg,thread=single
# The longest lane first (the kernels.env order ends with PREEMPT_RT).
prev=
for kver in $(tr ' ' '\n' <<<"$KERNELS" | tac); do
	rm -rf "$BUILD/vm/$kver" && mkdir -p "$BUILD/vm/$kver"
	lane "$kver" "$prev" >"$BUILD/vm/$kver/lane.log" 2>&1 &
	prev=$BUILD/vm/$kver
done

echo "== build tools and selftests"
make -k -s -j2 -C "$TOP/tools" >"$BUILD/tools.log" 2>&1 &&
	make -k -s -j2 -C "$TOP/selftests" >>"$BUILD/tools.log" 2>&1
echo $? >"$BUILD/tools.rc"
if [ "$(cat "$BUILD/tools.rc")" = 0 ]; then
	pass "tools and selftests build with -Wall -Wextra -Werror"
else
	fail "tools and selftests build"; sed 's/^/# /' "$BUILD/tools.log" | tail -n 30
fi
renice -n 10 $$ >/dev/null

if step lint; then
	echo "== lint"
	cp=$CACHE/linux-src/scripts/checkpatch.pl
	if out=$(cd "$TOP" && perl "$cp" --strict --no-tree --quiet --terse -f module/*.[ch] include/uapi/linux/vmlab.h 2>&1); then
		pass "checkpatch --strict: module/ and include/uapi"
	else
		fail "checkpatch --strict"; sed 's/^/# /' <<<"$out"
	fi
fi

for kver in $KERNELS; do
	echo "== module for $kver (W=1, sparse C=1)"
	wait_for "$kver" build.rc
	if [ "$(cat "$BUILD/vm/$kver/build.rc" 2>/dev/null)" = 0 ] &&
		! grep -E 'warning:|error:' "$BUILD/kmod/$kver/build.log"; then
		pass "$kver: module builds with W=1 and sparse, no warnings"
	else
		fail "$kver: module build"; sed 's/^/# /' "$BUILD/kmod/$kver/build.log" | tail -n 30
	fi
done

# The runner check boots VMs of its own, and waits out a hang: it runs in
# the background from here, and is reported in its place below.
if step runner; then
	VMLAB_KO=$BUILD/kmod/${KERNELS%% *}/module/vmlab.ko BUILD=$BUILD/runner \
		bash "$TOP/scripts/check-runner.sh" >"$BUILD/runner.out" 2>&1 &
	runner=$!
fi

if step dkms; then
	echo "== dkms"
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
	dkms remove -m vmlab -v "$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/vmlab-$ver" && mkdir -p "/usr/src/vmlab-$ver"
	cp -r "$TOP/Kbuild" "$TOP/dkms.conf" "$TOP/module" "$TOP/include" "/usr/src/vmlab-$ver/"
	if dkms add -m vmlab -v "$ver" >"$BUILD/dkms.log" 2>&1; then
		for kver in $KERNELS; do
			if dkms build -m vmlab -v "$ver" -k "$kver" >>"$BUILD/dkms.log" 2>&1; then
				pass "$kver: dkms build vmlab/$ver"
			else
				fail "$kver: dkms build"; sed 's/^/# /' "$BUILD/dkms.log" | tail -n 20
			fi
		done
	else
		fail "dkms add"; sed 's/^/# /' "$BUILD/dkms.log"
	fi
	dkms remove -m vmlab -v "$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/vmlab-$ver"
fi

if step runner; then
	echo "== runner detector (make check-runner)"
	wait "$runner"
	rc=$?
	grep -E '^(not )?ok ' "$BUILD/runner.out"
	p=$(grep -c '^ok - ' "$BUILD/runner.out")
	f=$(grep -c '^not ok - ' "$BUILD/runner.out")
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - check-runner exited $rc"; sed 's/^/# /' "$BUILD/runner.out" | tail -n 20
	fi
	add_counts "$p" "$f" 0
fi

wait
renice -n 0 $$ >/dev/null 2>&1

if step host; then
	echo "== host tests"
	out=$(for t in "$TOP"/selftests/host_*_test; do
		[ -x "$t" ] || continue
		echo "# selftest: ${t##*/}"
		(cd /tmp && "$t" 2>&1)
		echo "# selftest-exit: ${t##*/} $?"
	done)
	grep -E '^(not )?ok |^# (selftest|Totals)' <<<"$out"
	read -r p f s < <(tap_count <<<"$out")
	add_counts "$p" "$f" "$s"
fi

if step vm; then
	for kver in $KERNELS; do
		echo "== VM: $kver"
		dir=$BUILD/vm/$kver
		if [ ! -e "$dir/vm.rc" ]; then
			fail "$kver: no VM run (no module to test?)"; sed 's/^/# /' "$dir/lane.log" | tail -n 20
			continue
		fi
		cat "$dir/out.txt"
		read -r p f s < <(tap_count <"$dir/out.txt")
		add_counts "$p" "$f" "$s"
		if [ "$(cat "$dir/vm.rc")" = 0 ]; then
			tap=$(printf "%.1f" "$(cat "$dir/console.log.tap" 2>/dev/null || echo 0)")
			pass "$kver: no kernel splat, clean taint, suite finished (VM $(cat "$dir/vm.seconds") s, first TAP line after ${tap} s)"
		else
			fail "$kver: VM run (see $dir/console.log)"
		fi
		echo "# kernel $kver: $p passed, $f failed, $s skipped"
	done
fi

echo $(($(date +%s) - started)) >"$BUILD/check.seconds"
echo
line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ $failed = 0 ]
