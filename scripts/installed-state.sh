#!/bin/bash
# What a README install of vmlab put on this machine, as "HASH PATH" lines
# (or "dir PATH"): the DKMS source and tree, the built modules, the tools,
# man pages and udev rule. make check takes it before and after its steps
# and checks that nothing of it changed: tests never touch the machine.
#
# usage: installed-state.sh [--compare BEFORE]
#   --compare BEFORE  print TAP: one test, the state now equals BEFORE's
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
before=""
case ${1:-} in
--compare) before=${2:?usage: installed-state.sh [--compare BEFORE]} ;;
"") ;;
*) echo "usage: installed-state.sh [--compare BEFORE]" >&2; exit 2 ;;
esac

state() {
	local tools=() p
	for p in "$TOP"/tools/*/; do
		p=${p%/}
		p=${p##*/}
		[ "$p" = lib ] || tools+=("usr/local/bin/$p" "usr/local/share/man/man1/$p.1")
	done
	(
		cd / || exit 1
		for p in usr/src/vmlab-* var/lib/dkms/vmlab lib/modules/*/updates/dkms/vmlab.ko* \
			usr/lib/udev/rules.d/60-vmlab.rules usr/local/share/man/man4/vmlab.4 \
			"${tools[@]}"; do
			[ -e "$p" ] || [ -L "$p" ] || continue
			find "$p" \( -type f -exec sha256sum {} + \) -o \( ! -type f -printf 'entry %p\n' \)
		done 2>/dev/null | sort -k2
	)
}

if [ -z "$before" ]; then
	state
	exit 0
fi
now=$(state)
if [ "$now" = "$(cat "$before")" ]; then
	echo "ok - untouched: the installed vmlab ($(wc -l <"$before") files and folders) is as it was before the check"
	echo "1..1"
else
	echo "not ok - untouched: make check changed the installed vmlab"
	diff <(cat "$before") <(echo "$now") | head -n 30 | sed 's/^/# /'
	echo "1..1"
	exit 1
fi
