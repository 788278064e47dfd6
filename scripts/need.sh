#!/bin/sh
# What plain make needs on a real machine, checked before building, so a
# missing header tree or library is one message naming the package, not a
# compiler error. Installs nothing and needs no root.
#
# usage: need.sh module KDIR | need.sh tools
# tools: for the target of CROSS_COMPILE (or ARCH=arm64/x86_64 on another
# machine), as tools/arch.mk builds: CC, and the target's pkg-config files.
# Exits 1 after naming every missing piece (Debian/Ubuntu, Fedora, Arch).
missing=0

# say WHAT DEBIAN FEDORA ARCH
say() {
	[ $missing = 0 ] && echo "vmlab: cannot build, missing:" >&2
	missing=1
	printf '  %s\n    Debian/Ubuntu: apt install %s\n    Fedora:        dnf install %s\n    Arch:          pacman -S %s\n' \
		"$1" "$2" "$3" "$4" >&2
}

case ${1:-} in
module)
	kdir=${2:-}
	if [ -z "$kdir" ] || [ ! -e "$kdir/Makefile" ]; then
		r=$(uname -r)
		say "the kernel's header tree ${kdir:-/lib/modules/$r/build} (or give KDIR=/path/to/headers)" \
			"linux-headers-$r" "kernel-devel-$r" "linux-headers"
	fi
	command -v make >/dev/null 2>&1 || say "make" make make make
	# The headers name their own gcc (gcc-14 for trixie's); any will do here.
	command -v gcc >/dev/null 2>&1 || ls /usr/bin/*gcc-[0-9]* >/dev/null 2>&1 ||
		say "a C compiler (gcc)" build-essential gcc base-devel
	;;
tools)
	host=$(uname -m | sed 's/aarch64/arm64/')
	case ${ARCH:-$host} in
	"$host" | x86_64 | arm64 | aarch64) ;;
	*) echo "need.sh: ARCH=$ARCH: the tools build for x86_64 and arm64" >&2; exit 2 ;;
	esac
	case ${ARCH:-$host} in
	"$host") ;;
	arm64 | aarch64) CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-} ;;
	x86_64) CROSS_COMPILE=${CROSS_COMPILE:-x86_64-linux-gnu-} ;;
	esac
	cc=${CC:-${CROSS_COMPILE:+${CROSS_COMPILE}gcc}}
	cc=${cc:-cc}
	# Debian names a cross compiler gcc-TRIPLET and a library of another
	# architecture PACKAGE:ARCH (dpkg --add-architecture ARCH first).
	triplet=${CROSS_COMPILE%-}
	deb_gcc=build-essential cross_gcc=gcc base=base-devel deb_arch=
	if [ -n "$triplet" ]; then
		cross_gcc=gcc-$triplet deb_gcc=$cross_gcc base=$triplet-gcc
		case $triplet in
		aarch64*) deb_arch=:arm64 ;;
		x86_64*) deb_arch=:amd64 ;;
		esac
	fi
	if command -v "$cc" >/dev/null 2>&1; then
		[ -n "$CROSS_COMPILE" ] && [ -z "${PKG_CONFIG_LIBDIR:-}" ] &&
			PKG_CONFIG_LIBDIR=/usr/lib/$("$cc" -dumpmachine)/pkgconfig:/usr/share/pkgconfig &&
			export PKG_CONFIG_LIBDIR
	else
		say "a C compiler ($cc)" "$deb_gcc" "$cross_gcc" "$base"
	fi
	command -v pkg-config >/dev/null 2>&1 || say "pkg-config" pkg-config pkgconf-pkg-config pkgconf
	pc() { pkg-config --exists "$1" 2>/dev/null; }
	pc smartcols || say "libsmartcols (pkg-config smartcols)" "libsmartcols-dev$deb_arch" libsmartcols-devel util-linux-libs
	pc libbpf || say "libbpf (pkg-config libbpf)" "libbpf-dev$deb_arch" libbpf-devel libbpf
	pc libelf || say "libelf (pkg-config libelf)" "libelf-dev$deb_arch" elfutils-libelf-devel libelf
	pc zlib || say "zlib (pkg-config zlib)" "zlib1g-dev$deb_arch" zlib-devel zlib
	command -v "${CLANG:-clang}" >/dev/null 2>&1 || say "clang (BPF programs of threadtrace)" clang clang clang
	command -v "${LLVM_STRIP:-llvm-strip}" >/dev/null 2>&1 || say "llvm-strip" llvm llvm llvm
	command -v "${BPFTOOL:-bpftool}" >/dev/null 2>&1 || say "bpftool" bpftool bpftool bpf
	;;
*)
	echo "usage: need.sh module KDIR | need.sh tools" >&2
	exit 2
	;;
esac
[ $missing = 0 ] || exit 1
