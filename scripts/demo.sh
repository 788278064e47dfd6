#!/bin/bash
# make demo [CHAPTER=…]: build, boot the VM on the first kernel of the
# matrix, load the module and run the tour. Pauses only in a terminal.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kver=${DEMO_KERNEL:-${KERNELS%% *}}
chapter=${1:-}
dir=$BUILD/demo
mkdir -p "$dir"

make -s -C "$TOP/tools" && make -s -C "$TOP/selftests"
build_module "$kver" || { cat "$BUILD/kmod/$kver/build.log"; exit 1; }
make_initramfs "$kver" "$TOP/scripts/vm-demo.sh" "$dir/initrd.cpio"

append="VMLAB_CHAPTER=$chapter"
if [ -t 0 ] && [ -t 1 ]; then
	exec bash "$TOP/scripts/vm-run.sh" -i -a "$append VMLAB_PAUSE=1" "$kver" "$dir/initrd.cpio" "$dir/console.log"
fi
bash "$TOP/scripts/vm-run.sh" -a "$append" "$kver" "$dir/initrd.cpio" "$dir/console.log"
