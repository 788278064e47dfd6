#!/bin/bash
# One lane of make check: one kernel of the matrix (scripts/kernels.conf).
#
# usage: lane.sh module LANE   the module built by the kernel's release's
#                              compiler with W=1 and sparse, and, for an
#                              x86-64 kernel, a DKMS build in private trees
#                              (step dkms)
#        lane.sh dkms LANE     the DKMS build alone (make check-debug's,
#                              for an arm64 kernel)
#        lane.sh vm LANE       the selftests in the kernel's VM, judged
#                              by scripts/tap-judge.pl (step vm)
#        lane.sh ko LANE       prints where the lane's vmlab.ko is built
# LANE is a lane's name (6.12-rt) or its kernel release; an arm64 lane's
# name with -a57 (6.1-arm64-a57) is its VM booted on a cortex-a57, a CPU
# without FEAT_HAFDBS (as Apple's M1), instead of QEMU's max. Prints TAP (test
# lines, then the plan) and exits 1 if a test failed. $STEPS narrows the
# steps, $TESTS the selftests. A lane not in $STRESS_LANES (lane names, or
# "all") runs the stress tests short: the fuzzer's 100,000 operations
# instead of 1,000,000, 100 module reloads instead of 1,000, each race of
# race_test for 1.5 s instead of 3, 100,000 ADDs per counter in ctr_test's
# exactness tests instead of 1,000,000 (see docs/design.md#time). The harness
# selftest sets VMLAB_SUITE_FAULTS, a folder laid over the VM's initramfs
# (its opt/vmlab/bin/NAME replaces the selftest NAME).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# Its builds are make's of their own, not jobs of make check's jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL
STEPS=${STEPS:-lint dkms host runner harness install vm}
what=${1:?usage: lane.sh module|dkms|vm LANE} name=${2:?usage: lane.sh module|dkms|vm LANE}

cpu=max
# The a57 boot runs the tests of what the CPU model changes (the
# page-table bits), unless TESTS says otherwise: the whole suite runs on max.
# The 16 KiB-page kernel runs them too, and the pictures of pages: what
# its granule changes is the decoding of the entries, the levels and the
# layout.
bits_tests="arm64_bits_test pt_test pagemap_test"
case $name in
*-arm64-a57)
	name=${name%-a57} cpu=cortex-a57
	export TESTS=${TESTS:-$bits_tests}
	;;
*-arm64-16k) export TESTS=${TESTS:-$bits_tests ptdump_picture_test wss_picture_test} ;;
esac
read -r lane _ krel root < <(lane_info "$name")
[ -n "${krel:-}" ] || { echo "lane: no lane '$name' in $LANES_FILE (run make deps)" >&2; exit 2; }
[ $cpu = max ] || lane=$lane-a57
if [ "$what" = ko ]; then
	echo "$BUILD/kmod/$krel/module/vmlab.ko"
	exit 0
fi
dir=$BUILD/lanes/$lane
mkdir -p "$dir"
results=$dir/$what.tap
: >"$results"
step() { [[ " $STEPS " == *" $1 "* ]]; }
pass() { echo "ok - $lane: $*" | tee -a "$results"; }
fail() { echo "not ok - $lane: $*" | tee -a "$results"; }
# finish: the plan, and the status make sees.
finish() {
	echo "1..$(grep -cE '^(not )?ok ' "$results")"
	! grep -q '^not ok ' "$results"
	exit
}

# The compiler that builds this lane's modules, for the report.
compiler() {
	if [ "$root" = - ]; then
		gcc --version | head -n 1
	else
		in_root "$root" /tmp sh -c 'gcc=$(ls /usr/bin/gcc-[0-9]* | sort -V | tail -n 1); $gcc --version | head -n 1'
	fi
}

# build_verdict STATUS LOG PATTERN MAX PASS FAIL: a build's result line,
# PASS if STATUS is 0; else FAIL, then the first MAX distinct lines of LOG
# that match PATTERN and its last five, as TAP comments.
build_verdict() {
	if [ "$1" = 0 ]; then
		pass "$5"
	else
		fail "$6"
		grep -E "$3" "$2" | sort -u | head -n "$4" | sed 's/^/# /'
		tail -n 5 "$2" | sed 's/^/# /'
	fi
}

module_step() {
	local log=$BUILD/kmod/$krel/build.log how="W=1 and sparse" ok=1 cc
	build_module "$krel" W=1 C=1
	local rc=$?
	# Debian's 7.3 headers lack scripts/checker-valid.sh: kbuild turns C=1
	# off there, and says so.
	grep -q 'C=1 specified, but sparse is not available' "$log" &&
		how="W=1 (sparse: not run, kbuild refuses it with these headers)"
	[ $rc = 0 ] && ! grep -E 'warning:|error:' "$log" >/dev/null && ok=0
	cc=$(compiler)
	build_verdict $ok "$log" 'warning:|error:' 20 \
		"module builds for $krel with $how, no warnings ($cc)" \
		"module build for $krel with $how ($cc)"
}

