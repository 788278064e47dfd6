#!/bin/bash
# Build a busybox initramfs for one VM run.
# usage: mkinitramfs.sh OUT.cpio MODULE.ko SUITE.sh [FILE...]
# FILEs (tools, selftests, scripts) land in /opt/vmlab/bin with the shared
# libraries their ELF binaries need. SUITE.sh is what /init runs.
# $VMLAB_GUEST_MODULES: a folder of kernel modules and their load.order,
# which /init loads before the suite (the virtio console of the TAP port),
# and zram.order, which the swap chapter loads. $VMLAB_GUEST_ARCH=arm64
# makes an arm64 guest: Debian's arm64 busybox (make deps), the arm64
# (multiarch) libraries the FILEs need, and Debian's arm64 gnuplot and dot
# (scripts/arm64-draw.sh, make deps: the host's are x86-64).
set -euo pipefail
CACHE=${CACHE:-$HOME/.cache/vmlab}
arch=${VMLAB_GUEST_ARCH:-x86_64}
strip="strip"
[ "$arch" = arm64 ] && strip="aarch64-linux-gnu-strip"

out=$1 ko=$2 suite=$3
shift 3
root=$(mktemp -d)
chmod 755 "$root"	# mktemp makes it 0700: users other than root could reach nothing
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,root,opt/vmlab/bin,home/student}
if [ "$arch" = arm64 ]; then
	cp "$CACHE/arm64/busybox" "$root/bin/busybox"
else
	cp /bin/busybox "$root/bin/busybox"
fi
# Without DWARF (as an installed module is, INSTALL_MOD_STRIP): 100 KiB for
# the kernel to read and parse at each load instead of 1.4 MiB.
"$strip" --strip-debug -o "$root/vmlab.ko" "$ko"
cp "$suite" "$root/suite.sh"
cp "$(dirname "$0")/guest/vm-init.sh" "$root/init"
mkdir -p "$root/modules"
if [ -r "${VMLAB_GUEST_MODULES:-}/load.order" ]; then
	cp "$VMLAB_GUEST_MODULES"/*.ko "$VMLAB_GUEST_MODULES"/*.order "$root/modules/" 2>/dev/null || :
fi
chmod 755 "$root/init"

# Users for permission tests: an outsider and a member of group vmlab.
cat >"$root/etc/passwd" <<'EOT'
root:x:0:0:root:/root:/bin/sh
student:x:1000:1000:student:/home/student:/bin/sh
outsider:x:1001:1001:outsider:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOT
cat >"$root/etc/group" <<'EOT'
root:x:0:
student:x:1000:
outsider:x:1001:
vmlab:x:900:student
nogroup:x:65534:
EOT
chown 1000:1000 "$root/home/student"

# The drawing programs of --svg: gnuplot, and dot with the two Graphviz
# plugins that write SVG (core) and lay out trees (dot_layout). An x86-64
# guest gets the host's, when it has them, registered in a config6a of
# their own (dot -c). An arm64 one gets those of the sysroot that
# arm64-draw.sh unpacked, its libraries found there before the host's; the
# host cannot run that dot, so /init registers its plugins.
draw=() sysroot=
if [ "$arch" = arm64 ]; then
	sysroot=$CACHE/arm64/draw gvdir=/usr/lib/aarch64-linux-gnu/graphviz
	if [ -x "$sysroot/usr/bin/gnuplot-nox" ] && [ -x "$sysroot/usr/bin/dot" ]; then
		cp -L "$sysroot/usr/bin/gnuplot-nox" "$root/opt/vmlab/bin/gnuplot"
		cp -L "$sysroot/usr/bin/dot" "$root/opt/vmlab/bin/dot"
		draw+=("$root/opt/vmlab/bin/gnuplot" "$root/opt/vmlab/bin/dot")
		mkdir -p "$root$gvdir"
		cp -L "$sysroot$gvdir"/libgvplugin_core.so.[0-9] "$sysroot$gvdir"/libgvplugin_dot_layout.so.[0-9] "$root$gvdir/"
		draw+=("$root$gvdir"/libgvplugin_*)
	fi
else
	for p in gnuplot dot; do
		command -v "$p" >/dev/null && draw+=("$(command -v "$p")")
	done
	gvdir=/usr/lib/x86_64-linux-gnu/graphviz
	if command -v dot >/dev/null && [ -d "$gvdir" ]; then
		mkdir -p "$root$gvdir"
		cp -L "$gvdir"/libgvplugin_core.so.[0-9] "$gvdir"/libgvplugin_dot_layout.so.[0-9] "$root$gvdir/"
		GVBINDIR=$root$gvdir dot -c
		draw+=("$root$gvdir"/libgvplugin_*)
	fi
fi
# arm64_libs FILE: the arm64 libraries FILE needs, and theirs, and the
# dynamic loader: read from the ELF files (ldd cannot run them here);
# the sysroot's before the host's.
arm64_libs() {
	local todo=("$1") f lib d seen=" " interp
	interp=$(aarch64-linux-gnu-readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ]; then
		if [ -e "$sysroot$interp" ]; then echo "$sysroot$interp"; else echo "$interp"; fi
	fi
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]} todo=("${todo[@]:1}")
		for lib in $(aarch64-linux-gnu-readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[[ $seen == *" $lib "* ]] && continue
			seen+="$lib "
			for d in "$sysroot"/lib/aarch64-linux-gnu "$sysroot"/usr/lib/aarch64-linux-gnu \
				/lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu; do
				[ -e "$d/$lib" ] || continue
				echo "$d/$lib"
				todo+=("$d/$lib")
				break
			done
		done
	done
}
libs=()
for f in "$@" "${draw[@]}"; do
	case $f in
	"$root"/*) ;;	# in place already (a drawing program, a plugin): only its libraries
	*)
		cp -L "$f" "$root/opt/vmlab/bin/"
		file -L "$f" | grep -q 'dynamically linked' || continue ;;
	esac
	if [ "$arch" = arm64 ]; then
		mapfile -t -O ${#libs[@]} libs < <(arm64_libs "$f")
	else
		mapfile -t -O ${#libs[@]} libs < <(ldd "$f" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }')
	fi
done
# A library of the sysroot goes where it is in the sysroot.
for lib in $(printf '%s\n' "${libs[@]}" | sort -u); do
	dst=${lib#"$sysroot"}
	mkdir -p "$root$(dirname "$dst")"
	cp -L "$lib" "$root$dst"
done
# glibc finds its libraries through /lib64 and /lib/x86_64-linux-gnu
# (/lib and /lib/aarch64-linux-gnu on arm64).
[ -e "$root/lib" ] || mkdir -p "$root/lib"
# /usr/lib is /lib (as on Debian): dot finds its plugins at the built-in path.
[ -d "$root/usr/lib" ] && cp -a "$root/usr/lib/." "$root/lib/" && rm -rf "$root/usr/lib" &&
	ln -s ../lib "$root/usr/lib"

# Not compressed: QEMU copies 8 MiB in no time, while gunzip in the
# emulated guest would delay the boot.
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out"
