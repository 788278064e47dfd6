#!/bin/bash
# make check: lint, DKMS, host tests, then the selftests in QEMU on every
# kernel of the matrix. Ends with "N passed, N failed[, N skipped]".
# KERNELS="…" narrows the matrix, TESTS="name …" the selftests, and
# STEPS="lint dkms host runner vm" the steps.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
STEPS=${STEPS:-lint dkms host runner vm}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
step() { [[ " $STEPS " == *" $1 "* ]]; }
add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

echo "vmlab check: kernels $KERNELS"
started=$(date +%s)
echo "== build tools and selftests"
if make -k -s -C "$TOP/tools" >"$BUILD/tools.log" 2>&1 && make -k -s -C "$TOP/selftests" >>"$BUILD/tools.log" 2>&1; then
	pass "tools and selftests build with -Wall -Wextra -Werror"
else
	fail "tools and selftests build"; sed 's/^/# /' "$BUILD/tools.log" | tail -n 30
fi

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
	if build_module "$kver" W=1 C=1 && ! grep -E 'warning:|error:' "$BUILD/kmod/$kver/build.log"; then
		pass "$kver: module builds with W=1 and sparse, no warnings"
	else
		fail "$kver: module build"; sed 's/^/# /' "$BUILD/kmod/$kver/build.log" | tail -n 30
	fi
done

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

if step host; then
	echo "== host tests"
	for t in "$TOP"/selftests/host_*_test; do
		[ -x "$t" ] || continue
		out=$({ echo "# selftest: ${t##*/}"; (cd /tmp && "$t" 2>&1); echo "# selftest-exit: ${t##*/} $?"; })
		grep -E '^(not )?ok |^# (selftest|Totals)' <<<"$out"
		read -r p f s < <(tap_count <<<"$out")
		add_counts "$p" "$f" "$s"
	done
fi

if step runner; then
	echo "== runner detector (make check-runner)"
	out=$(bash "$TOP/scripts/check-runner.sh" 2>&1)
	grep -E '^(not )?ok ' <<<"$out"
	read -r p f s < <(tap_count <<<"$out")
	add_counts "$p" "$f" "$s"
fi

if step vm; then
	for kver in $KERNELS; do
		echo "== VM: $kver"
		dir=$BUILD/vm/$kver
		mkdir -p "$dir"
		if [ ! -e "$BUILD/kmod/$kver/module/vmlab.ko" ]; then
			fail "$kver: no module to test"; continue
		fi
		make_initramfs "$kver" "$TOP/scripts/vm-suite.sh" "$dir/initrd.gz"
		start=$(date +%s.%N)
		bash "$TOP/scripts/vm-run.sh" -a "${TESTS:+VMLAB_TESTS=\"$TESTS\"}" "$kver" "$dir/initrd.gz" "$dir/console.log" >"$dir/out.txt"
		rc=$?
		secs=$(echo "$(date +%s.%N) - $start" | bc)
		cat "$dir/out.txt"
		read -r p f s < <(tap_count <"$dir/out.txt")
		add_counts "$p" "$f" "$s"
		if [ $rc = 0 ]; then
			tap=$(printf "%.1f" "$(cat "$dir/console.log.tap" 2>/dev/null || echo 0)")
			pass "$kver: no kernel splat, clean taint, suite finished (VM ${secs%.*} s, first TAP line after ${tap} s)"
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
