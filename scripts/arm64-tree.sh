#!/bin/bash
# The tools and selftests cross-built for arm64 guests (the arm64 lanes,
# make demo ARCH=arm64), in a copy of their sources under $BUILD/arm64:
# the tree's own objects are x86-64.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
tree=${BUILD:-$TOP/build}/arm64
# Make's of their own, whatever make called this one with.
unset MAKEFLAGS MFLAGS MAKELEVEL ARCH
rm -rf "$tree" && mkdir -p "$tree"
(cd "$TOP" && git ls-files -co --exclude-standard tools selftests include dkms.conf | tar -cT -) | tar -x -C "$tree"
for d in tools selftests; do
	make -k -s -j2 -C "$tree/$d" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
done
# Every program built is an arm64 one.
! find "$tree/tools" "$tree/selftests" -type f -perm -u+x -exec file {} + | grep ': *ELF' | grep -v 'ARM aarch64'
