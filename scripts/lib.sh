# Shared by the check, demo and bench scripts: paths, lanes, builds.
# shellcheck shell=bash
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CACHE:-$HOME/.cache/vmlab}
BUILD=${BUILD:-$TOP/build}
LANES_FILE=$CACHE/lanes
[ -r "$CACHE/kernels.env" ] && [ -r "$LANES_FILE" ] ||
	{ echo "no $CACHE/lanes: run make deps" >&2; exit 1; }
# shellcheck source=/dev/null
. "$CACHE/kernels.env"
# The kernels of the demo, vm-shell and bench: this machine's release's.
KERNELS=${KERNELS:-$VMLAB_KERNELS}
mkdir -p "$BUILD"

# lane_info NAME: "LANE RELEASE KREL ROOT" of the lane named NAME, by its
# name (6.12-rt) or its kernel release (6.12.117+deb12-rt-amd64). ROOT is
# "-" for a kernel of this machine's release.
lane_info() {
	awk -v n="$1" '!/^#/ && ($1 == n || $3 == n) { print; exit }' "$LANES_FILE"
}

# lane_krel NAME: the kernel release of lane NAME (or NAME itself).
lane_krel() {
	local info
	info=$(lane_info "$1")
	if [ -n "$info" ]; then awk '{ print $3 }' <<<"$info"; else echo "$1"; fi
}

# in_root ROOT DIR [-u UID] CMD...: CMD chrooted in ROOT with DIR mounted
# on /build (its working directory), /dev, /proc and /sys, in a mount
# namespace of its own: the mounts end with CMD, and lanes sharing a root
# each see their own /build. The root itself is read-only: a build that
# would write into its headers fails instead of spoiling the cache.
in_root() {
	local root=$1 dir=$2 spec=()
	shift 2
	if [ "$1" = -u ]; then
		spec=(--userspec="$2:$2")
		shift 2
	fi
	unshare -m --propagation private -- bash -c '
		root=$1 dir=$2
		shift 2
		mount --bind "$root" "$root" && mount -o remount,bind,ro "$root" &&
			mount --bind "$dir" "$root/build" && mount --bind /dev "$root/dev" &&
			mount -t proc proc "$root/proc" && mount -t sysfs sys "$root/sys" &&
			mount -t tmpfs tmp "$root/tmp" || exit 125
		exec "$@"' in_root "$root" "$dir" \
		chroot "${spec[@]}" "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 \
		sh -c 'cd /build && exec "$@"' sh "$@"
}

# kernel_arch KREL: the architecture of a Debian kernel release, by its
# flavour (-arm64, -arm64-16k): arm64 or x86_64.
kernel_arch() {
	case $1 in *-arm64 | *-arm64-16k) echo arm64 ;; *) echo x86_64 ;; esac
}

# demo_kernel: the kernel make demo and vm-shell boot: $DEMO_KERNEL, else
# the first of this release's, or with ARCH=arm64 of the arm64 lanes'.
demo_kernel() {
	if [ -n "${DEMO_KERNEL:-}" ]; then
		lane_krel "$DEMO_KERNEL"
	elif [ "${ARCH:-}" = arm64 ]; then
		awk '!/^#/ && $3 ~ /-arm64$/ { print $3; exit }' "$LANES_FILE"
	else
		echo "${KERNELS%% *}"
	fi
}

# guest_tools KREL: the tools and selftests a guest of KREL runs, built:
# here, or cross-built in $BUILD/arm64 for an arm64 kernel.
guest_tools() {
	if [ "$(kernel_arch "$1")" = arm64 ]; then
		bash "$TOP/scripts/arm64-tree.sh"
	else
		make -s -C "$TOP/tools" && make -s -C "$TOP/selftests"
	fi
}

# build_module KVER [MAKEFLAGS...]: build vmlab.ko for kernel KVER (a lane
# name or kernel release) in its own tree ($BUILD/kmod/KREL), with its
# release's compiler: here, or in its release's root; an arm64 kernel's by
# the cross compiler, against the headers make deps unpacked. The
# compiler's output is left in build.log there. KDIR_OVERRIDE names
# another kernel build tree (the debug kernel's).
build_module() {
	local krel dir root
	krel=$(lane_krel "$1")
	dir=$BUILD/kmod/$krel
	shift
	root=$(lane_info "$krel" | awk '{ print $4 }')
	rm -rf "$dir" && mkdir -p "$dir"
	cp -r "$TOP/Kbuild" "$TOP/module" "$TOP/include" "$dir/"
	if [ "$(kernel_arch "$krel")" = arm64 ]; then
		make -C "$CACHE/kernels/$krel/headers/usr/src/linux-headers-$krel" M="$dir" \
			ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "$@" modules >"$dir/build.log" 2>&1
	elif [ -n "${KDIR_OVERRIDE:-}" ] || [ -z "$root" ] || [ "$root" = - ]; then
		make -C "${KDIR_OVERRIDE:-/lib/modules/$krel/build}" M="$dir" "$@" modules >"$dir/build.log" 2>&1
	else
		in_root "$root" "$dir" make -C "/usr/src/linux-headers-$krel" M=/build "$@" modules >"$dir/build.log" 2>&1
	fi
}

# make_initramfs KVER SUITE OUT: the module of build_module, every tool and
# every selftest, with SUITE as what /init runs, and the kernel's virtio
# console modules when it has them as modules (see deps.sh). EXTRA_BINS:
# more host programs (space separated paths, e.g. /usr/bin/ps), with their
# libraries.
# An arm64 kernel's guest gets the arm64 build of the tools and selftests
# (make check's check-tools-arm64, in $BUILD/arm64).
make_initramfs() {
	local krel suite=$2 out=$3 files=() arch bin=$TOP
	local f
	krel=$(lane_krel "$1")
	arch=$(kernel_arch "$krel")
	[ "$arch" = arm64 ] && bin=$BUILD/arm64
	read -ra files <<<"${EXTRA_BINS:-}"
	for f in "$bin"/tools/*/*; do
		[ -f "$f" ] && [ -x "$f" ] && [ "$(basename "$(dirname "$f")")" = "$(basename "$f")" ] && files+=("$f")
	done
	# ptdump-fixture: a process to draw (many mappings, a sparse range).
	[ -x "$bin/tools/ptdump/ptdump-fixture" ] && files+=("$bin/tools/ptdump/ptdump-fixture")
	files+=("$TOP/selftests/vm_util.sh")
	for f in "$bin"/selftests/*_test "$TOP"/selftests/*_test.sh "$TOP"/scripts/demo/*.sh "$TOP"/scripts/bench/vm-*.sh; do
		# host_*_test run on the host only.
		[[ $f == */host_* ]] && continue
		[ -x "$f" ] && files+=("$f")
	done
	VMLAB_GUEST_MODULES=$CACHE/kernels/$krel/modules VMLAB_GUEST_ARCH=$arch \
		bash "$TOP/scripts/mkinitramfs.sh" "$out" "$BUILD/kmod/$krel/module/vmlab.ko" "$suite" "${files[@]}"
}
