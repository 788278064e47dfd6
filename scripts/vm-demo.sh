#!/bin/sh
# The tour inside the VM: every chapter in order, or those matching
# $VMLAB_CHAPTER (a number or part of a name). Pauses between steps only
# when $VMLAB_PAUSE is 1 (the host saw a terminal).
pause() {
	[ "$VMLAB_PAUSE" = 1 ] || return 0
	printf '\n-- press Enter --'
	read -r _ </dev/console
}
cd /tmp || exit 1
found=0
for ch in /opt/vmlab/bin/[0-9][0-9]-*.sh; do
	name=${ch##*/}
	name=${name%.sh}
	case "$name" in *"$VMLAB_CHAPTER"*) ;; *) continue ;; esac
	found=1
	title=$(sed -n 's/^# title: //p' "$ch")
	echo
	echo "=== ${name%%-*}. $title"
	echo
	. "$ch"
	pause
done
[ $found = 1 ] || echo "no chapter matches '$VMLAB_CHAPTER'"
