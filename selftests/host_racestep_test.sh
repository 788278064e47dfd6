#!/bin/bash
# racedemo step on the host, as a student uses it: by --schedule, by a
# pipe, and typed into a terminal (tmux). Each checks the final balance
# the two threads left and the grading of a right and a wrong prediction.
rd=$(cd "$(dirname "$0")/../tools/racedemo" && pwd)/racedemo
n=0 failed=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else failed=$((failed + 1)); echo "not ok $n $2"; fi
}
final() { sed -n 's/^final saldo: \([0-9]*\).*/\1/p'; }
# by_schedule SCHEDULE PREDICTION FINAL GRADE DESCRIPTION [LOST]: step by
# --schedule leaves FINAL, grades PREDICTION GRADE, and says LOST is gone.
by_schedule() {
	local out
	out=$("$rd" step -s "$1" -P "$2")
	[ "$(final <<<"$out")" = "$3" ] && grep -q "^you predicted $2: $4\$" <<<"$out" &&
		{ [ -z "${6:-}" ] || grep -q "the $6 is gone" <<<"$out"; }
	check $? "$5"
}
echo "TAP version 13"
echo "1..9"

by_schedule A,A,A,B,B,B 130 130 right "serial A then B: 130, prediction 130 graded right"
by_schedule A,B,A,B,A,B 130 120 wrong "A,B,A,B,A,B: B's store wins, 120, prediction 130 graded wrong" +10
by_schedule B,A,A,A,B,B 110 120 wrong "B loads, A runs through, B stores: 120"
by_schedule A,B,B,B,A,A 110 110 right "A loads, B runs through, A stores: 110, prediction graded right" +20

# Two real threads: two TIDs, neither the process's PID.
tids=$("$rd" step -s A | sed -n 's/.*Thread A (TID \([0-9]*\)).*thread B (TID \([0-9]*\)).*/\1 \2/p')
read -r ta tb <<<"$tids"
[ -n "$ta" ] && [ -n "$tb" ] && [ "$ta" != "$tb" ]
check $? "two real threads ($ta, $tb)"

"$rd" step -s A,A,A,A >/dev/null 2>&1
[ $? = 2 ]
check $? "a fourth step for A is refused (exit 2)"

out=$(printf 'x\nb\nb\nb\nb\na\na\na\n' | "$rd" step)
[ "$(final <<<"$out")" = 130 ] && grep -q 'answer A or B' <<<"$out" &&
	grep -q 'B has finished its 3 instructions: choose A' <<<"$out"
check $? "from a pipe: a bad answer and a finished thread are asked again"

# In a terminal: the student types the answers at the prompt.
if ! command -v tmux >/dev/null; then
	n=$((n + 2)); echo "ok $((n - 1)) tmux session # SKIP no tmux"; echo "ok $n tmux grading # SKIP no tmux"
	[ $failed = 0 ]; exit
fi
sock=/tmp/racestep-test.$$
log=/tmp/racestep-test.$$.log
tmux -S "$sock" new-session -d -x 100 -y 30 "$rd step -P 110 | tee $log; sleep 30"
answered=0
for who in A B B B A A; do
	for _ in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q "step $((answered + 1)): who runs next" && break
		sleep 0.1
	done
	tmux -S "$sock" send-keys "$who" Enter
	answered=$((answered + 1))
done
for _ in $(seq 50); do grep -q '^you predicted' "$log" 2>/dev/null && break; sleep 0.1; done
screen=$(tmux -S "$sock" capture-pane -p)
tmux -S "$sock" kill-server 2>/dev/null
rm -f "$sock"
grep -q 'step 6: who runs next, A or B?' <<<"$screen"
check $? "tmux: six prompts answered at the terminal"
[ "$(final <"$log")" = 110 ] && grep -q '^you predicted 110: right$' "$log"
check $? "tmux: A,B,B,B,A,A typed: 110, graded right"
rm -f "$log"
[ $failed = 0 ]
