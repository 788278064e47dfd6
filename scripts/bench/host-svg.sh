#!/bin/bash
# Pictures of a big process (issue 18): ptdump's map and page-table tree of
# a 10,000-mapping process and of a 128 TiB sparse range (ptdump-fixture),
# drawn in one VM run on the bench's kernel, then opened by headless
# Chromium here. Targets: each SVG under 2 MB, rendered in under 2 s
# (the time of a screenshot less that of a blank SVG: the browser's start).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
kver=$(lane_krel "${BENCH_KERNEL:-6.12}")
dir=$BUILD/bench/svg
rm -rf "$dir"
mkdir -p "$dir"
build_module "$kver" >/dev/null || exit 1
cat >"$dir/suite.sh" <<'EOT'
p=/tmp/p
mkdir -p $p
# send NAME: the file as make demo's pictures travel (vm-demo.sh).
send() { echo "VMLAB-FILE $1 bench"; base64 $p/$1; echo VMLAB-FILE-END; }
# fixture ARGS: start ptdump-fixture, echo its PID once it is ready.
fixture() {
	ptdump-fixture "$@" -t 900 >$p/fixture.out &
	i=0
	while ! grep -q ready $p/fixture.out && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
	sed -n 's/^pid \([0-9]*\) ready/\1/p' $p/fixture.out
}
pid=$(fixture -n 10000)
echo "VMLAB-VMAS $(wc -l </proc/$pid/maps)"
ptdump --svg $p/vmas10k-map.svg $pid && send vmas10k-map.svg
ptdump --tree --svg $p/vmas10k-tree.svg $pid && send vmas10k-tree.svg
kill $pid
pid=$(fixture -s 128T -e 64G)
echo "VMLAB-RANGE $(sed -n 's/^sparse //p' $p/fixture.out)"
ptdump --svg $p/sparse128t-map.svg $pid && send sparse128t-map.svg
ptdump --tree --svg $p/sparse128t-tree.svg $pid && send sparse128t-tree.svg
kill $pid
EOT
make_initramfs "$kver" "$dir/suite.sh" "$dir/initrd.cpio"
bash "$TOP/scripts/vm-run.sh" -t "$dir/out.txt" "$kver" "$dir/initrd.cpio" "$dir/console.log" >"$dir/vm.log" || {
	echo "## Pictures of a big process"; echo; echo "the VM run failed (see $dir/console.log)"; exit 1
}
bash "$TOP/scripts/demo-page.sh" "$dir/out.txt" "$dir" "$kver" >/dev/null
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n' >"$dir/blank.svg"
# shot FILE: seconds for headless Chromium to open FILE and screenshot it.
shot() {
	local t0=$EPOCHREALTIME
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
		--window-size=1000,800 --screenshot="$dir/shot.png" "file://$1" >/dev/null 2>&1
	echo "$EPOCHREALTIME - $t0" | bc
}
# med FILE: the median of 5 screenshots' times.
med() { for _ in 1 2 3 4 5; do shot "$1"; done | sort -n | sed -n 3p; }
base=$(med "$dir/blank.svg")
echo "## Pictures of a big process ($kver)"
echo
echo "ptdump --svg and ptdump --tree --svg of ptdump-fixture in the VM:"
echo "$(sed -n 's/^VMLAB-VMAS //p' "$dir/out.txt") mappings (\`-n 10000\`), and a 128 TiB sparse range"
echo "touched every 64 GiB (\`-s 128T -e 64G\`: $(sed -n 's/^VMLAB-RANGE //p' "$dir/out.txt"); on 4-level"
echo "paging only half of it fits). Render: headless Chromium on the host, median of 5"
echo "screenshots less that of a blank SVG ($(printf "%.2f" "$base") s, the browser's start)."
echo
echo "| picture | SVG bytes | render (s) | targets < 2 MB, < 2 s |"
echo "|---|---|---|---|"
for f in vmas10k-map vmas10k-tree sparse128t-map sparse128t-tree; do
	svg=$dir/pictures/$f.svg
	if [ ! -s "$svg" ]; then
		echo "| $f | not drawn | | NOT met |"
		continue
	fi
	bytes=$(stat -c %s "$svg")
	r=$(printf "%.2f" "$(echo "$(med "$svg") - $base" | bc)")
	met=$(echo "$bytes < 2000000 && $r < 2" | bc)
	echo "| $f | $bytes | $r | $([ "$met" = 1 ] && echo met || echo NOT met) |"
done
