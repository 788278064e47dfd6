#!/bin/bash
# usage: demo-page.sh TOUR.OUT DIR KVER
# DIR/index.html: one page, no network and no script, with each chapter's
# output from TOUR.OUT (what make demo's VM printed) and the pictures the
# VM sent in it (VMLAB-FILE blocks), kept as DIR/pictures/*.svg.
set -euo pipefail
out=$1 dir=$2 kver=$3
rm -rf "$dir/pictures"
mkdir -p "$dir/pictures"
# The pictures, and for each its command, as NAME COMMAND lines.
awk -v dir="$dir/pictures" '
/^VMLAB-FILE-END/ { if (f) close(cmd); f = 0; next }
f { print | cmd; next }
/^VMLAB-FILE / { name = $2; gsub(/[^A-Za-z0-9._-]/, "_", name); f = 1
	cmd = "base64 -d > \"" dir "/" name "\""
	line = $0; sub(/^VMLAB-FILE [^ ]* /, "", line); print name " " line > (dir "/commands") }
' "$out"
touch "$dir/pictures/commands"
{
	cat <<EOT
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>vmlab tour on $kver</title>
<style>
body { font-family: sans-serif; max-width: 70em; margin: 1em auto; padding: 0 1em; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; font-size: 12px; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ccc; }
figcaption code { font-size: 12px; } nav a { margin-right: .6em; }
</style></head><body>
<h1>vmlab: the tour, run on Linux $kver</h1>
<p>Everything below was printed and drawn in one run of <code>make demo</code>
in a QEMU virtual machine; the pictures come from live processes there.</p>
EOT
	awk -v pics="$dir/pictures" '
	function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
	BEGIN { while ((getline l < (pics "/commands")) > 0) { n = l; sub(/ .*/, "", n); c = l; sub(/^[^ ]* /, "", c); cmd[n] = c; order[++np] = n } }
	/^VMLAB-FILE /, /^VMLAB-FILE-END/ { next }
	/^VMLAB-/ { next }
	/^=== [0-9][0-9]\. / { num = substr($2, 1, 2); title = $0; sub(/^=== [0-9]*\. /, "", title)
		printf "<section id=\"ch%s\"><h2>%s. %s</h2>\n", num, num, esc(title); inpre = 1; print "<pre>"; next }
	/^=== end [0-9][0-9]/ { if (inpre) print "</pre>"; inpre = 0; print "<p><em>" esc($0) "</em></p>"
		for (i = 1; i <= np; i++) if (substr(order[i], 1, 2) == num) {
			printf "<figure><img src=\"pictures/%s\" alt=\"%s\"><figcaption>made by <code>%s</code></figcaption></figure>\n", order[i], order[i], esc(cmd[order[i]])
			shown[order[i]] = 1 }
		print "</section>"; next }
	inpre { print esc($0) }
	END { if (inpre) print "</pre></section>"
		for (i = 1; i <= np; i++) if (!shown[order[i]])
			printf "<figure><img src=\"pictures/%s\" alt=\"%s\"><figcaption>made by <code>%s</code></figcaption></figure>\n", order[i], order[i], esc(cmd[order[i]]) }
	' "$out"
	echo "</body></html>"
} >"$dir/index.html"
echo "demo: wrote $dir/index.html ($(grep -c '<img' "$dir/index.html") pictures); open it in a browser: xdg-open $dir/index.html"
