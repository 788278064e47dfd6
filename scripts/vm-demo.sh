#!/bin/sh
# /suite.sh of make demo: the tour's own runner (scripts/demo/tour.sh),
# every chapter or those matching $VMLAB_CHAPTER; demo_test runs the same.
# Then, but for an interactive tour, the pictures of the chapters that ran,
# drawn by the tools from live processes, each sent as
# "VMLAB-FILE NAME COMMAND", its base64 lines, "VMLAB-FILE-END": make demo
# keeps them beside build/demo/index.html.
sh /opt/vmlab/bin/tour.sh "${VMLAB_CHAPTER:-}"
rc=$?
[ "${VMLAB_PAUSE:-}" = 1 ] && exit $rc
dir=/tmp/pictures
mkdir -p $dir
# picture CHAPTER-NAME COMMAND...: run COMMAND (which writes $dir/CHAPTER-NAME.svg).
picture() {
	name=$1
	shift
	case $name in *"${VMLAB_CHAPTER:-}"*) ;; *) return 0 ;; esac
	if "$@" >/dev/null 2>$dir/err && [ -s "$dir/$name.svg" ]; then
		echo "VMLAB-FILE $name.svg $*"
		base64 "$dir/$name.svg"
		echo "VMLAB-FILE-END"
	else
		echo "VMLAB-PICTURE-FAILED $name: $(head -n 1 $dir/err)"
	fi
}
picture 50-address-space ptdump --svg $dir/50-address-space.svg -w 1s -- pagetouch -s 8M write:all sleep:3
picture 60-page-table-size ptdump --tree --svg $dir/60-page-table-size.svg -w 2s -- pagetouch -s 64M write:all sleep:4
picture 85-clock-wss wss -w hotcold -c 2 --step 32 --spread 16 -s 1M -n 24 -i 50ms --svg $dir/85-clock-wss.svg
if [ -r /sys/kernel/btf/vmlinux ]; then
	picture 15-thread-states threadtrace -q --svg $dir/15-thread-states.svg -- wss -n 3 -i 20ms
fi
exit $rc
