#!/bin/sh
# Benchmarks inside the VM: every /opt/vmlab/bin/vm-*.sh, each printing a
# Markdown section.
cd /tmp || exit 1
for b in /opt/vmlab/bin/vm-*.sh; do
	[ -x "$b" ] || continue
	echo "<!-- bench: ${b##*/} -->"
	sh "$b" 2>&1
	echo
done
