#!/bin/bash
# The README's real-machine commands, checked in the newest release's root
# (trixie: gcc-14, the 7.3 headers, the tools' libraries; no QEMU, no
# cache, no make deps) against its newest kernel: plain make as an
# unprivileged user, make install DESTDIR=..., dkms build from the
# installed source. Then, with vmlab installed in that root for real
# (make install, dkms add, build, install), make check's DKMS step and an
# install into DESTDIR must leave that install as it was. The root is
# seen through an overlay: the cached root stays as made. Prints TAP.
#
# usage: check-install.sh [arm64]
# With arm64, the plain make of an arm64 machine, in this release's arm64
# root (make deps), whose programs qemu-user runs: as the unprivileged
# user, with uname -r saying an arm64 kernel's release (QEMU_UNAME), it
# builds an aarch64 vmlab.ko for that kernel and aarch64 tools.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
arch=${1:-}
tag=install${arch:+-$arch}
dir=$BUILD/$tag
user=65534	# nobody: no root, no home, no write access but to its tree
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
n=0 failed=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok - $tag: $1"; else failed=$((failed + 1)); echo "not ok - $tag: $1"; fi
}

uname_env=()
if [ "$arch" = arm64 ]; then
	read -r release krel root 2>/dev/null <"$CACHE/arm64-root"
	uname_env=("QEMU_UNAME=${krel:-}")
else
	# The newest lane whose release has a root with the tools' packages.
	read -r _ release krel root < <(awk '!/^#/ && $4 != "-"' "$LANES_FILE" | sort -k2,2 -k3,3V |
		awk '$3 !~ /-rt-/' | tail -n 1)
fi
[ -n "${root:-}" ] || { echo "not ok - $tag: no root for this check (run make deps)"; echo 1..1; exit 1; }
echo "# real-machine check in the $release${arch:+ $arch} root, kernel $krel"

rm -rf "$dir" && mkdir -p "$dir/upper" "$dir/work" "$dir/merged" "$dir/src"
# The project as a user gets it: its files, not this tree's build output.
git -C "$TOP" ls-files -z --cached --others --exclude-standard |
	(cd "$TOP" && xargs -0 cp --parents -t "$dir/src" 2>/dev/null)
chown -R "$user:$user" "$dir/src"

# in_overlay [-u UID] CMD...: CMD in the overlay of the root, cwd /build
# (the project's copy).
in_overlay() {
	local spec=()
	[ "$1" = -u ] && { spec=(--userspec="$2:$2"); shift 2; }
	unshare -m --propagation private -- bash -c '
		root=$1 dir=$2
		shift 2
		mount -t overlay overlay -o "lowerdir=$root,upperdir=$dir/upper,workdir=$dir/work" "$dir/merged" &&
			mount --bind "$dir/src" "$dir/merged/build" && mount --bind /dev "$dir/merged/dev" &&
			mount -t proc proc "$dir/merged/proc" && mount -t sysfs sys "$dir/merged/sys" || exit 125
		exec chroot "$@"' in_overlay "$root" "$dir" "${spec[@]}" "$dir/merged" \
		/usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 \
		"${uname_env[@]}" sh -c 'cd /build && exec "$@"' sh "$@"
}
kdir=/usr/src/linux-headers-$krel

# aarch64 FILE: FILE of the project's copy is an arm64 ELF file.
aarch64() { readelf -h "$dir/src/$1" 2>/dev/null | grep -q 'Machine: *AArch64'; }
if [ "$arch" = arm64 ]; then
	in_overlay -u $user make >"$dir/make.log" 2>&1
	rc=$?
	check "plain make as uid $user on arm64 (uname -r: $krel) builds vmlab.ko for that kernel and the tools, all aarch64" \
		'[ $rc = 0 ] && aarch64 module/vmlab.ko && aarch64 tools/vmlabctl/vmlabctl && aarch64 tools/threadtrace/threadtrace &&
		 [ "$(modinfo -F vermagic "$dir/src/module/vmlab.ko" | cut -d" " -f1)" = "$krel" ]'
	[ $rc = 0 ] || tail -n 15 "$dir/make.log" | sed 's/^/# /'
	echo "1..$n"
	[ $failed = 0 ]
	exit
