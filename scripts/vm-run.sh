#!/bin/bash
# Boot one kernel in QEMU with an initramfs, run a suite, judge the run.
#
# usage: vm-run.sh [-i] [-a APPEND] [-t TAP] KVER INITRD LOG
#   -i         interactive: console on this terminal, no verdict
#   -a APPEND  extra kernel command line
#   -t TAP     the suite's output (TAP) into the file TAP, through a
#              virtio-serial port of its own, apart from the console
# $KERNEL_ARGS is appended too (e.g. no5lvl for 4-level paging),
# $VMLAB_VM_ACCEL replaces "tcg" (a vCPU thread each) as the accelerator,
# $VMLAB_VM_MEM the memory size (default 1G), and $VMLAB_VM_CPU the CPU
# model (default max). An arm64 kernel (KVER ending in -arm64 or
# -arm64-16k) boots in qemu-system-aarch64 -M virt.
#
# The guest's output goes to LOG; its user-space part is printed. The run
# fails (exit 1) on any kernel splat, a tainting warning, a hang or timeout,
# or a power-off before the suite finished. A boot that dies before the
# module is loaded is retried once (a rare TCG code-patching panic) and said;
# so is one that does not reach /init within $VMLAB_BOOT_TIMEOUT seconds
# (default 300; a boot takes 5 to 20): a kernel that hung while booting,
# silently under quiet, seen once on 7.3 under TCG.
set -uo pipefail

CACHE=${VMLAB_CACHE:-$HOME/.cache/vmlab}
TIMEOUT=${VMLAB_VM_TIMEOUT:-1800}
BOOT_TIMEOUT=${VMLAB_BOOT_TIMEOUT:-300}
SPLAT='BUG:|WARNING:|Oops|general protection|KASAN:|UBSAN:|possible circular locking|possible recursive locking|inconsistent lock state|INFO: possible|INFO: task .* blocked|Call Trace:|soft lockup|hard LOCKUP|Kernel panic|detected stall|kmemleak: [0-9]+ new suspected|unreferenced object|list_add corruption|list_del corruption|refcount_t:|scheduling while atomic|sleeping function called'
# Taint bits that a warning, oops, lockup or bad page leaves: B D L W.
TAINT_MASK=$(((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))

interactive=0 append="" tap=""
while getopts ia:t: opt; do
	case $opt in
	i) interactive=1 ;;
	a) append=$OPTARG ;;
	t) tap=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 3 ] || { echo "usage: vm-run.sh [-i] [-a APPEND] [-t TAP] KVER INITRD LOG" >&2; exit 2; }
kver=$1 initrd=$2 log=$3
kernel=${VMLAB_KERNEL_IMAGE:-$CACHE/kernels/$kver/vmlinuz}
[ -r "$kernel" ] || { echo "vm-run: no kernel image $kernel (run make deps)" >&2; exit 2; }

# The guest learns its CPU model as VMLAB_CPU (arm64_bits_test). Max is
# booted without pointer authentication, which vmlab does not look at:
# QEMU emulates it at nearly every kernel function's return, a quarter of
# the time of a test that is mostly system calls (docs/design.md#time).
cpu=${VMLAB_VM_CPU:-max}
case $kver in
*-arm64 | *-arm64-16k)
	machine=(qemu-system-aarch64 -M virt) console=ttyAMA0 guest="VMLAB_CPU=$cpu"
	[ "$cpu" = max ] && cpu=max,pauth=off
	;;
*) machine=(qemu-system-x86_64) console=ttyS0 guest="" ;;
esac
# No NIC (no iPXE ROM to run at boot); expedited RCU grace periods (on
# PREEMPT_RT too, which turns them off after boot), since module unload
# waits for several and a normal one takes tens of milliseconds under TCG.
qemu=("${machine[@]}" -accel "${VMLAB_VM_ACCEL:-tcg}" -cpu "$cpu" -m "${VMLAB_VM_MEM:-1G}" -smp 2 -nic none -nographic -no-reboot
	-kernel "$kernel" -initrd "$initrd"
	-append "console=$console $guest quiet panic=-1 rcupdate.rcu_expedited=1 rcupdate.rcu_normal_after_boot=0 ${tap:+vmlab.tap=1} $append ${KERNEL_ARGS:-}")
