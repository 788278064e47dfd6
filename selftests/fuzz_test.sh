#!/bin/sh
# Fuzz /dev/vmlab with at least a million operations (vmlabfuzz), then prove
# the module gave back everything (debugfs stats as at the start) and still
# unloads and reloads. Splats and hung tasks are caught by the VM runner.
# VMLAB_FUZZ_OPS, VMLAB_FUZZ_SECONDS, VMLAB_FUZZ_THREADS and VMLAB_FUZZ_SEED
# (kernel command line) override the defaults.
ops=${VMLAB_FUZZ_OPS:-1000000}
secs=${VMLAB_FUZZ_SECONDS:-600}
threads=${VMLAB_FUZZ_THREADS:-4}
seed=${VMLAB_FUZZ_SEED:-$(date +%s)}
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. "$(dirname "$0")/vm_util.sh"

echo "TAP version 13"
echo "1..5"
before=$(cat $stats)
if [ -n "$before" ]; then ok "debugfs stats readable"; else nok "debugfs stats readable ($stats)"; fi

start=$(date +%s)
vmlabfuzz --seed "$seed" --ops "$ops" --duration "$secs" --threads "$threads" >/tmp/fuzz.out 2>/tmp/fuzz.err
rc=$?
took=$(($(date +%s) - start))
sed 's/^/# /' /tmp/fuzz.err /tmp/fuzz.out
done_ops=$(awk '$1 == "run" && $2 == "ops" { print $3 }' /tmp/fuzz.out)
if [ $rc -eq 0 ] && [ "${done_ops:-0}" -ge "$ops" ]; then
	ok "fuzzer: $done_ops operations in ${took}s, seed $seed, exit 0"
else
	nok "fuzzer: ${done_ops:-0} of $ops operations in ${took}s, seed $seed, exit $rc"
fi

after=$(stats_settle "$before")
oneline() { echo "$1" | tr '\n' ' '; }
if [ "$after" = "$before" ]; then
	ok "module accounting back to start: $(oneline "$after")"
else
	nok "module accounting: before '$(oneline "$before")', after '$(oneline "$after")'"
fi

if rmmod vmlab; then ok "rmmod after fuzzing"; else nok "rmmod after fuzzing"; fi
if insmod /vmlab.ko && [ -c /dev/vmlab ]; then ok "insmod /vmlab.ko reloads"; else nok "insmod /vmlab.ko reloads"; fi
[ "$failed" -eq 0 ]
