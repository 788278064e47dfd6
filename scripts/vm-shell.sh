#!/bin/bash
# make vm-shell [ARCH=arm64]: the test VM on make demo's kernel, module
# loaded, tools and selftests on PATH, interactive.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kver=$(demo_kernel)
dir=$BUILD/shell
mkdir -p "$dir"
guest_tools "$kver"
build_module "$kver" || { cat "$BUILD/kmod/$kver/build.log"; exit 1; }
printf '%s\n' 'echo "vmlab VM: $(uname -r); tools in /opt/vmlab/bin; exit powers off"' \
	'setsid cttyhack sh -l' >"$dir/suite.sh"
make_initramfs "$kver" "$dir/suite.sh" "$dir/initrd.cpio"
exec bash "$TOP/scripts/vm-run.sh" -i "$kver" "$dir/initrd.cpio" "$dir/console.log"
