#!/bin/bash
# make deps: everything the test and demo targets need on a Debian 12
# machine, idempotently: Debian packages; every kernel of the matrix
# (scripts/kernels.conf) resolved to its newest version, its image and
# virtio-console modules unpacked into the cache; the headers of the
# machine's own release installed here, those of other releases in a
# cached root of that release (scripts/root.sh); and the few files taken
# from Debian's linux-source-6.1. Writes $CACHE/lanes (one line per lane:
# LANE RELEASE KREL ROOT, ROOT "-" for this machine), $CACHE/kernels.env
# and $CACHE/arm64-root (RELEASE KREL ROOT of the arm64 root).
# Plain make (module and tools) needs none of this.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-${VMLAB_CACHE:-$HOME/.cache/vmlab}}
# shellcheck source=matrix.sh
. "$TOP/scripts/matrix.sh"

PACKAGES=(build-essential bc bison flex libelf-dev libssl-dev kmod cpio gzip
	xz-utils zstd perl python3 qemu-system-x86 busybox-static sparse dkms
	libsmartcols-dev libbpf-dev bpftool clang llvm gnuplot-nox stress-ng procps pkg-config file
	mmdebstrap mandoc shellcheck clang-format graphviz chromium tmux
	gcc-aarch64-linux-gnu qemu-system-arm qemu-user-static binfmt-support arch-test)
# The arm64 lanes' tools are cross-built against Debian's own arm64
# libraries, installed beside the amd64 ones (multiarch).
ARM64_PACKAGES=(libc6-dev:arm64 libsmartcols-dev:arm64 libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64)

die() { echo "deps: $*" >&2; exit 1; }
say() { echo "deps: $*"; }

[ "$(id -u)" = 0 ] || die "installing packages needs root; run: sudo make deps"
. /etc/os-release
host_release=$VERSION_CODENAME
mkdir -p "$CACHE"
export DEBIAN_FRONTEND=noninteractive

stamp=$CACHE/apt-update.stamp
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	say "adding the arm64 architecture (multiarch) for the arm64 lanes' libraries"
	dpkg --add-architecture arm64
	rm -f "$stamp"
fi
need=()
for p in "${PACKAGES[@]}" "${ARM64_PACKAGES[@]}"; do
	dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || need+=("$p")
done
# The machine's own lists, refreshed once a day at most.
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ] ||
	! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	apt-get update -qq
	touch "$stamp"
