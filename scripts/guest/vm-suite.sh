#!/bin/sh
# The test suite inside the VM: every selftest, each as TAP between
# "# selftest: NAME" and "# selftest-exit: NAME STATUS" (the host checks
# each one's plan, results and status, and that every expected test ran).
# Names in $VMLAB_TESTS (space separated, from the kernel command line)
# narrow it. Exits with the number of tests that exited non-zero.
cd /tmp || exit 1
bad=0
for t in /opt/vmlab/bin/*_test /opt/vmlab/bin/*_test.sh; do
	[ -x "$t" ] || continue
	name=${t##*/}
	if [ -n "$VMLAB_TESTS" ]; then
		case " $VMLAB_TESTS " in *" ${name%.sh} "* | *" $name "*) ;; *) continue ;; esac
	fi
	echo "# selftest: $name"
	t0=$(cut -d' ' -f1 /proc/uptime)
	"$t" 2>&1
	rc=$?
	[ $rc = 0 ] || bad=$((bad + 1))
	echo "# selftest-time: $name $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime) s"
	echo "# selftest-exit: $name $rc"
done
exit $bad
