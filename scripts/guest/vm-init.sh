#!/bin/busybox sh
# shellcheck shell=sh
# /init of the vmlab test VM: mount, load the module, run /suite.sh, power off.
# The suite's output goes to the virtio-serial port named vmlab.tap when the
# host gave the VM one (make check: TAP apart from the kernel's console, so
# a printk cannot break a TAP line), else to the console.
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
# Graphviz's plugins, registered here when the initramfs has none listed
# (an arm64 one: the x86-64 host that made it cannot run its dot).
for d in /usr/lib/*-linux-gnu/graphviz; do
	[ -d "$d" ] && [ ! -e "$d/config6a" ] && { dot -c || echo "VMLAB-DOT-CONFIG-FAILED"; }
done

# The virtio console, where the kernel has it as modules (5.10, 6.1).
[ -r /modules/load.order ] && while read -r m; do
	insmod "/modules/$m" || echo "VMLAB-GUEST-MODULE-FAILED $m"
done </modules/load.order

# tap_port: the device of the port named vmlab.tap, once it has appeared.
tap_port() {
	tries=0
	while [ $tries -lt 50 ]; do
		for p in /sys/class/virtio-ports/*; do
			[ "$(cat "$p/name" 2>/dev/null)" = vmlab.tap ] && [ -c "/dev/${p##*/}" ] &&
				echo "/dev/${p##*/}" && return 0
		done
		grep -q 'vmlab.tap=1' /proc/cmdline || return 1
		sleep 0.1
		tries=$((tries + 1))
	done
	return 1
}
out=/dev/console
if port=$(tap_port); then
	out=$port
elif grep -q 'vmlab.tap=1' /proc/cmdline; then
	echo "VMLAB-NO-TAP-PORT"
fi

if insmod /vmlab.ko; then
	echo VMLAB-MODULE-LOADED
else
	echo VMLAB-MODULE-FAILED
fi
echo VMLAB-SUITE-START
sh /suite.sh >"$out" 2>&1
rc=$?
echo "VMLAB-SUITE-RC $rc" >"$out"
echo "VMLAB-SUITE-RC $rc"
echo "VMLAB-TAINTED $(cat /proc/sys/kernel/tainted)"
echo VMLAB-DMESG-BEGIN
dmesg
echo VMLAB-DMESG-END
echo VMLAB-DONE
poweroff -f
