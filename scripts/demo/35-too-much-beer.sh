#!/bin/sh
# title: Too much beer: which note protocols fail, starve or deadlock, and the one that works
# concepts: C9
#
# Two roommates come home to an empty fridge at the same moment. The
# lecture's attempts use notes; each one runs 300 rounds here.
step() { echo; echo "== $*"; }

step "1. Every attempt, 300 rounds each (C9)"
echo "\$ racedemo beer -r 300"
table=$(racedemo beer -r 300)
echo "$table"
pause

# col ATTEMPT COLUMN: one cell of the table (columns as in its header).
col() {
	echo "$table" | awk -v a="$1" -v c="$2" '$1 == "attempt" { for (i = 1; i <= NF; i++) h[$i] = i }
		$1 == a && h[c] && $2 ~ /^[0-9]+$/ { print $h[c] }'
}
step "2. Reading the table: what happened in this run"
for a in note note-recheck two-notes wait-for-note asymmetric asymmetric-relaxed lock; do
	both=$(col $a both_bought) nobody=$(col $a nobody_bought) dead=$(col $a deadlocks)
	printf -- '- %s: ' "$a"
	if [ "$both" -gt 0 ]; then
		echo "both bought in $both rounds: each passed the check before the other's note was up."
	elif [ "$dead" -gt 0 ]; then
		echo "deadlocked $dead times: each waited for the other's note to go."
	elif [ "$nobody" -gt 0 ]; then
		echo "nobody bought in $nobody rounds: both notes up, both backed off (no progress)."
	else
		echo "exactly one bought in all $(col $a rounds) rounds (A $(col $a a_bought), B $(col $a b_bought))."
	fi
done
echo "(asymmetric-relaxed is asymmetric without memory ordering: the CPU may"
echo "move the store of one's note after the load of the other's.)"
pause
echo
fact "the lecture's attempts fail: note and note-recheck bought twice $(col note both_bought) and $(col note-recheck both_bought) times" \
	[ $(($(col note both_bought) + $(col note-recheck both_bought))) -gt 0 ]
fact "two-notes never bought twice ($(col two-notes both_bought))" [ "$(col two-notes both_bought)" = 0 ]
fact "the lock: one buyer in each of $(col lock one_bought) of $(col lock rounds) rounds" [ "$(col lock one_bought)" = "$(col lock rounds)" ]
fact "asymmetric (ordered): one buyer in each of $(col asymmetric one_bought) of $(col asymmetric rounds) rounds" \
	[ "$(col asymmetric one_bought)" = "$(col asymmetric rounds)" ]