fi
if [ ${#need[@]} -gt 0 ]; then
	say "installing ${need[*]}"
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
apt_private_update || die "apt update of the private sources ($APT_DIR) failed"
mapfile -t all_suites < <(ls "$APT_DIR/index")

# fetch_kernel KREL IMAGE-PACKAGE ARCH: the kernel image into
# $CACHE/kernels/KREL, with the virtio modules the TAP port needs when the
# kernel has them as modules (6.1 and 5.10 do; 6.12 builds them in),
# decompressed, and their load order in modules/load.order. For another
# architecture (arm64), its headers too, in headers/ (see fetch_headers).
# Refetched when the package's version changes.
fetch_kernel() {
	local krel=$1 pkg=$2 arch=$3 dir=$CACHE/kernels/$1 ver tmp mods m want
	ver=$(suite_versions "$pkg" "${all_suites[@]}" | awk '{ print $2 }' | sort -V | tail -n 1)
	# 7.3's linux-binary-* has the image only; its modules (zram) are in
	# linux-modules-*.
	want=("$pkg:$arch=$ver")
	case $pkg in linux-binary-*) want+=("linux-modules-${pkg#linux-binary-}:$arch=$ver") ;; esac
	[ "$arch" = amd64 ] || want+=("linux-headers-$krel:$arch=$ver")
	[ -e "$dir/vmlinuz" ] && [ -e "$dir/modules/zram.order" ] && [ "$(cat "$dir/source" 2>/dev/null)" = "${want[*]}" ] && return 0
	say "fetching ${want[*]}"
	tmp=$dir.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	(cd "$tmp" && apt-get "${PAPT[@]}" download -qq "${want[@]}" >/dev/null && for d in ./*.deb; do dpkg -x "$d" root; done && rm -f ./*.deb)
	mods=$(find "$tmp/root" -maxdepth 4 -type d -path "*/modules/$krel" | head -n 1)
	cp "$(ls "$tmp/root/boot/vmlinuz-$krel" "$mods/vmlinuz" 2>/dev/null | head -n 1)" "$tmp/vmlinuz"
	mkdir -p "$tmp/modules"
	: >"$tmp/modules/load.order"
	: >"$tmp/modules/zram.order"
	# The package ships no modules.dep (its postinst runs depmod).
	if [ -n "$mods" ] && depmod -b "${mods%/lib/modules/*}" "$krel" 2>/dev/null; then
		unpack_modules "$mods" "$tmp/modules/load.order" virtio_pci virtio_console
		# zram and what it needs, for the swap chapter: loaded by it, not at boot.
		unpack_modules "$mods" "$tmp/modules/zram.order" zram
	fi
	[ "$arch" = amd64 ] || fetch_headers "$krel" "$tmp"
	rm -rf "$tmp/root"
	echo "${want[*]}" >"$tmp/source"
	# Renamed, not removed first: a VM booting meanwhile finds a kernel.
	rm -rf "$dir.old" && { [ ! -e "$dir" ] || mv "$dir" "$dir.old"; } && mv "$tmp" "$dir" && rm -rf "$dir.old"
}

# fetch_headers KREL DIR: the headers of a kernel of another architecture,
# for its cross-built module, from DIR/root (the unpacked packages) into
# DIR/headers. They include the -common headers of the same version and
# run the kbuild programs of the host (linux-kbuild-*, amd64) by absolute
# and relative links: both are installed here, as amd64 headers of that
# version would have them.
fetch_headers() {
	local krel=$1 dir=$2 host_pkgs kbuild
	mapfile -t host_pkgs < <(suite_depends "linux-headers-$krel" "${all_suites[@]}" |
		grep -oE 'linux-(headers-[^ ]+-common|kbuild-[^ ,]+)' | sort -u)
	[ ${#host_pkgs[@]} = 2 ] || die "linux-headers-$krel: no -common and linux-kbuild-* in its Depends"
	apt-get install -y -qq --no-install-recommends "${host_pkgs[@]}" >/dev/null
	mkdir -p "$dir/headers/usr/src" "$dir/headers/usr/lib"
	mv "$dir/root/usr/src/linux-headers-$krel" "$dir/headers/usr/src/"
	for kbuild in "${host_pkgs[@]}"; do
		case $kbuild in linux-kbuild-*) ln -s "/usr/lib/$kbuild" "$dir/headers/usr/lib/$kbuild" ;; esac
	done
}

# unpack_modules MODS ORDER NAME...: the modules NAME... (those the kernel
# has as modules) and what they depend on, decompressed beside ORDER,
# their file names appended to ORDER in load order.
unpack_modules() {
	local mods=$1 order=$2 m
	shift 2
	for m in $(load_order "$mods/modules.dep" "$@"); do
		case $m in
		*.xz) xz -dc "$mods/$m" >"${order%/*}/$(basename "${m%.xz}")" ;;
		*.zst) zstd -qdc "$mods/$m" >"${order%/*}/$(basename "${m%.zst}")" ;;
		*) cp "$mods/$m" "${order%/*}/" ;;
		esac
		basename "${m%.ko*}.ko" >>"$order"
	done
}

# load_order MODULES.DEP NAME...: the modules NAME..., each after what it
# depends on, in the order named.
load_order() {
	local dep=$1
	shift
	awk -F': *' -v names="$*" '
	{ dep[$1] = $2 }
	function load(m,   n, d, i) {
		if (m in done) return
		done[m] = 1
		n = split(dep[m], d, " ")
		for (i = n; i >= 1; i--) load(d[i])
		print m
	}
	END {
		n = split(names, want, " ")
		for (i = 1; i <= n; i++)
			for (m in dep) if (m ~ ("/" want[i] "\\.ko")) load(m)
	}' "$dep"
}

# --- the matrix -------------------------------------------------------------
# Each line resolved to a kernel first: the roots need only the releases'
# kernel versions, so they are made while the kernels are fetched.
lanes=() fetches=() host_krels=()
declare -A release_krels release_suite
while read -r lane release suite series flavour; do
	read -r krel pkg < <(resolve_kernel "$release" "$suite" "$series" "$flavour") ||
		die "no $series $flavour kernel with headers and an image in $(release_suites "$release" "$suite" | tr '\n' ' ')"
	arch=amd64
	case $flavour in arm64*) arch=arm64 ;; esac
	lanes+=("$lane $release $krel")
	fetches+=("$krel $pkg $arch")
	# Another architecture's module is cross-built here, against the
	# headers fetch_kernel unpacks.
	[ "$arch" = amd64 ] || continue
	if [ "$release" = "$host_release" ]; then
		host_krels+=("$krel")
	else
		release_krels[$release]+=" $krel"
		release_suite[$release]=$suite
	fi
done < <(matrix_lines)

