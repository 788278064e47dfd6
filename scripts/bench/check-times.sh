#!/bin/bash
# usage: check-times.sh [REPORT]
# The test commands' times, from bench/check-times.tsv (make time-check):
# the newest measurement of each mode against issue 15's limits, and what
# the arm64 lanes add to a warm make check (warm against warm-x86, at each
# commit measured both ways; issue 16's limit), as a Markdown section;
# with REPORT, written into it in place of the section there (or added at
# its end).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
tsv=$TOP/bench/check-times.tsv

section() {
	echo "<!-- check-times: scripts/bench/check-times.sh -->"
	echo "## make check and .ci/run"
	echo
	echo "From a fresh clone (\`make time-check MODE=…\`; cold: an empty cache,"
	echo "so every kernel is downloaded, every root made and every module and the"
	echo "debug kernel built; the machine's packages were installed already)."
	echo "The load average says how busy the two cores were with other work."
	echo
	echo "| mode | measured | commit | time | limit | result | load average at the end |"
	echo "|---|---|---|---|---|---|---|"
	awk -F'\t' 'NR > 1 { last[$2] = $0; commit[++nrows] = $3 }
		NR > 1 && $2 == "warm" { sep = ($3 in full) ? " and " : ""; full[$3] = full[$3] sep $4 }
		NR > 1 && $2 == "warm-x86" { sep = ($3 in x86) ? " and " : ""; x86[$3] = x86[$3] sep $4 }
		END {
			n = split("warm:480 warm-x86:0 cold:1500 ci:0 ci-cold:3600", m, " ") # 0: no limit
			for (i = 1; i <= n; i++) {
				split(m[i], kv, ":")
				if (!(kv[1] in last)) continue
				split(last[kv[1]], f, "\t")
				limit = kv[2] ? sprintf("%d min: %s", kv[2] / 60, f[4] <= kv[2] ? "met" : "NOT met") : "-"
				printf "| %s | %s | %s | %d min %02d s | %s | %s | %s |\n", f[2], f[1], f[3],
					f[4] / 60, f[4] % 60, limit, f[6], f[7]
			}
			# Every commit measured both ways, oldest first: their spread is
			# the noise of this machine.
			for (r = 1; r <= nrows; r++) {
				c = commit[r]
				if (seen[c]++ || !((c) in x86) || !((c) in full)) continue
				if (!pairs++)
					print "\nWhat the arm64 lanes add to a warm make check (warm minus warm-x86 at one commit; limit 5 min):\n"
				printf "- %s: %s (%s s with them, %s s with the x86-64 lanes alone)\n",
					c, adds(full[c], x86[c]), full[c], x86[c]
			}
		}
		function adds(w, x,    a, b, i, j, na, nb, out, d) {
			na = split(w, a, " and "); nb = split(x, b, " and ")
			for (i = 1; i <= na; i++)
				for (j = 1; j <= nb; j++) {
					d = a[i] - b[j]
					out = out (out == "" ? "" : ", ") d " s" (d <= 300 ? "" : " (over)")
				}
			return out
		}' "$tsv"
	echo "<!-- /check-times -->"
}

[ -r "$tsv" ] || exit 0
if [ -z "${1:-}" ]; then
	section
	exit
fi
new=$(section)
if grep -q '^<!-- check-times' "$1"; then
	NEW=$new perl -0pi -e 's/<!-- check-times.*?<!-- \/check-times -->/$ENV{NEW}/s' "$1"
else
	printf '\n%s\n' "$new" >>"$1"
fi
