#!/bin/sh
# What plain make needs on a real machine, checked before building, so a
# missing header tree or library is one message naming the package, not a
# compiler error. Installs nothing and needs no root.
#
# usage: need.sh module KDIR | need.sh tools
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
	command -v "${CC:-cc}" >/dev/null 2>&1 || say "a C compiler (${CC:-cc})" build-essential gcc base-devel
	command -v pkg-config >/dev/null 2>&1 || say "pkg-config" pkg-config pkgconf-pkg-config pkgconf
	pc() { pkg-config --exists "$1" 2>/dev/null; }
	pc smartcols || say "libsmartcols (pkg-config smartcols)" libsmartcols-dev libsmartcols-devel util-linux-libs
	pc libbpf || say "libbpf (pkg-config libbpf)" libbpf-dev libbpf-devel libbpf
	pc libelf || say "libelf (pkg-config libelf)" libelf-dev elfutils-libelf-devel libelf
	pc zlib || say "zlib (pkg-config zlib)" zlib1g-dev zlib-devel zlib
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
