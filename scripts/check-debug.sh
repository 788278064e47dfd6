#!/bin/bash
# make check-debug: the whole selftest suite and the fuzzer on a debug
# kernel (KASAN, lockdep, kmemleak, UBSAN, DEBUG_LIST, DEBUG_PAGEALLOC,
# DEBUG_VM: see scripts/debug-kernel.config), then a kmemleak scan, judged
# like a lane of make check (scripts/tap-judge.pl). Ends with
# "N passed, N failed[, N skipped]".
# TESTS="name …" narrows the selftests; VMLAB_DEBUG_FUZZ_OPS (default
# 200000) and VMLAB_DEBUG_CYCLES (default 100) size the fuzzer and the
# load/unload stress, which run several times slower under the checkers.
# It also runs the DKMS build for an arm64 kernel (lane.sh dkms).
# Beside the debug VM, whose second vCPU is idle much of the time, runs the
# plain make of an arm64 machine (check-install.sh arm64: minutes of
# emulated compiling, mostly one core): in make check it would take the
# lanes' cores.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }
arm64_pid=
finish() {
	if [ -n "$arm64_pid" ]; then
		echo "== plain make of an arm64 machine"
		local rc tap ok notok
		wait "$arm64_pid"
		rc=$?
		tap=$BUILD/install-arm64.tap
		sed "/^1\.\./d" "$tap"
		ok=$(grep -c '^ok ' "$tap") notok=$(grep -c '^not ok ' "$tap")
		add_counts "$ok" "$notok" 0
		# An exit without a result, or a failure it did not report, is red.
		if [ "$notok" = 0 ] && { [ "$rc" != 0 ] || [ "$ok" = 0 ]; }; then
			fail "plain make of an arm64 machine: check-install.sh arm64 exited $rc with $ok results"
		fi
	fi
	echo
	line="$passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
	echo "$line"
	[ "$failed" = 0 ]
	exit
}

echo "== debug kernel (cached after the first build)"
start=$(date +%s)
if tree=$(bash "$TOP/scripts/debug-kernel.sh" | tail -n 1) && [ -r "$tree/arch/x86/boot/bzImage" ]; then
	kver=$(make -s -C "$tree" kernelrelease)
	pass "debug kernel $kver ready in $(($(date +%s) - start))s: $tree"
else
	fail "debug kernel build (scripts/debug-kernel.sh)"
	finish
fi
if [ -e "$CACHE/arm64-root" ]; then
	nice -n 5 bash "$TOP/scripts/check-install.sh" arm64 >"$BUILD/install-arm64.tap" 2>&1 &
	arm64_pid=$!
fi

echo "== build tools and selftests"
if make -s -C "$TOP/tools" >"$BUILD/tools.log" 2>&1 && make -s -C "$TOP/selftests" >>"$BUILD/tools.log" 2>&1; then
	pass "tools and selftests build"
else
	fail "tools and selftests build"; sed 's/^/# /' "$BUILD/tools.log" | tail -n 30
fi

echo "== module for the debug kernel $kver (W=1)"
if KDIR_OVERRIDE=$tree build_module "$kver" W=1 && ! grep -E 'warning:|error:' "$BUILD/kmod/$kver/build.log"; then
	pass "$kver: module builds against the debug tree, no warnings"
else
	fail "$kver: module build"; sed 's/^/# /' "$BUILD/kmod/$kver/build.log" | tail -n 30
	finish
fi

# The arm64 DKMS build (the host's dkms with the cross compiler, in private
# trees): make check's arm64 lanes leave it out, for time.
arm64_lane=$(awk '!/^#/ && $1 ~ /-arm64$/ { last = $1 } END { print last }' "$LANES_FILE")
if [ -n "$arm64_lane" ]; then
	echo "== DKMS for the arm64 kernel of lane $arm64_lane"
	tap=$BUILD/dkms-arm64.tap
	bash "$TOP/scripts/lane.sh" dkms "$arm64_lane" >"$tap"
	sed '/^1\.\./d' "$tap"
	add_counts "$(grep -c '^ok ' "$tap")" "$(grep -c '^not ok ' "$tap")" 0
	grep -q '^\(not \)\{0,1\}ok ' "$tap" || fail "DKMS for $arm64_lane: lane.sh dkms printed no result"
