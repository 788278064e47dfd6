#!/bin/sh
# The debug kernel's additions to the VM suite. check-debug.sh builds the
# debug VM's /suite.sh as: this file, "debug_prologue", vm-suite.sh,
# "debug_epilogue".

# The ring buffer of the boot and the module's load, printed on the console
# (a DMESG section the runner scans for splats, and check-debug.sh too,
# since quiet keeps most of it off the console), then cleared: the final
# dmesg holds the suite's run only.
debug_prologue() {
	{
		echo VMLAB-DMESG-BEGIN
		dmesg -c
		echo VMLAB-DMESG-END
	} >/dev/console
}

# After every selftest, two kmemleak scans (an object must look
# unreferenced in both, with a pause between), then its report as TAP:
# any leak fails the run.
debug_epilogue() {
	kml=/sys/kernel/debug/kmemleak
	echo "# selftest: kmemleak"
	echo "TAP version 13"
	echo "1..1"
	if [ ! -w $kml ]; then
		echo "not ok 1 kmemleak: $kml missing (kernel without DEBUG_KMEMLEAK?)"
		echo "# selftest-exit: kmemleak 1"
		bad=$((bad + 1))
		return
	fi
	echo scan >$kml
	sleep 5
	echo scan >$kml
	cat $kml >/tmp/kmemleak.txt
	leaks=$(grep -c 'unreferenced object' /tmp/kmemleak.txt)
	if [ "$leaks" -eq 0 ]; then
		echo "ok 1 kmemleak: 0 unreferenced objects after the suite"
		echo "# selftest-exit: kmemleak 0"
	else
		echo "not ok 1 kmemleak: $leaks unreferenced objects after the suite"
		sed 's/^/# /' /tmp/kmemleak.txt | head -n 120
		echo "# selftest-exit: kmemleak 1"
		bad=$((bad + 1))
	fi
}
