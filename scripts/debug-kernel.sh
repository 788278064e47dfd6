#!/bin/bash
# Build (once) the debug kernel of make check-debug: Debian's linux-source-6.1
# with tinyconfig plus scripts/debug-kernel.config (KASAN, lockdep, kmemleak,
# UBSAN, DEBUG_LIST, DEBUG_PAGEALLOC, DEBUG_VM...). The extracted source and
# the built tree are cached in $CACHE/debug-kernel/<source-version>-<config-hash>/
# so only the first run pays for the build.
#
# usage: debug-kernel.sh
# Progress goes to stderr; the last line on stdout is the built tree, which
# holds arch/x86/boot/bzImage and the Module.symvers that M= builds need.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-${VMLAB_CACHE:-$HOME/.cache/vmlab}}
FRAG=$TOP/scripts/debug-kernel.config
PKG=linux-source-6.1
JOBS=${VMLAB_DEBUG_JOBS:-2}

die() { echo "debug-kernel: $*" >&2; exit 1; }
say() { echo "debug-kernel: $*" >&2; }

srcver=$(apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
[ -n "$srcver" ] && [ "$srcver" != "(none)" ] || die "apt knows no $PKG (run make deps)"
hash=$(sha256sum "$FRAG" | cut -c1-12)
base=$CACHE/debug-kernel
dir=$base/$srcver-$hash
tree=$dir/linux
mkdir -p "$base"

# One builder at a time per key; a second caller waits and reuses the result.
exec 9>"$dir.lock"
flock 9

if [ -e "$dir/built" ]; then
	say "cached: $tree"
	echo "$tree"
	exit 0
fi
mkdir -p "$dir"

# The source package, kept so a changed config does not download it again;
# older versions of it, and trees built from them, go.
deb=$base/${PKG}_${srcver}_all.deb
if [ ! -e "$deb" ]; then
	say "fetching $PKG $srcver"
	(cd "$base" && apt-get download -qq -o APT::Sandbox::User=root "$PKG=$srcver" >/dev/null) ||
		die "apt-get download $PKG failed"
	for old in "$base/${PKG}"_*_all.deb; do
		[ "$old" = "$deb" ] || rm -f "$old"
	done
fi

if [ ! -e "$dir/extracted" ]; then
	# A tree is 2 GB: keep only the one of the current key.
	for old in "$base"/*/; do
		[ "${old%/}" = "$dir" ] || rm -rf "${old%/}" "${old%/}.lock"
	done
	say "extracting $PKG $srcver"
	rm -rf "$tree" "$dir/src.tmp" && mkdir -p "$dir/src.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PKG.tar.xz" | tar -xJ -C "$dir/src.tmp"
	mv "$dir/src.tmp/$PKG" "$tree" && rmdir "$dir/src.tmp"
	touch "$dir/extracted"
fi

say "configuring: tinyconfig + $(basename "$FRAG")"
make -s -C "$tree" tinyconfig >"$dir/config.log" 2>&1
(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$FRAG") >>"$dir/config.log" 2>&1
make -s -C "$tree" olddefconfig >>"$dir/config.log" 2>&1
# Kconfig drops what it cannot satisfy without a word: check every request.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$FRAG" | while read -r line; do
	grep -qx "$line" "$tree/.config" || echo "$line"
done)
[ -z "$missing" ] || die "options the kernel config did not take: $(echo $missing)"

say "building $srcver ($hash) with make -j$JOBS; log: $dir/build.log"
start=$(date +%s)
if ! nice -n 10 make -C "$tree" -j"$JOBS" >"$dir/build.log" 2>&1; then
	tail -n 30 "$dir/build.log" >&2
	die "build failed"
fi
say "built in $(($(date +%s) - start)) s: $(make -s -C "$tree" kernelrelease)"
touch "$dir/built"
echo "$tree"
