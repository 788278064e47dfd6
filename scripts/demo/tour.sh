#!/bin/sh
# tour.sh [WORD...]: the tour, every chapter (NN-*.sh beside this script) in
# order, or those whose name contains one of the WORDs ($VMLAB_CHAPTER,
# space separated, by default).
# make demo runs it in the VM (scripts/vm-demo.sh), and so does demo_test:
# the test sees exactly what the student sees.
#
# Each chapter runs in a subshell of its own (an exit or a failure ends
# that chapter only) with these helpers:
#   pause            wait for Enter, only when $VMLAB_PAUSE is 1 (a terminal)
#   fact TEXT CMD..  run the test CMD and print "fact: TEXT: yes" or ": NO"
#   matches TEXT ERE, lacks TEXT ERE: whether a line of TEXT matches ERE
#   ask Q ANSWER     on a terminal, ask Q and compare the reply with ANSWER
#                    (the live value); elsewhere print nothing
#   info_cell TEXT COLUMN  the value under COLUMN in vmlabctl info's TEXT
#   arm64_bits RAW   the bits of an arm64 entry (RAW: a number) the chapters
#                    name: AF, DBM, RDONLY, SWDIRTY and UXN
# and the machine as the module reports it: $vm_arch (x86-64 or arm64),
# $vm_levels (paging levels), $vm_page (base page size in bytes) and
# $vm_va_bits (bits of a virtual address, as ptdump --explain says: x86-64
# 48 or 57, the user half one bit less; arm64 48 or 52, all the user
# half's), for the chapters whose bits and address layout are the
# architecture's. Each chapter ends with "=== end NN: exit RC, F facts,
# N NO (S s)" or "=== end NN: skipped: WHY".
bin=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then want=$*; else want=${VMLAB_CHAPTER:-}; fi
# wanted NAME: whether the chapter NAME is one the words ask for
wanted() {
	[ -n "$want" ] || return 0
	for w in $want; do
		case "$1" in *"$w"*) return 0 ;; esac
	done
	return 1
}

pause() {
	[ "${VMLAB_PAUSE:-}" = 1 ] || return 0
	printf '\n-- press Enter --'
	read -r _ </dev/console
}

fact() {
	fact_text=$1
	shift
	if "$@" 2>/dev/null; then
		echo "fact: $fact_text: yes"
	else
		echo "fact: $fact_text: NO"
	fi
}

matches() { printf '%s\n' "$1" | grep -Eq -- "$2"; }
lacks() { ! matches "$@"; }

ask() {
	[ "${VMLAB_PAUSE:-}" = 1 ] || return 0
	printf '\n?? %s ' "$1"
	read -r ask_reply </dev/console
	if [ "$ask_reply" = "$2" ]; then
		echo "right: $2"
	else
		echo "the system says: $2 (you said: ${ask_reply:-nothing})"
	fi
}

info_cell() {
	printf '%s\n' "$1" | awk -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i } NR == 2 && h[c] { print $h[c] }'
}
arm64_bits() {
	echo "AF=$(($1 >> 10 & 1)) DBM=$(($1 >> 51 & 1)) RDONLY=$(($1 >> 7 & 1)) SWDIRTY=$(($1 >> 55 & 1)) UXN=$(($1 >> 54 & 1))"
}
vm_info=$(vmlabctl info 2>/dev/null)
vm_arch=$(info_cell "$vm_info" ARCH) vm_levels=$(info_cell "$vm_info" LEVELS) vm_page=$(info_cell "$vm_info" PAGE)
case ${vm_arch:-$(uname -m)} in
arm64 | aarch64) vm_arch=arm64 ;;
*) vm_arch=x86-64 ;;
esac
vm_va_bits=$(ptdump --explain 0 2>/dev/null | sed -n 's/.* \([0-9]*\)-bit virtual addresses.*/\1/p' | head -n 1)
: "${vm_levels:=4}" "${vm_page:=4096}" "${vm_va_bits:=48}"
export vm_arch vm_levels vm_page vm_va_bits

gigantic=/sys/kernel/mm/hugepages/hugepages-1048576kB
# skip_reason NEEDS: why this kernel cannot run a chapter that needs NEEDS
# (its "# needs:" line), or nothing.
skip_reason() {
	case $1 in
	btf) [ -r /sys/kernel/btf/vmlinux ] || echo "this kernel has no BTF for BPF CO-RE" ;;
	schedstat) [ -r /proc/self/schedstat ] || echo "this kernel keeps no schedstat (CONFIG_SCHED_INFO)" ;;
	zram)
		[ -e /sys/class/zram-control ] || [ -s /modules/zram.order ] ||
			echo "this kernel has no zram, built in or as a module in the initramfs"
		;;
	gigantic)
		if [ ! -e "$gigantic" ]; then
			echo "this CPU or kernel has no 1 GiB pages (pdpe1gb)"
		elif [ "$(cat "$gigantic/nr_hugepages")" = 0 ]; then
			echo "no 1 GiB page reserved at boot (make demo reserves one: hugepagesz=1G hugepages=1)"
		fi
		;;
	esac
}

cd /tmp || exit 1
log=/tmp/tour-chapter.$$
found=0
for ch in "$bin"/[0-9][0-9]-*.sh; do
	name=${ch##*/}
	name=${name%.sh}
	wanted "$name" || continue
	found=1
	num=${name%%-*}
	echo
	echo "=== $num. $(sed -n 's/^# title: //p' "$ch")"
	echo
	why=$(skip_reason "$(sed -n 's/^# needs: //p' "$ch")")
	if [ -n "$why" ]; then
		echo "=== end $num: skipped: $why"
		continue
	fi
	t0=$(cut -d' ' -f1 /proc/uptime)
	# The exit status travels in a file: the pipe's status is tee's.
	( (. "$ch") 2>&1; echo $? >"$log.rc") | tee "$log"
	secs=$(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime)
	read -r rc <"$log.rc"
	counts=$(awk '/^fact: / { n++ } /^fact: .*: NO$/ { no++ } END { printf "%d facts, %d NO", n, no }' "$log")
	echo "=== end $num: exit $rc, $counts ($secs s)"
	pause
done
rm -f "$log" "$log.rc"
[ $found = 1 ] || echo "no chapter matches '$want'"
