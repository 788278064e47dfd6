#!/bin/sh
# vmquiz against a live process: the right answers are worked out from
# ptdump --explain and /proc/PID/maps (quiz-answers.sh: another tool, the
# same page tables),
# then graded all right, all wrong and half right; a seed gives the same
# questions twice and another seed others.
# check evals its second argument: the variables in it expand then.
# shellcheck disable=SC2016,SC2034
# shellcheck source-path=SCRIPTDIR source=vm_util.sh
. /opt/vmlab/bin/vm_util.sh
echo "TAP version 13"
echo "1..6"
sleep 600 &	# the target; killed at the end (the debug kernel is slow)
pid=$!
asleep $pid sleep
count=14
quiz=$(vmquiz -s 3 -n $count "$pid")

# shellcheck source=../scripts/demo/quiz-answers.sh
. /opt/vmlab/bin/quiz-answers.sh
right=/tmp/quiz.right wrong=/tmp/quiz.wrong half=/tmp/quiz.half
echo "$quiz" | grep '^Q[0-9]* \[' >/tmp/quiz.q
# answers: the right, wrong and half-right answer files, from the target's
# page tables now.
answers() {
	: >$right
	: >$wrong
	: >$half
	asked=0
	while read -r line; do
		asked=$((asked + 1))
		type=$(echo "$line" | sed -n 's/^Q[0-9]* \[\([a-z]*\)\].*/\1/p')
		va=$(echo "$line" | grep -o '0x[0-9a-f]\{16\}' | head -n 1)
		a=$(quiz_answer "$type" "$va" "$line")
		echo "$a" >>$right
		echo "not-$a" >>$wrong
		if [ $((asked % 2)) = 1 ]; then echo "$a" >>$half; else echo "not-$a" >>$half; fi
	done </tmp/quiz.q
}
answers
kinds=$(sed -n 's/^Q[0-9]* \[\([a-z]*\)\].*/\1/p' /tmp/quiz.q | sort -u | wc -l)
check "quiz: $asked questions of $kinds kinds" '[ "$asked" = $count ] && [ "$kinds" = 7 ]'

score() { vmquiz -s 3 -n $count -c "$1" "$pid" | sed -n 's/^score: //p'; }
s=$(score $right)
# The page tables are live: reclaim may clear an accessed bit between
# the answers' walk and vmquiz's (the clock question). Once, the answers
# are worked out again.
if [ "$s" != "$count of $count" ]; then
	echo "# the answers from ptdump scored $s: the target's page tables changed, once more"
	vmquiz -s 3 -n $count -c $right "$pid" | grep -B3 WRONG | sed 's/^/# /'
	answers
	s=$(score $right)
fi
if [ "$s" = "$count of $count" ]; then ok "the answers worked out from ptdump: $s"; else
	nok "the answers worked out from ptdump: $s"
	vmquiz -s 3 -n $count -c $right "$pid" | grep -B3 WRONG | sed 's/^/# /'
fi
s=$(score $wrong)
check "wrong answers: $s" '[ "$s" = "0 of $count" ]'
graded=$(vmquiz -s 3 -n $count -c $half "$pid" | grep -E '^   (right|WRONG)$' | tr -d ' ' | tr '\n' ' ')
want=$(i=1; while [ $i -le $count ]; do if [ $((i % 2)) = 1 ]; then printf 'right '; else printf 'WRONG '; fi; i=$((i + 1)); done)
check "half right: graded question by question (got '$graded')" '[ "$graded" = "$want" ]'
again=$(vmquiz -s 3 -n $count "$pid")
other=$(vmquiz -s 4 -n $count "$pid")
check "seed 3 twice: the same questions" '[ "$again" = "$quiz" ]'
check "seed 4: other questions" '[ "$other" != "$quiz" ]'
kill "$pid"
wait "$pid" 2>/dev/null
rm -f $right $wrong $half /tmp/quiz.q
[ $failed = 0 ]
