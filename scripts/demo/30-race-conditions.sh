#!/bin/sh
# title: Race conditions: the lecture's saldo loses money, and results depend on the interleaving
# concepts: C7 C8
#
# saldo = saldo + x is three instructions (load, add, store). Two threads
# that interleave them can overwrite each other's store: a lost update.
step() { echo; echo "== $*"; }

step "1. saldo = 100; thread A deposits 10, thread B deposits 20 (C7)"
echo "Run 500 times without a lock and 500 times with a pthread mutex. Between"
echo "load and add each thread offers the CPU to the other, as a timer interrupt"
echo "could at that moment. The correct result is 130."
echo "\$ racedemo saldo -r 500"
saldo=$(racedemo saldo -r 500)
echo "$saldo"
lost=$(echo "$saldo" | sed -n 's/^without a lock: final balance below 130 in \([0-9]*\) of.*/\1/p')
mlost=$(echo "$saldo" | sed -n 's/^with a mutex: *final balance below 130 in \([0-9]*\) of.*/\1/p')
echo "110 or 120 means one deposit's store overwrote the other's: the money"
echo "is gone. With the mutex the three instructions are a critical section."
pause

step "2. The result depends on the interleaving (C8)"
echo "Four threads each add 1 to one counter 100000 times, as load and store,"
echo "with no lock; every 5000th time a thread offers the CPU between the two."
echo "Four threads on two CPUs: two of them at least take turns on one. Three"
echo "runs of the same program:"
totals=""
for run in 1 2 3; do
	v=$(racedemo --json counter -t 4 -n 100k -y 5000 -m none | sed -n 's/.*"actual": \([0-9]*\).*/\1/p')
	echo "  run $run: counter = $v (expected 400000)"
	totals="$totals $v"
done
short=$(for v in $totals; do [ "$v" -lt 400000 ] && echo "$v"; done | wc -l)
distinct=$(for v in $totals; do echo "$v"; done | sort -u | wc -l)
echo "Each total is what one interleaving of the same instructions produced:"
echo "where a thread was interrupted between its load and its store decides how"
echo "many of the other's updates it overwrote. Same program, no fixed result."
pause

step "3. Every interleaving, enumerated (C8)"
echo "A model, not threads: the lecture's three pairs of statements, every"
echo "order of their instructions run by an interpreter, one at a time:"
echo "\$ racedemo interleavings"
model=$(racedemo interleavings)
echo "$model" | sed -n '/^How many/,$p'
racy=$(echo "$model" | sed -n 's/^A:x=x+1 B:x=x+2: \([0-9]*\) orders, [0-9]* results; \([0-9]*\) end.*/\2 of \1/p')
echo
echo "The same on two real threads, held between instructions: you choose who"
echo "runs next (racedemo step, or --schedule). A loads, B runs through, A stores:"
echo "\$ racedemo step --schedule A,B,B,B,A,A"
real=$(racedemo step --schedule A,B,B,B,A,A)
echo "$real"
rfinal=$(echo "$real" | sed -n 's/^final saldo: \([0-9]*\).*/\1/p')
pause
echo
fact "without a lock, $lost of 500 runs lost a deposit" [ "${lost:-0}" -gt 0 ]
fact "with the mutex, $mlost of 500 did" [ "$mlost" = 0 ]
fact "same program, different results: $distinct distinct totals, $short of 3 below 400000" [ "$short" -gt 0 ]
fact "model: x=x+1 | x=x+2 ends where no serial run does in $racy orders" matches "$racy" '^[1-9][0-9]* of'
fact "real threads, schedule A,B,B,B,A,A: saldo $rfinal, B's +20 lost" [ "$rfinal" = 110 ]
