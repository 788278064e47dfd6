#!/bin/bash
# usage: browser-check.sh FILE...
# Each FILE (an HTML page or an SVG) opened by headless Chromium (Debian's
# chromium), its screenshot taken: a TAP line each. A file fails on a
# message on the browser's console, an XML error (the browser shows a
# parsererror), a blank screenshot (one colour), or, for a page, an <img>
# whose file is not there. The screenshots stay in $SHOTS (default a
# temporary folder). Exit 0 when every file passed, 1 if not, 2 without
# chromium.
set -uo pipefail
command -v chromium >/dev/null || { echo "browser-check: no chromium (make deps installs it)" >&2; exit 2; }
shots=${SHOTS:-$(mktemp -d)}
mkdir -p "$shots"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
browser=(chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile"
	--hide-scrollbars --allow-file-access-from-files)
n=0 failed=0
# blank PNG: one colour in every pixel (the filtered scanlines hold at
# most the colour's bytes, the filter bytes and zero deltas).
blank() {
	python3 - "$1" <<'PY'
import sys, zlib, struct
d = open(sys.argv[1], 'rb').read()
i, idat = 8, b''
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    if t == b'IDAT':
        idat += d[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
sys.exit(0 if len(set(raw)) <= 6 else 1)
PY
}
for f in "$@"; do
	n=$((n + 1))
	abs=$(realpath "$f")
	png=$shots/$(basename "$f").png
	why=""
	[ -r "$abs" ] || why="no such file"
	if [ -z "$why" ] && [[ $f == *.html ]]; then
		for img in $(grep -o '<img src="[^"]*"' "$abs" | cut -d'"' -f2); do
			[ -r "$(dirname "$abs")/$img" ] || why="${why:+$why; }missing picture $img"
		done
	fi
	if [ -z "$why" ]; then
		# one run: the screenshot, the DOM on stdout, the console on stderr
		timeout 60 "${browser[@]}" --enable-logging=stderr --v=0 --window-size=1000,800 \
			--screenshot="$png" --dump-dom "file://$abs" >"$profile/dom" 2>"$profile/log"
		console=$(grep ':CONSOLE' "$profile/log" | head -n 3)
		[ -n "$console" ] && why="console: $console"
		[ -s "$png" ] || why="${why:+$why; }no screenshot"
		[ -s "$png" ] && blank "$png" && why="${why:+$why; }blank screenshot"
		grep -q '<parsererror' "$profile/dom" && why="${why:+$why; }XML error"
	fi
	if [ -z "$why" ]; then
		echo "ok $n browser: $f ($(stat -c %s "$abs") bytes, screenshot $png)"
	else
		echo "not ok $n browser: $f: $why"
		failed=$((failed + 1))
	fi
done
[ $failed = 0 ]