# DKMS in private trees under $BUILD (scripts/dkms-private.sh), by the
# kernel's release's compiler.
dkms_step() {
	local d=$BUILD/dkms/$krel ver
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
	rm -rf "$d" && mkdir -p "$d/src/vmlab-$ver"
	cp -r "$TOP/Kbuild" "$TOP/dkms.conf" "$TOP/module" "$TOP/include" "$d/src/vmlab-$ver/"
	cp "$TOP/scripts/dkms-private.sh" "$d/"
	if [ "$(kernel_arch "$krel")" = arm64 ]; then
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- bash "$d/dkms-private.sh" "$d/src" "$krel" "$d" \
			"$CACHE/kernels/$krel/headers/usr/src/linux-headers-$krel" >"$d/dkms.log" 2>&1
	elif [ "$root" = - ]; then
		bash "$d/dkms-private.sh" "$d/src" "$krel" "$d" >"$d/dkms.log" 2>&1
	else
		in_root "$root" "$d" bash /build/dkms-private.sh /build/src "$krel" /build >"$d/dkms.log" 2>&1
	fi
	build_verdict $? "$d/dkms.log" 'error:|Error' 10 \
		"dkms build vmlab/$ver for $krel, in private trees" \
		"dkms build vmlab/$ver for $krel"
}

vm_step() {
	local expected=() t initrd=$dir/initrd.cpio rc start secs boot
	mapfile -t expected < <(bash "$TOP/scripts/selftest-names.sh" vm) || exit 2
	[ ${#expected[@]} -gt 0 ] || { fail "no selftest selected (TESTS='${TESTS:-}')"; return; }
	for t in "${expected[@]}"; do
		[ -x "$TOP/selftests/$t" ] || fail "$t: not built (selftests/$t)"
	done
	[ -e "$BUILD/kmod/$krel/module/vmlab.ko" ] || { fail "no vmlab.ko for $krel to test"; return; }
	make_initramfs "$krel" "$TOP/scripts/guest/vm-suite.sh" "$initrd"
	# The kernel unpacks concatenated archives in turn: a later file wins.
	if [ -n "${VMLAB_SUITE_FAULTS:-}" ]; then
		(cd "$VMLAB_SUITE_FAULTS" && find . | cpio -o -H newc --quiet) >>"$initrd"
	fi
	local append=${TESTS:+VMLAB_TESTS=\"$TESTS\"} stress="full stress tests"
	case " ${STRESS_LANES:-all} " in
	*" all "* | *" $lane "*) ;;
	*)
		append="$append VMLAB_FUZZ_OPS=100000 VMLAB_LIFECYCLE_CYCLES=100 VMLAB_RACE_SECONDS=1.5 VMLAB_CTR_OPS=100000"
		stress="short stress tests"
		;;
	esac
	start=$EPOCHREALTIME
	VMLAB_VM_CPU=$cpu bash "$TOP/scripts/vm-run.sh" -t "$dir/tap.txt" -a "$append" "$krel" \
		"$initrd" "$dir/console.log" >"$dir/vm.out" 2>&1
	rc=$?
	secs=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $start" | bc)")
	sed 's/^/# /; s/^# # /# /' "$dir/vm.out"
	grep '^# selftest-time: ' "$dir/tap.txt" 2>/dev/null
	perl "$TOP/scripts/tap-judge.pl" "$lane" "$dir/tap.txt" "${expected[@]}" | tee -a "$results"
	boot=$(printf '%.1f' "$(cat "$dir/console.log.boot" 2>/dev/null || echo 0)")
	if [ $rc = 0 ]; then
		pass "VM on $krel (-cpu $cpu): no kernel splat, clean taint, suite finished ($stress; VM $secs s, suite started after $boot s)"
	else
		fail "VM on $krel (see $dir/console.log)"
	fi
}

# An arm64 kernel's DKMS build would be the host's dkms with the cross
# compiler, the module step's build again: make check-debug runs one
# (docs/design.md).
dkms_lane() { [ "$(kernel_arch "$krel")" != arm64 ]; }

case $what in
module)
	module_step
	step dkms && dkms_lane && dkms_step
	;;
dkms) dkms_step ;;
vm)
	step vm && vm_step
	;;
*) echo "usage: lane.sh module|dkms|vm LANE" >&2; exit 2 ;;
esac
finish
