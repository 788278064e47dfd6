#!/bin/sh
# title: Race conditions: the lecture's saldo loses money, and results depend on the interleaving
# concepts: C7 C8
# key-fact: without a lock: final balance below 130 in [1-9][0-9]* of [0-9]+ runs
#
# saldo = saldo + x is three instructions (load, add, store). Two threads
# that interleave them can overwrite each other's store: a lost update.
step() { echo; echo "== $*"; }
p() { command -v pause >/dev/null && pause; }

step "1. saldo = 100; thread A deposits 10, thread B deposits 20 (C7)"
echo "Run 500 times without a lock and 500 times with a pthread mutex. Between"
echo "load and add each thread offers the CPU to the other, as a timer interrupt"
echo "could at that moment. The correct result is 130."
echo "\$ racedemo saldo -r 500"
racedemo saldo -r 500
echo "110 or 120 means one deposit's store overwrote the other's: the money"
echo "is gone. With the mutex the three instructions are a critical section."
p

step "2. The result depends on the interleaving (C8)"
echo "Two threads each add 1 to one counter 100000 times, as load and store,"
echo "with no lock. Three runs of the same program:"
for run in 1 2 3; do
	racedemo --json counter -t 2 -n 1e5 -y 5000 -m none |
		sed -n 's/.*"actual": \([0-9]*\).*/\1/p' |
		{ read -r v; echo "  run $run: counter = $v (expected 200000)"; }
done
echo "Each total is what one interleaving of the same instructions produced:"
echo "where a thread was interrupted between its load and its store decides how"
echo "many of the other's updates it overwrote. Same program, no fixed result."
p

step "3. Every interleaving, enumerated (C8)"
echo "The lecture's two pairs of threads, each order of their instructions run"
echo "one step at a time:"
echo "\$ racedemo interleavings"
racedemo interleavings | sed -n '/^How many/,$p'
p
