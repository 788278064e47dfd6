#!/bin/sh
# Module unload and reload, and unload refused while the device is in use.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

echo "TAP version 13"
echo "1..7"
check "device node exists while loaded" '[ -c /dev/vmlab ]'
exec 3</dev/vmlab
check "unload refused while a file is open" '! rmmod vmlab 2>/dev/null'
exec 3<&-
check "unload once closed" 'rmmod vmlab'
check "device node gone after unload" '[ ! -e /dev/vmlab ]'
check "reload" 'insmod /vmlab.ko'
cycles=0
while [ $cycles -lt 50 ] && rmmod vmlab && insmod /vmlab.ko; do
	vmlabctl info >/dev/null || break
	cycles=$((cycles + 1))
done
check "50 unload/reload cycles with the device used between" '[ $cycles -eq 50 ]'
check "device answers after reload" 'vmlabctl info >/dev/null'
[ "$failed" -eq 0 ]
