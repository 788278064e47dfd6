#!/bin/sh
# Every chapter of the tour runs and shows the fact it teaches: its output
# matches the chapter's "# key-fact:" pattern.
chapters=$(ls /opt/vmlab/bin/[0-9][0-9]-*.sh)
echo "TAP version 13"
echo "1..$(echo "$chapters" | wc -l)"
n=0 failed=0
for ch in $chapters; do
	n=$((n + 1))
	name=${ch##*/}
	fact=$(sed -n 's/^# key-fact: //p' "$ch")
	# A chapter that traces with BPF CO-RE needs the kernel's BTF.
	if grep -q '^# needs: btf' "$ch" && [ ! -r /sys/kernel/btf/vmlinux ]; then
		echo "ok $n demo ${name%.sh} # SKIP this kernel has no BTF for BPF CO-RE"
		continue
	fi
	# As the tour runs them: sourced, with a pause that does not wait, and
	# DEMO_QUICK for the shortest measurements that still show the fact.
	t0=$(cut -d' ' -f1 /proc/uptime)
	out=$(cd /tmp && pause() { :; } && DEMO_QUICK=1 && . "$ch" 2>&1)
	rc=$?
	secs=$(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime)
	if [ $rc = 0 ] && [ -n "$fact" ] && echo "$out" | grep -Eq "$fact"; then
		echo "ok $n demo ${name%.sh} (${secs} s)"
	else
		failed=$((failed + 1))
		echo "not ok $n demo ${name%.sh} (exit $rc; key fact /$fact/ not seen)"
		echo "$out" | tail -n 15 | sed 's/^/# /'
	fi
done
[ $failed = 0 ]
