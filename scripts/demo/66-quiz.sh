#!/bin/sh
# title: A quiz on a live process's page tables, graded by the walk
# concepts: C36 C16
echo "vmquiz makes homework questions from a seed, about real addresses of a"
echo "running process: the table indexes and offset, the level that maps it,"
echo "whether a read or a write faults, whether a write gets a new frame,"
echo "whether the entry stays writable across fork, which pages a clock"
echo "evicts. --check grades answers against the page tables as they are then."
echo "On a terminal you answer; otherwise the answers are worked out from"
echo "ptdump --explain and /proc/PID/maps (another tool, the same tables)."
echo
# shellcheck source=quiz-answers.sh
. /opt/vmlab/bin/quiz-answers.sh
seed=$(awk '{ printf "%d", ($1 * 100) % 100 + 1 }' /proc/uptime)
sleep 60 &
pid=$!
sleep 0.3
echo "\$ vmquiz -s $seed $pid      # a 'sleep' process; the seed from the clock"
quiz=$(vmquiz -s "$seed" "$pid")
echo "$quiz"
answers=/tmp/quiz.$$
echo "$quiz" | grep '^Q[0-9]* \[' >$answers.q
# answer: the answers, typed or worked out from the tables as they are now
answer() {
	: >$answers
	while read -r line; do
		type=$(echo "$line" | sed -n 's/^Q[0-9]* \[\([a-z]*\)\].*/\1/p')
		va=$(echo "$line" | grep -o '0x[0-9a-f]\{16\}' | head -n 1)
		if [ "${VMLAB_PAUSE:-}" = 1 ]; then
			printf '\n%s ... your answer: ' "$line"
			read -r reply </dev/console
			echo "$reply" >>$answers
		else
			quiz_answer "$type" "$va" "$line" >>$answers
		fi
	done <$answers.q
}
answer
echo
echo "\$ vmquiz -s $seed -c ANSWERS $pid"
graded=$(vmquiz -s "$seed" -c $answers "$pid")
echo "$graded" | sed -n '/your answer/,$p'
asked=$(wc -l <$answers.q)
# The tables live on between answer and check: the kernel's page aging
# may clear an accessed bit meanwhile (seen for Q7 on 7.3). Worked-out
# answers that lost are worked out again from the tables as they are then.
tries=1
while [ "${VMLAB_PAUSE:-}" != 1 ] && [ $tries -lt 3 ] &&
	[ "$(echo "$graded" | sed -n 's/^score: //p')" != "$asked of $asked" ]; do
	tries=$((tries + 1))
	echo
	echo "(Not all agreed: the tables may have changed since the answers; answered again, try $tries.)"
	answer
	graded=$(vmquiz -s "$seed" -c $answers "$pid")
	echo "$graded" | sed -n '/^score/p'
done
kill "$pid"
wait "$pid" 2>/dev/null
score=$(echo "$graded" | sed -n 's/^score: //p')
rm -f $answers $answers.q
echo
if [ "${VMLAB_PAUSE:-}" = 1 ]; then
	echo "Your score: $score."
	fact "vmquiz graded all $asked questions" [ "${score##* of }" = "$asked" ]
else
	fact "ptdump's answers and vmquiz's walk agree on all $asked questions: $score" [ "$score" = "$asked of $asked" ]
fi
