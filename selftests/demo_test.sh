#!/bin/sh
# The tour as make demo runs it (tour.sh, every chapter), judged chapter by
# chapter: a chapter passes when it exits 0 and prints at least one verdict
# line ("fact: ...: yes/NO") and none of them is NO. Its verdicts and its
# end line (exit status, counts, seconds) are printed as TAP comments.
# $VMLAB_CHAPTER (words, from the kernel command line:
# KERNEL_ARGS='VMLAB_CHAPTER="48 65"') narrows it as it does make demo.
bin=/opt/vmlab/bin
log=/tmp/demo_test.log
DEMO_QUICK=1 sh "$bin/tour.sh" "${VMLAB_CHAPTER:-}" >"$log" 2>&1 </dev/null
chapters=$(ls "$bin"/[0-9][0-9]-*.sh)
# The chapters the tour ran (all of them, unless narrowed).
if [ -n "${VMLAB_CHAPTER:-}" ]; then
	chapters=$(for ch in $chapters; do
		name=${ch##*/}
		grep -q "^=== ${name%%-*}\. " "$log" && echo "$ch"
	done)
fi
echo "TAP version 13"
echo "1..$(echo "$chapters" | wc -l)"
n=0 failed=0
for ch in $chapters; do
	n=$((n + 1))
	name=${ch##*/}
	name=${name%.sh}
	num=${name%%-*}
	part=$(sed -n "/^=== $num\. /,/^=== end $num: /p" "$log")
	end=$(echo "$part" | sed -n "s/^=== end $num: //p")
	facts=$(echo "$part" | grep '^fact: ')
	case "$end" in
	skipped:*)
		echo "ok $n demo $name # SKIP ${end#skipped: }"
		continue
		;;
	esac
	echo "$facts" | sed 's/^/# /'
	[ -n "$end" ] && echo "# $name: $end"
	if [ -z "$end" ]; then
		verdict="the chapter did not end"
	elif [ "${end%%,*}" != "exit 0" ]; then
		verdict="${end%%,*}"
	elif [ -z "$facts" ]; then
		verdict="no verdict line"
	elif echo "$facts" | grep -q ': NO$'; then
		verdict="$(echo "$facts" | grep -c ': NO$') verdicts NO"
	else
		echo "ok $n demo $name"
		continue
	fi
	failed=$((failed + 1))
	echo "not ok $n demo $name ($verdict)"
	echo "$part" | tail -n 25 | sed 's/^/#   /'
done
[ $failed = 0 ]