fi

echo "== VM: $kver (debug)"
dir=$BUILD/vm/debug-$kver
mkdir -p "$dir"
{
	cat "$TOP/scripts/guest/vm-suite-debug.sh"
	echo debug_prologue
	sed '/^exit \$bad$/d' "$TOP/scripts/guest/vm-suite.sh"
	echo debug_epilogue
	echo 'exit $bad'
} >"$dir/suite.sh"
make_initramfs "$kver" "$dir/suite.sh" "$dir/initrd.cpio"
append="VMLAB_FUZZ_OPS=${VMLAB_DEBUG_FUZZ_OPS:-200000} VMLAB_LIFECYCLE_CYCLES=${VMLAB_DEBUG_CYCLES:-100}"
[ -n "${TESTS:-}" ] && append="$append VMLAB_TESTS=\"$TESTS\""
mapfile -t expected < <(bash "$TOP/scripts/selftest-names.sh" vm) || exit 2
start=$(date +%s)
# The suite's TAP comes on the console here: this tinyconfig kernel cannot
# route the virtio-serial device's PCI interrupt (no GSI), and under
# "quiet" the console carries only warnings, which fail the run anyway.
VMLAB_KERNEL_IMAGE=$tree/arch/x86/boot/bzImage VMLAB_VM_TIMEOUT=${VMLAB_VM_TIMEOUT:-3000} \
	bash "$TOP/scripts/vm-run.sh" -a "$append" "$kver" "$dir/initrd.cpio" "$dir/console.log" >"$dir/out.txt"
rc=$?
sed 's/^/# /; s/^# # /# /' "$dir/out.txt"
sed -n '/^VMLAB-SUITE-START/,/^VMLAB-SUITE-RC/p' "$dir/console.log" >"$dir/tap.txt"
perl "$TOP/scripts/tap-judge.pl" debug "$dir/tap.txt" "${expected[@]}" kmemleak >"$dir/judged.tap"
cat "$dir/judged.tap"
p=$(grep -c '^ok ' "$dir/judged.tap" | head -n 1)
s=$(grep -c '^ok .*# SKIP' "$dir/judged.tap")
f=$(grep -c '^not ok ' "$dir/judged.tap")
add_counts $((p - s)) "$f" "$s"
if [ $rc = 0 ]; then
	pass "$kver: no kernel splat, clean taint, suite finished (VM $(($(date +%s) - start))s)"
else
	fail "$kver: VM run (see $dir/console.log)"
fi

# The suite's prologue printed the ring buffer of the boot and the module's
# load (the first DMESG section) before clearing it: quiet keeps it off
# the console, so this is where a report printed at load is seen.
splat=$(sed -n "s/^SPLAT='\(.*\)'$/\1/p" "$TOP/scripts/vm-run.sh")
bootlog=$(sed -n '1,/^VMLAB-DMESG-END/p' "$dir/console.log" | sed -n '/^VMLAB-DMESG-BEGIN/,$p')
boot=$(grep -E "$splat" <<<"$bootlog")
if [ -z "$bootlog" ]; then
	fail "$kver: no boot dmesg on the console (the suite's prologue did not run?)"
elif [ -z "$boot" ]; then
	pass "$kver: no splat while booting and loading the module ($(wc -l <<<"$bootlog") lines of dmesg)"
else
	fail "$kver: splat at boot"; sed 's/^/# /' <<<"$boot" | head -n 40
fi
echo "# kernel $kver (debug): $p passed, $f failed, $s skipped"
finish