# A root per other release; the newest release's also holds what the
# tools need, for the README's real-machine check. And a root of this
# release's arm64 programs, which qemu-user's binfmt handler runs here:
# check-install.sh arm64 runs the README's plain make in it, as on an
# arm64 machine booted with this release's first arm64 kernel. They are
# made side by side, and beside the kernels' fetching (each is mostly
# fetching and unpacking, the arm64 one emulated); root.sh prints each
# one's directory into $made.
made=$(mktemp -d)
root_jobs=()
make_root() { # NAME ROOT.SH-ARGS...
	bash "$TOP/scripts/root.sh" "${@:2}" >"$made/$1" &
	root_jobs+=("$! $1")
}
newest_release=$(for r in "${!release_krels[@]}"; do echo "$r"; done | sort | tail -n 1)
for release in "${!release_krels[@]}"; do
	opt=()
	[ "$release" = "$newest_release" ] && opt=(--tools)
	# shellcheck disable=SC2086 # the release's kernels, one word each
	make_root "$release" "${opt[@]}" "$release" "${release_suite[$release]}" ${release_krels[$release]}
done
arm64_krel=$(printf '%s\n' "${lanes[@]}" | awk -v r="$host_release" '$2 == r && $3 ~ /-arm64$/ { print $3; exit }')
if [ -n "$arm64_krel" ]; then
	[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
	make_root arm64 --tools --arch arm64 "$host_release" "$host_release" "$arm64_krel"
fi

for f in "${fetches[@]}"; do
	# shellcheck disable=SC2086 # KREL PACKAGE ARCH
	fetch_kernel $f
done
for krel in "${host_krels[@]}"; do
	if [ ! -e "/usr/src/linux-headers-$krel/Module.symvers" ]; then
		say "installing linux-headers-$krel"
		apt-get install -y -qq --no-install-recommends "linux-headers-$krel" >/dev/null
	fi
done
for job in "${root_jobs[@]}"; do
	read -r pid name <<<"$job"
	wait "$pid" || die "the $name root failed"
done
declare -A roots
for release in "${!release_krels[@]}"; do
	roots[$release]=$(cat "$made/$release")
done
if [ -n "$arm64_krel" ]; then
	echo "$host_release $arm64_krel $(cat "$made/arm64")" >"$CACHE/arm64-root"
else
	rm -f "$CACHE/arm64-root"
fi
rm -rf "$made"

{
	echo "# lane release kernel root (written by make deps)"
	for l in "${lanes[@]}"; do
		read -r lane release krel <<<"$l"
		echo "$lane $release $krel ${roots[$release]:--}"
	done
} >"$CACHE/lanes.tmp"
mv "$CACHE/lanes.tmp" "$CACHE/lanes"
# The demo, vm-shell and bench kernels: this release's, built here.
echo "VMLAB_KERNELS=\"${host_krels[*]}\"" >"$CACHE/kernels.env"

# A report, not a failure: Debian has a newer kernel than the matrix names.
: >"$CACHE/matrix.report"
for flavour in $(matrix_lines | awk '{ print $5 }' | sort -u); do
	ours=$(matrix_lines | awk -v f="$flavour" '$5 == f { print $4 }' | sort -V | tail -n 1)
	theirs=$(newest_series "$flavour" "${all_suites[@]}")
	if [ -n "$theirs" ] && [ "$(printf '%s\n' "$ours" "$theirs" | sort -V | tail -n 1)" != "$ours" ]; then
		echo "Debian has a $theirs $flavour kernel, newer than the matrix's $ours: add a line to scripts/kernels.conf" >>"$CACHE/matrix.report"
	fi
done
sed 's/^/deps: report: /' "$CACHE/matrix.report"

# --- the arm64 guests' busybox ---------------------------------------------
# Debian's static busybox for arm64, of this release, unpacked (the amd64
# one is installed).
if [ ! -x "$CACHE/arm64/busybox" ]; then
	say "fetching busybox-static:arm64"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get "${PAPT[@]}" download -qq "busybox-static:arm64/$host_release" >/dev/null && dpkg -x ./*.deb root)
	mkdir -p "$CACHE/arm64"
	cp "$tmp/root/bin/busybox" "$CACHE/arm64/busybox"
	rm -rf "$tmp"
fi
CACHE=$CACHE bash "$TOP/scripts/arm64-draw.sh" || die "the arm64 guests' gnuplot and dot (scripts/arm64-draw.sh) failed"

# --- files from linux-source-6.1 -------------------------------------------
src=$CACHE/linux-src
if [ ! -e "$src/.done" ]; then
	say "extracting harness, checkpatch and .clang-format from linux-source-6.1"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root linux-source-6.1 >/dev/null && dpkg -x ./*.deb root)
	tarball=$(ls "$tmp"/root/usr/src/linux-source-6.1*.tar.xz)
	top=$(basename "$tarball" .tar.xz)
	rm -rf "$src" && mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1 \
		"$top/tools/testing/selftests/kselftest_harness.h" \
		"$top/tools/testing/selftests/kselftest.h" \
		"$top/scripts/checkpatch.pl" \
		"$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" \
		"$top/.clang-format"
	rm -rf "$tmp"
	touch "$src/.done"
fi

say "ok; lanes: $(printf '%s\n' "${lanes[@]}" | awk '{ printf "%s=%s ", $1, $3 }')"
