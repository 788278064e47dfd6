#!/bin/bash
# make bench: every benchmark, as same-run ratios against its baseline, into
# bench/report.md (and plots beside it). Host benchmarks are
# scripts/bench/host-*.sh, VM ones scripts/bench/vm-*.sh; each prints a
# Markdown section.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# 6.12 by default: the newest bookworm kernel, with PAGEMAP_SCAN (6.7+).
kver=$(lane_krel "${BENCH_KERNEL:-6.12}")
out=$TOP/bench
mkdir -p "$out" "$BUILD/bench"
report=$out/report.md

make -s -C "$TOP/tools" && make -s -C "$TOP/selftests" || exit 1
build_module "$kver" || { cat "$BUILD/kmod/$kver/build.log"; exit 1; }

{
	echo "# vmlab benchmark report"
	echo
	echo "Produced by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "Machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)),"
	echo "$(free -g | awk '/^Mem:/ { print $2 }') GiB; host kernel $(uname -r)."
	echo "VM benchmarks: QEMU TCG (\`-cpu max -smp 2 -m 1G\`, software emulation) booting $kver."
	echo "Every figure is min / median / max over repetitions in the same run; ratios"
	echo "compare medians measured side by side, never numbers from another run."
	echo
} >"$report"

for b in "$TOP"/scripts/bench/host-*.sh; do
	[ -e "$b" ] || continue
	echo "bench: ${b##*/}" >&2
	BENCH_OUT=$out bash "$b" >>"$report" 2>"$BUILD/bench/${b##*/}.log" ||
		echo "bench: ${b##*/} failed (see $BUILD/bench/${b##*/}.log)" >&2
	echo >>"$report"
done

echo "bench: VM ($kver)" >&2
# procps ps: the threads bench compares threadview with ps -T in the VM
EXTRA_BINS=/usr/bin/ps make_initramfs "$kver" "$TOP/scripts/guest/vm-bench.sh" "$BUILD/bench/initrd.cpio"
if VMLAB_VM_TIMEOUT=1200 bash "$TOP/scripts/vm-run.sh" "$kver" "$BUILD/bench/initrd.cpio" \
	"$BUILD/bench/console.log" >"$BUILD/bench/vm.md"; then
	grep -v '^# ' "$BUILD/bench/vm.md" >>"$report"
else
	echo "bench: the VM run failed (see $BUILD/bench/console.log)" >&2
fi

# VM boot: wall time from QEMU start to power-off of an empty suite.
echo ':' >"$BUILD/bench/empty.sh"
make_initramfs "$kver" "$BUILD/bench/empty.sh" "$BUILD/bench/empty.cpio"
times=()
for _ in 1 2 3 4 5; do
	s=$(date +%s.%N)
	bash "$TOP/scripts/vm-run.sh" "$kver" "$BUILD/bench/empty.cpio" "$BUILD/bench/empty.log" >/dev/null
	times+=("$(echo "$(date +%s.%N) - $s" | bc)")
done
read -r mn md mx < <(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f %.1f %.1f\n", a[1], a[int((NR + 1) / 2)], a[NR] }')
{
	echo "## VM boot and make check"
	echo
	echo "| what | min | median | max |"
	echo "|---|---|---|---|"
	echo "| boot, insmod, empty suite, power-off ($kver) | ${mn} s | ${md} s | ${mx} s |"
} >>"$report"
bash "$TOP/scripts/bench/check-times.sh" "$report"
echo "bench: wrote $report" >&2
