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
# One awk over the log: a chapter's part runs from "=== NN. " to
# "=== end NN: ". Only the chapters the tour ran are judged (all of them,
# unless narrowed).
for ch in "$bin"/[0-9][0-9]-*.sh; do echo "${ch##*/}"; done | awk -v logf="$log" -v narrowed="${VMLAB_CHAPTER:+1}" '
	{ name[++nch] = substr($0, 1, length($0) - 3) }
	END {
		while ((getline line <logf) > 0) {
			if (line ~ /^=== [0-9][0-9]\. /) { cur = substr(line, 5, 2); ran[cur] = 1; nlines[cur] = 0 }
			if (cur == "") continue
			part[cur, ++nlines[cur]] = line
			if (line ~ /^fact: /) facts[cur] = facts[cur] "# " line "\n"
			if (index(line, "=== end " cur ": ") == 1) { end[cur] = substr(line, 13); cur = "" }
		}
		for (i = 1; i <= nch; i++)
			if (!narrowed || ran[substr(name[i], 1, 2)]) judged[++n] = name[i]
		print "TAP version 13"
		print "1.." n
		for (i = 1; i <= n; i++) {
			nm = judged[i]; num = substr(nm, 1, 2); e = end[num]
			if (e ~ /^skipped:/) { print "ok " i " demo " nm " # SKIP " substr(e, 10); continue }
			printf "%s", facts[num]
			if (e != "") print "# " nm ": " e
			no = gsub(/: NO\n/, "&", facts[num])
			if (e == "") verdict = "the chapter did not end"
			else if (e !~ /^exit 0,/) { verdict = e; sub(/,.*/, "", verdict) }
			else if (facts[num] == "") verdict = "no verdict line"
			else if (no) verdict = no " verdicts NO"
			else { print "ok " i " demo " nm; continue }
			failed++
			print "not ok " i " demo " nm " (" verdict ")"
			for (k = (nlines[num] > 25 ? nlines[num] - 24 : 1); k <= nlines[num]; k++) print "#   " part[num, k]
		}
		exit (failed > 0)
	}'