# Single-threaded TCG runs the two vCPUs in turn: the guest may know it.
case ${VMLAB_VM_ACCEL:-} in *thread=single*) qemu[-1]+=" VMLAB_VCPUS_IN_TURN=1" ;; esac
if [ -n "$tap" ]; then
	qemu+=(-device virtio-serial-pci -chardev "file,id=tap,path=$tap"
		-device "virtserialport,chardev=tap,name=vmlab.tap")
fi

if [ $interactive = 1 ]; then
	exec "${qemu[@]}"
fi

# Boot once; the console goes to $log, and the seconds from QEMU's start to
# the start of the suite to $log.boot. A splat the kernel prints on the console
# (errors and worse: a lockup, a stall, an oops) stops the VM after a grace
# period for the rest of the report: a hung guest fails in seconds, not at
# the timeout.
boot() {
	local t0=$EPOCHREALTIME line stopping=0 watchdog
	rm -f "$log.boot" "$log.pid" "$log.booted"
	# Away from the pipes, so that nothing waits for it.
	(sleep "$BOOT_TIMEOUT" && [ ! -e "$log.booted" ] && kill "$(cat "$log.pid")") >/dev/null 2>&1 &
	watchdog=$!
	{
		timeout --foreground -k 5 "$TIMEOUT" "${qemu[@]}" -pidfile "$log.pid" </dev/null 2>&1
		echo $? >"$log.rc"
	} | {
		exec 9>"$log"
		while IFS= read -r line; do
			line=${line//$'\r'/}
			printf '%s\n' "$line" >&9
			[[ $line == *VMLAB-BOOTED* ]] && : >"$log.booted"
			if [ ! -e "$log.boot" ] && [[ $line == VMLAB-SUITE-START* ]]; then
				echo "$EPOCHREALTIME - $t0" | bc >"$log.boot"
			fi
			if [ $stopping = 0 ] && [[ $line =~ ^\[\ *[0-9]+\.[0-9]+\]\ .*($SPLAT) ]]; then
				stopping=1
				(sleep 10 && kill "$(cat "$log.pid")") >/dev/null 2>&1 &
			fi
		done
	}
	kill "$watchdog" 2>/dev/null
	rm -f "$log.pid" "$log.booted"
}

fail=0
boot
if ! grep -q '^VMLAB-MODULE-' "$log"; then
	echo "# $kver: the VM died or hung (${BOOT_TIMEOUT}s without /init) before loading the module; retrying once (boot failure, not a module failure)"
	sed 's/^/# boot log: /' "$log" | tail -n 15
	boot
fi

# What the suite printed, when it printed on the console.
[ -n "$tap" ] || sed -n '/VMLAB-BOOTED/,/^VMLAB-DMESG-BEGIN/p' "$log" | grep -v 'VMLAB-'
grep -q '^VMLAB-NO-TAP-PORT' "$log" && { echo "# $kver: FAIL: the guest found no virtio-serial port vmlab.tap"; fail=1; }
grep '^VMLAB-GUEST-MODULE-FAILED' "$log" | sed "s/^/# $kver: FAIL: /" | grep . && fail=1

if ! grep -q '^VMLAB-DONE' "$log"; then
	if [ "$(cat "$log.rc")" = 124 ]; then
		echo "# $kver: FAIL: the VM timed out after ${TIMEOUT}s"
	else
		echo "# $kver: FAIL: the VM stopped before the suite finished"
	fi
	tail -n 40 "$log" | sed 's/^/# console: /'
	fail=1
	kernel_text=$(cat "$log")
else
	kernel_text=$(sed -n '/^VMLAB-DMESG-BEGIN/,/^VMLAB-DMESG-END/p; /^VMLAB-DONE/,$p' "$log")
fi
grep -q '^VMLAB-MODULE-LOADED' "$log" || { echo "# $kver: FAIL: insmod vmlab.ko failed"; fail=1; }

splats=$(grep -E "$SPLAT" <<<"$kernel_text")
if [ -n "$splats" ]; then
	echo "# $kver: FAIL: kernel splat:"
	grep -E -B 2 -A 12 "$SPLAT" <<<"$kernel_text" | head -n 60 | sed 's/^/# splat: /'
	fail=1
fi
tainted=$(sed -n 's/^VMLAB-TAINTED //p' "$log")
if [ -n "$tainted" ] && [ $((tainted & TAINT_MASK)) -ne 0 ]; then
	echo "# $kver: FAIL: kernel tainted by a warning or oops (taint=$tainted)"
	fail=1
fi
exit $fail
