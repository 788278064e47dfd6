#!/bin/busybox sh
# /init of the vmlab test VM: mount, load the module, run /suite.sh, power off.
/bin/busybox --install -s /bin
export PATH=/opt/vmlab/bin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
chmod 1777 /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
# Report blocked tasks quickly: the run has a time limit of its own.
[ -w /proc/sys/kernel/hung_task_timeout_secs ] &&
	echo 10 >/proc/sys/kernel/hung_task_timeout_secs
echo "VMLAB-BOOTED $(uname -r)"

if insmod /vmlab.ko; then
	echo VMLAB-MODULE-LOADED
else
	echo VMLAB-MODULE-FAILED
fi
sh /suite.sh
echo "VMLAB-SUITE-RC $?"
echo "VMLAB-TAINTED $(cat /proc/sys/kernel/tainted)"
echo VMLAB-DMESG-BEGIN
dmesg
echo VMLAB-DMESG-END
echo VMLAB-DONE
poweroff -f
