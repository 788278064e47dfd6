# Shared by the check, demo and bench scripts: paths, kernels, builds.
# shellcheck shell=bash
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CACHE:-$HOME/.cache/vmlab}
BUILD=${BUILD:-$TOP/build}
[ -r "$CACHE/kernels.env" ] || { echo "no $CACHE/kernels.env: run make deps" >&2; exit 1; }
# shellcheck source=/dev/null
. "$CACHE/kernels.env"
KERNELS=${KERNELS:-$VMLAB_KERNELS}
mkdir -p "$BUILD"

# build_module KVER [MAKEFLAGS...]: build vmlab.ko for KVER in its own tree
# ($BUILD/kmod/KVER); the compiler's output is left in build.log there.
# KDIR_OVERRIDE names another kernel build tree (the debug kernel's).
build_module() {
	local kver=$1 dir=$BUILD/kmod/$1
	shift
	rm -rf "$dir" && mkdir -p "$dir"
	cp -r "$TOP/Kbuild" "$TOP/module" "$TOP/include" "$dir/"
	make -C "${KDIR_OVERRIDE:-/lib/modules/$kver/build}" M="$dir" "$@" modules >"$dir/build.log" 2>&1
}

# make_initramfs KVER SUITE OUT: the module of build_module, every tool and
# every selftest, with SUITE as what /init runs. EXTRA_BINS: more host
# programs (space separated paths, e.g. /usr/bin/ps), with their libraries.
make_initramfs() {
	local kver=$1 suite=$2 out=$3 files=()
	local f
	read -ra files <<<"${EXTRA_BINS:-}"
	for f in "$TOP"/tools/*/*; do
		[ -f "$f" ] && [ -x "$f" ] && [ "$(basename "$(dirname "$f")")" = "$(basename "$f")" ] && files+=("$f")
	done
	files+=("$TOP/selftests/vm_util.sh")
	for f in "$TOP"/selftests/*_test "$TOP"/selftests/*_test.sh "$TOP"/scripts/demo/*.sh "$TOP"/scripts/bench/vm-*.sh; do
		# host_*_test run on the host only.
		[[ $f == */host_* ]] && continue
		[ -x "$f" ] && files+=("$f")
	done
	bash "$TOP/scripts/mkinitramfs.sh" "$out" "$BUILD/kmod/$kver/module/vmlab.ko" "$suite" "${files[@]}"
}

# tap_count: read TAP on stdin, print "passed failed skipped". A selftest
# that exits non-zero without a "not ok" line counts as one failure.
tap_count() {
	awk '
	/^ok [0-9]+/ { if ($0 ~ /# (SKIP|skip)/) s++; else p++; next }
	/^not ok [0-9]+/ { if ($0 ~ /# (SKIP|skip)/) s++; else { f++; nok[cur]++ }; next }
	/^# selftest: / { cur = $3; next }
	/^# selftest-exit: / { if ($4 != 0 && !nok[$3]) { f++; print "not ok - " $3 " exited " $4 > "/dev/stderr" } }
	END { printf "%d %d %d\n", p, f, s }'
}
