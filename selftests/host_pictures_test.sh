#!/bin/bash
# The pictures in a real browser: the README's pictures (docs/pictures/,
# drawn by the tools in the VM) sent as make demo's VM sends them, made
# into the tour page by demo-page.sh, and headless Chromium opening the
# page and each SVG (scripts/browser-check.sh: a console message, an XML
# error, a blank screenshot or a missing picture fails). Then the check
# itself: a broken, a blank and a missing picture must fail it.
top=$(cd "$(dirname "$0")/.." && pwd)
check=$top/scripts/browser-check.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else failed=$((failed + 1)); echo "not ok $n $2"; fi
}
pics=("$top"/docs/pictures/*.svg)
echo "TAP version 13"
echo "1..6"
# A tour's output: a chapter, then each picture as a VMLAB-FILE block.
{
	echo "=== 50. Address space: the regions of a real process"
	echo "a line with <html> & \"quotes\""
	echo "=== end 50: exit 0, 0 facts, 0 NO (0.1 s)"
	for f in "${pics[@]}"; do
		echo "VMLAB-FILE ${f##*/} the README's picture"
		base64 "$f"
		echo "VMLAB-FILE-END"
	done
} >"$t/tour.out"
bash "$top/scripts/demo-page.sh" "$t/tour.out" "$t" test >/dev/null
imgs=$(grep -c '<img src="pictures/' "$t/index.html")
[ "$imgs" = "${#pics[@]}" ] && grep -q '^a line with &lt;html&gt; &amp; "quotes"$' "$t/index.html" &&
	cmp -s "${pics[0]}" "$t/pictures/${pics[0]##*/}"
ok $? "demo-page.sh: the page shows the ${#pics[@]} pictures sent ($imgs), the output escaped, the files intact"
SHOTS=$t/shots bash "$check" "$t/index.html" "$t"/pictures/*.svg | sed 's/^/# /'
ok "${PIPESTATUS[0]}" "chromium: the page and its ${#pics[@]} pictures render, no console message, none blank"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><text y="20">a & b</text></svg>\n' >"$t/broken.svg"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><rect width="100" height="50" fill="white"/></svg>\n' >"$t/blank.svg"
printf '<!DOCTYPE html><html><body><p>x</p><img src="pictures/none.svg"></body></html>\n' >"$t/missing.html"
printf '<!DOCTYPE html><html><body><p>x</p><script>console.log("hi")</script></body></html>\n' >"$t/console.html"
for f in broken.svg blank.svg missing.html console.html; do
	out=$(bash "$check" "$t/$f" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -q "^not ok 1 browser: $t/$f: " <<<"$out"
	ok $? "chromium: $f fails the check (${out##*"$f": })"
done
[ $failed = 0 ]
