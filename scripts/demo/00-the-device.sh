#!/bin/sh
# title: The device: what the loaded module offers
# concepts: -
echo "vmlab.ko is loaded in this VM's kernel ($(uname -r)); it made the"
echo "character device /dev/vmlab. Tools talk to it with ioctl and mmap."
echo
ls -l /dev/vmlab
echo
echo "The module reports its ABI version and the features it has:"
echo "\$ vmlabctl info"
info=$(vmlabctl info)
echo "$info"
abi=$(info_cell "$info" ABI) features=$(info_cell "$info" FEATURES)
echo
fact "/dev/vmlab is a character device" [ -c /dev/vmlab ]
offers() { echo "$features" | tr , '\n' | grep -qx "$1"; }
for f in shm pt ctr threads; do
	fact "ABI $abi offers '$f', which the tour uses" offers $f
done
