#!/bin/bash
# make demo [CHAPTER=…] [ARCH=arm64]: build, boot the VM on the first
# kernel of this machine's release (of the arm64 lanes with ARCH=arm64;
# DEMO_KERNEL names another), load the module and run the tour. Pauses
# only in a terminal.
# Else the tour's output comes through the VM's vmlab.tap port, and with
# the pictures the VM drew it makes build/demo/index.html (demo-page.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kver=$(demo_kernel)
chapter=${1:-}
dir=$BUILD/demo
mkdir -p "$dir"

guest_tools "$kver"
build_module "$kver" || { cat "$BUILD/kmod/$kver/build.log"; exit 1; }
make_initramfs "$kver" "$TOP/scripts/vm-demo.sh" "$dir/initrd.cpio"

# A 1 GiB page for chapter 72, reserved at boot. It needs a free, aligned
# GiB: with 4G QEMU puts 3 GiB below 4 GiB (the initramfs lies in the
# second GiB, ACPI at the end of the third) and the fourth at 4-5 GiB.
export VMLAB_VM_MEM=${VMLAB_VM_MEM:-4G}
append="VMLAB_CHAPTER=$chapter hugepagesz=1G hugepages=1"
if [ -t 0 ] && [ -t 1 ]; then
	exec bash "$TOP/scripts/vm-run.sh" -i -a "$append VMLAB_PAUSE=1" "$kver" "$dir/initrd.cpio" "$dir/console.log"
fi
out=$dir/tour.out
: >"$out"
bash "$TOP/scripts/vm-run.sh" -a "$append" -t "$out" "$kver" "$dir/initrd.cpio" "$dir/console.log" &
vm=$!
# The tour as it runs, without the pictures' base64.
tail -n +1 -f --pid=$vm "$out" | sed -u '/^VMLAB-FILE /,/^VMLAB-FILE-END/d; /^VMLAB-SUITE-RC/d'
rc=0
wait $vm || rc=$?
bash "$TOP/scripts/demo-page.sh" "$out" "$dir" "$kver"
exit $rc
