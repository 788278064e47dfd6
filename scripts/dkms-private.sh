#!/bin/bash
# dkms add and build of vmlab in private trees: never the system's
# /var/lib/dkms, /usr/src or /lib/modules, which a real install of vmlab
# (the README's) uses. make check's DKMS step and its real-machine check
# both build through here.
#
# usage: dkms-private.sh SOURCE-TREE KREL TREES [KDIR]
#   SOURCE-TREE  holds vmlab-VERSION/ (an installed /usr/src, or a copy)
#   TREES        a folder for DKMS's own tree and install tree
#   KDIR         the kernel's headers (/usr/src/linux-headers-KREL); a
#                cross build takes ARCH and CROSS_COMPILE from the
#                environment, as make does
set -uo pipefail
src=${1:?usage: dkms-private.sh SOURCE-TREE KREL TREES [KDIR]} krel=${2:?} trees=${3:?}
kdir=${4:-/usr/src/linux-headers-$krel}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src"/vmlab-*/dkms.conf | head -n 1)
rm -rf "$trees/dkms" "$trees/install" && mkdir -p "$trees/dkms" "$trees/install"
opts=(--dkmstree "$trees/dkms" --sourcetree "$src" --installtree "$trees/install")
# DKMS 2 (bullseye) "prepares" a kernel tree it is not sure of by running
# make mrproper in it: never, on headers that are not ours.
case $(dkms --version) in *-2.*) opts+=(--no-prepare-kernel) ;; esac
dkms "${opts[@]}" add -m vmlab -v "$ver" &&
	dkms "${opts[@]}" build -m vmlab -v "$ver" -k "$krel" --kernelsourcedir "$kdir" || {
	find "$trees/dkms" -name make.log -exec tail -n 15 {} \;
	exit 1
}
ls "$trees/dkms/vmlab/$ver/$krel"/*/module/vmlab.ko* >/dev/null
