#!/bin/sh
# The test suite inside the VM: every selftest, each as TAP. Names in
# $VMLAB_TESTS (space separated, from the kernel command line) narrow it.
cd /tmp || exit 1
for t in /opt/vmlab/bin/*_test /opt/vmlab/bin/*_test.sh; do
	[ -x "$t" ] || continue
	name=${t##*/}
	if [ -n "$VMLAB_TESTS" ]; then
		case " $VMLAB_TESTS " in *" ${name%.sh} "*) ;; *) continue ;; esac
	fi
	echo "# selftest: $name"
	"$t" 2>&1
	echo "# selftest-exit: $name $?"
done
