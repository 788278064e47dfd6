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
# cell COLUMN: the value under that header
cell() { echo "$info" | awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i } NR == 2 && h[c] { print $h[c] }'; }
abi=$(cell ABI) features=$(cell FEATURES)
echo
fact "/dev/vmlab is a character device" [ -c /dev/vmlab ]
offers() { echo "$features" | tr , '\n' | grep -qx "$1"; }
for f in shm pt ctr threads; do
	fact "ABI $abi offers '$f', which the tour uses" offers $f
done
