#!/bin/sh
# title: The device: what the loaded module offers
# concepts: -
# key-fact: ^2\.[0-9]+ +shm,pt,ctr,threads
echo "vmlab.ko is loaded in this VM's kernel ($(uname -r)); it made the"
echo "character device /dev/vmlab. Tools talk to it with ioctl and mmap."
echo
ls -l /dev/vmlab
echo
echo "The module reports its ABI version and the features it has:"
echo "\$ vmlabctl info"
vmlabctl info
