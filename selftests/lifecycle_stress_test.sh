#!/bin/sh
# Module lifecycle under stress: 1,000 unload/reload cycles with the device
# used in each (two opens, a region mapped twice, a counter counted to 100);
# unload refused while a file is open or a region is mapped with no file
# open, and allowed once they are gone; processes killed mid-ioctl,
# mid-fault and while blocked on a counter's mutex leave nothing behind.
# VMLAB_LIFECYCLE_CYCLES (kernel command line) overrides the cycle count.
cycles=${VMLAB_LIFECYCLE_CYCLES:-1000}
. "$(dirname "$0")/vm_util.sh"
loaded() { grep -q '^vmlab ' /proc/modules && [ -c /dev/vmlab ]; }

echo "TAP version 13"
echo "1..8"
before=$(cat $stats 2>/dev/null)
if [ -n "$before" ]; then ok "debugfs stats readable"; else nok "debugfs stats readable"; fi

start=$(date +%s)
if out=$(vmlabfuzz --scenario reload --module /vmlab.ko --ops "$cycles" 2>&1); then
	ok "$out ($(($(date +%s) - start))s)"
else
	nok "load/unload cycles: $out"
	loaded || insmod /vmlab.ko
fi

exec 3</dev/vmlab
msg=$(rmmod vmlab 2>&1)
rc=$?
exec 3<&-
if [ $rc -ne 0 ] && loaded; then
	ok "unload refused while a file is open (${msg##*: })"
else
	nok "unload while a file is open: rc $rc, loaded: $(loaded && echo yes || echo no)"
	loaded || insmod /vmlab.ko
fi

vmlabfuzz --scenario hold >/tmp/hold.out 2>&1 &
holder=$!
tries=0
while ! grep -q holding /tmp/hold.out && [ $tries -lt 100 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
msg=$(rmmod vmlab 2>&1)
rc=$?
if grep -q holding /tmp/hold.out && [ $rc -ne 0 ] && loaded; then
	ok "unload refused while a region is mapped and no file is open (${msg##*: })"
else
	nok "unload while mapped: holder said '$(cat /tmp/hold.out)', rmmod rc $rc"
fi
kill $holder
wait $holder 2>/dev/null
if loaded && rmmod vmlab && insmod /vmlab.ko; then
	ok "unload and reload once the mapping is gone"
else
	nok "unload and reload once the mapping is gone"
	loaded || insmod /vmlab.ko
fi

before=$(cat $stats)
if out=$(vmlabfuzz --scenario exit --ops 20 --seed 1); then
	ok "$out"
else
	nok "kill scenario: $out"
fi
after=$(stats_settle "$before")
if [ "$after" = "$before" ]; then
	ok "nothing left behind by the killed processes: $(echo $after)"
else
	nok "left behind: before '$(echo $before)', after '$(echo $after)'"
fi
if rmmod vmlab && insmod /vmlab.ko; then ok "unload and reload at the end"; else nok "unload and reload at the end"; loaded || insmod /vmlab.ko; fi
[ $failed -eq 0 ]
