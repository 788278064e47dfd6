#!/bin/sh
# Sourced by chapter 66 and selftests/quiz_test.sh: the right answer to a
# vmquiz question, worked out from ptdump --explain and /proc/PID/maps (the
# same page tables, read by another tool). Needs $pid.
quiz_page=$(vmlabctl info -J | sed -n 's/.*"page": *\([0-9]*\).*/\1/p')
# quiz_answer TYPE VA LINE: the right answer to one question, from ptdump
quiz_answer() {
	ex=$(ptdump --explain "${2#0x}" "${pid:?}")
	leaf=$(echo "$ex" | grep 'leaf: ')
	has() { echo "$leaf" | sed 's/.*flags //' | tr ' ' '\n' | grep -qx "$1"; }
	perms=$(echo "$3" | sed -n 's/.*, \([-r][-w][-x][ps])\).*/\1/p')
	case $1 in
	split)
		echo "$ex" | awk '/would read it as/ { exit } / index / { printf "%s ", $NF } /^  offset/ { print $NF; exit }' ;;
	level)
		case $leaf in *"leaf: 4K"*) echo PTE ;; *"leaf: 2M"*) echo PMD ;; *"leaf: 1G"*) echo PUD ;; *) echo none ;; esac ;;
	read)
		if has P; then echo no; else echo yes; fi ;;
	write)
		if has P && has W; then echo no; else echo yes; fi ;;
	newframe)
		case $perms in
		?-*) echo segv ;;
		???s) echo no ;;
		*) if has zero || ! has W; then echo yes; else echo no; fi ;;
		esac ;;
	fork)
		case $perms in ???s) if has W; then echo yes; else echo no; fi ;; *) echo no ;; esac ;;
	clock)
		evict=""
		for i in $(echo "$3" | sed -n 's/.*pages \([0-9,]*\) are resident.*/\1/p' | tr , ' '); do
			ex=$(ptdump --explain "$(printf '%x' $(($2 + i * ${quiz_page:?vmlabctl info gave no page size})))" "$pid")
			leaf=$(echo "$ex" | grep 'leaf: ')
			has A || evict="$evict $i"
		done
		echo "${evict# }" | sed 's/^$/none/' ;;
	esac
}
