#!/bin/sh
# title: Atomic operations, locks and their properties, in user space and in the kernel
# concepts: C10 C11
# key-fact: kernel-mutex +2 +2 +20000 +80000 +80000 +0 
#
# An atomic instruction or a lock makes the read-modify-write indivisible.
# The same experiment runs with user-space primitives and with vmlab's
# kernel counters, which also count how often their lock was found held.
step() { echo; echo "== $*"; }
p() { command -v pause >/dev/null && pause; }

step "1. Four threads add 1, 100000 times each: no lock, atomic, mutex (C10)"
get() { sed -n "s/^ *\"$1\": \([0-9]*\).*/\1/p"; }
for m in none atomic pthread-mutex; do
	# none and the mutex yield the CPU between load and store now and then
	y="-y 1000"
	[ $m = atomic ] && y=""
	out=$(racedemo --json counter -t 4 -n 1e5 $y -m $m)
	printf "  %-14s expected %s  actual %s  lost %s\n" $m "$(echo "$out" | get expected)" \
		"$(echo "$out" | get actual)" "$(echo "$out" | get lost)"
done
echo "The atomic add (lock xadd) and the mutex never lose an update."
p

step "2. Kernel counters: 2 processes x 2 threads x 20000 CTR_ADD ioctls (C10, C11)"
echo "Each process opens /dev/vmlab itself; the counter lives in the module."
echo "kernel-racy widens its load/store window by 2000 ns (ndelay)."
echo "\$ racedemo counter -p 2 -t 2 -n 20000 -m MODE"
racedemo counter -p 2 -t 2 -n 20000 -m kernel-racy -d 2000 | sed -n '2,3p'
for m in kernel-atomic kernel-mutex kernel-spin; do
	racedemo counter -p 2 -t 2 -n 20000 -m $m | sed -n '3p'
done
echo "lost > 0 only for kernel-racy, where max_inside shows two callers in the"
echo "read-modify-write at once. mutex and spin: max_inside 1 (mutual exclusion),"
echo "contended = times mutex_trylock/spin_trylock found the lock held, and"
echo "wait_ns_max the longest wait for it."
p

step "3. The three properties of a lock, measured (C11)"
echo "\$ racedemo locks -t 3 -d 300"
racedemo locks -t 3 -d 300
p
