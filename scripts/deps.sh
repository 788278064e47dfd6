#!/bin/bash
# Install everything vmlab needs on a Debian 12 machine, idempotently:
# Debian packages, the test kernels (images unpacked into the cache, headers
# installed), and the few files taken from Debian's linux-source-6.1.
# Resolved kernel versions are written to $CACHE/kernels.env.
set -euo pipefail

CACHE=${VMLAB_CACHE:-$HOME/.cache/vmlab}
PACKAGES=(build-essential bc bison flex libelf-dev libssl-dev kmod cpio gzip
	xz-utils zstd perl python3 qemu-system-x86 busybox-static sparse dkms
	libsmartcols-dev libbpf-dev bpftool clang llvm gnuplot-nox stress-ng procps pkg-config file)

die() { echo "deps: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
	echo "deps: installing packages needs root; run: sudo make deps" >&2
	exit 1
fi

mkdir -p "$CACHE"
export DEBIAN_FRONTEND=noninteractive


need=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || need+=("$p")
done

# apt lists are needed to resolve kernel versions; refresh them once a day at most.
stamp=$CACHE/apt-update.stamp
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ] ||
	! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	apt-get update -qq
	touch "$stamp"
fi
if [ ${#need[@]} -gt 0 ]; then
	echo "deps: installing ${need[*]}"
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- kernel versions -------------------------------------------------------
newest() { sort -V | tail -n 1; }

# 6.1: whatever linux-image-amd64 points at (linux-image-6.1.0-NN-amd64).
k61=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(6\.1\..*-amd64\)$/\1/p' | head -n 1)
[ -n "$k61" ] || die "cannot resolve the 6.1 kernel from linux-image-amd64"

# 6.12 (FLAVOUR amd64 or rt-amd64): the newest unsigned image with matching headers.
resolve_612() {
	comm -12 \
		<(apt-cache pkgnames linux-image-6.12. | sed -n "s/^linux-image-\(6\.12\..*+deb12-$1\)-unsigned\$/\1/p" | sort) \
		<(apt-cache pkgnames linux-headers-6.12. | sed -n "s/^linux-headers-\(6\.12\..*+deb12-$1\)\$/\1/p" | sort) |
		newest
}
k612=$(resolve_612 amd64)
k612rt=$(resolve_612 rt-amd64)
[ -n "$k612" ] && [ -n "$k612rt" ] || die "cannot resolve the 6.12 kernels with headers"

fetch_kernel() {
	local ver=$1 pkg=$2 dir=$CACHE/kernels/$1
	if [ ! -e "$dir/vmlinuz" ]; then
		echo "deps: fetching $pkg"
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg" >/dev/null && dpkg -x ./*.deb root)
		cp "$dir.tmp/root/boot/vmlinuz-$ver" "$dir.tmp/vmlinuz"
		rm -rf "$dir.tmp/root"
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
		rm -f "$dir"/*.deb
	fi
	if [ ! -e "/usr/src/linux-headers-$ver/Module.symvers" ]; then
		echo "deps: installing linux-headers-$ver"
		apt-get install -y -qq --no-install-recommends "linux-headers-$ver" >/dev/null
	fi
}
fetch_kernel "$k61" "linux-image-$k61"
fetch_kernel "$k612" "linux-image-$k612-unsigned"
fetch_kernel "$k612rt" "linux-image-$k612rt-unsigned"

cat >"$CACHE/kernels.env" <<EOT
VMLAB_KERNELS="$k61 $k612 $k612rt"
EOT

# --- files from linux-source-6.1 -------------------------------------------
src=$CACHE/linux-src
if [ ! -e "$src/.done" ]; then
	echo "deps: extracting harness, checkpatch and .clang-format from linux-source-6.1"
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

echo "deps: ok; kernels: $k61 $k612 $k612rt"