fi

in_overlay -u $user make module KDIR="$kdir" >"$dir/module.log" 2>&1
rc=$?
check "make module KDIR=$kdir as uid $user builds vmlab.ko" '[ $rc = 0 ] && [ -e "$dir/src/module/vmlab.ko" ]'
[ $rc = 0 ] || tail -n 15 "$dir/module.log" | sed 's/^/# /'

in_overlay -u $user make KDIR="$kdir" >"$dir/make.log" 2>&1
rc=$?
check "make KDIR=$kdir as uid $user builds the module and the tools (no root, no QEMU, no make deps)" \
	'[ $rc = 0 ] && [ -e "$dir/src/module/vmlab.ko" ] && [ -x "$dir/src/tools/vmlabctl/vmlabctl" ] &&
	 [ ! -e "$dir/src/build/.deps-stamp" ]'
[ $rc = 0 ] || tail -n 15 "$dir/make.log" | sed 's/^/# /'

in_overlay -u $user make install DESTDIR=/build/dest >"$dir/install.log" 2>&1
rc=$?
check "make install DESTDIR=... as uid $user: tools, man pages, udev rule, DKMS source" \
	'[ $rc = 0 ] && [ -x "$dir/src/dest/usr/local/bin/vmlabctl" ] && [ -e "$dir/src/dest/usr/lib/udev/rules.d/60-vmlab.rules" ] &&
	 [ -e "$dir/src/dest/usr/local/share/man/man4/vmlab.4" ] && [ -e "$dir/src/dest/usr/src/vmlab-$VERSION/dkms.conf" ]'
[ $rc = 0 ] || tail -n 15 "$dir/install.log" | sed 's/^/# /'

in_overlay bash /build/scripts/dkms-private.sh /build/dest/usr/src "$krel" /tmp/dkms >"$dir/dkms.log" 2>&1
rc=$?
check "dkms build from the installed source (/usr/src/vmlab-$VERSION of DESTDIR) for $krel" '[ $rc = 0 ]'
[ $rc = 0 ] || tail -n 15 "$dir/dkms.log" | sed 's/^/# /'

# A real install in the overlay, as the README does it (as root).
in_overlay sh -c "make install >/tmp/real.log 2>&1 && dkms add -m vmlab -v $VERSION >>/tmp/real.log 2>&1 &&
	dkms build -m vmlab -v $VERSION -k $krel >>/tmp/real.log 2>&1 && dkms install -m vmlab -v $VERSION -k $krel >>/tmp/real.log 2>&1;
	rc=\$?; cat /tmp/real.log; exit \$rc" >"$dir/real.log" 2>&1
rc=$?
real_rc=$rc
before=$(in_overlay bash scripts/installed-state.sh)
check "a real install in the root (make install, dkms add, build, install) for the check below" \
	'[ $rc = 0 ] && grep -q "/updates/dkms/vmlab.ko" <<<"$before" && grep -q "usr/src/vmlab-$VERSION/dkms.conf" <<<"$before"'
[ $rc = 0 ] || tail -n 15 "$dir/real.log" | sed 's/^/# /'
# What make check does that could reach an install: its DKMS step and an
# install into a DESTDIR.
in_overlay sh -c "mkdir -p /tmp/d/src && cp -r Kbuild dkms.conf module include /tmp/d/src/ &&
	mv /tmp/d/src /tmp/d/vmlab-$VERSION && bash scripts/dkms-private.sh /tmp/d $krel /tmp/d/trees &&
	make -s install DESTDIR=/tmp/dest" >"$dir/again.log" 2>&1
printf '%s\n' "$before" >"$dir/src/installed.before"
if [ $real_rc = 0 ]; then
	check "make check's DKMS step and make install DESTDIR= leave the installed vmlab untouched" \
		'in_overlay bash scripts/installed-state.sh --compare installed.before >"$dir/untouched.tap"'
	sed -n 's/^# /# /p' "$dir/untouched.tap"
else
	n=$((n + 1))
	echo "ok - install: make check leaves an installed vmlab untouched # SKIP no real install to compare (it failed above)"
fi
echo "1..$n"
[ $failed = 0 ]
