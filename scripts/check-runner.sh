#!/bin/bash
# make check-runner: prove the VM runner's detector. A clean run must pass,
# a run that loads a WARNing canary module must fail and show the splat, and
# a run that hangs must fail on its timeout. Prints TAP.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# The first kernel of this machine's release: built here, as the canary is.
kver=${VMLAB_KERNELS%% *}
dir=$BUILD/runner
mkdir -p "$dir"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok - runner: $*"; }
fail() { failed=$((failed + 1)); echo "not ok - runner: $*"; }
bail() { fail "$1"; sed 's/^/# /' "$2" | tail -n 20; echo "1..$((passed + failed))"; exit 1; }

echo "# runner check on $kver"
# The lane's vmlab.ko when make check has built it, else one of its own.
ko=$BUILD/kmod/$kver/module/vmlab.ko
[ -e "$ko" ] || build_module "$kver" || bail "vmlab.ko does not build" "$BUILD/kmod/$kver/build.log"
rm -rf "$dir/canary" && cp -r "$TOP/selftests/canary" "$dir/canary"
make -C "/lib/modules/$kver/build" M="$dir/canary" modules >"$dir/canary.log" 2>&1 ||
	bail "the canary module does not build" "$dir/canary.log"

# run NAME SUITE-TEXT [ENV...]: boot with a one-off suite; sets $rc and $out.
run() {
	local name=$1 suite=$2
	shift 2
	printf '%s\n' "$suite" >"$dir/$name.sh"
	bash "$TOP/scripts/mkinitramfs.sh" "$dir/$name.cpio" "$ko" \
		"$dir/$name.sh" "$dir/canary/canary.ko"
	out=$(env "$@" bash "$TOP/scripts/vm-run.sh" "$kver" "$dir/$name.cpio" "$dir/$name.log")
	rc=$?
}

run clean 'echo "clean run"'
if [ $rc = 0 ]; then pass "a clean run passes"; else fail "a clean run failed: $out"; fi

run warn 'insmod /opt/vmlab/bin/canary.ko'
if [ $rc != 0 ] && grep -q 'FAIL: kernel splat' <<<"$out" && grep -q 'vmlab canary' <<<"$out"; then
	pass "the canary's WARN fails the run and is shown"
else
	fail "the canary's WARN was not caught (rc=$rc)"
fi
grep '^# splat:' <<<"$out" | head -n 4 | sed 's/^/# /'

run hang 'sleep 1000' VMLAB_VM_TIMEOUT=20
if [ $rc != 0 ] && grep -q 'timed out' <<<"$out"; then
	pass "a hung run fails on its timeout"
else
	fail "a hung run was not caught (rc=$rc)"
fi

echo "1..$((passed + failed))"
[ $failed = 0 ]
