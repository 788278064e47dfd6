#!/bin/sh
# title: Atomic operations, locks and their properties, in user space and in the kernel
# concepts: C10 C11
#
# An atomic instruction or a lock makes the read-modify-write indivisible.
# The same experiment runs with user-space primitives and with vmlab's
# kernel counters, which also count how often their lock was found held.
step() { echo; echo "== $*"; }

step "1. Four threads add 1, 100000 times each: no lock, atomic, mutex (C10)"
get() { sed -n "s/^ *\"$1\": \([0-9]*\).*/\1/p"; }
for m in none atomic pthread-mutex; do
	# none and the mutex yield the CPU between load and store now and then
	y="-y 1000"
	[ $m = atomic ] && y=""
	out=$(racedemo --json counter -t 4 -n 100k $y -m $m)
	lost=$(echo "$out" | get lost)
	printf "  %-14s expected %s  actual %s  lost %s\n" $m "$(echo "$out" | get expected)" \
		"$(echo "$out" | get actual)" "$lost"
	eval "lost_$(echo $m | tr - _)=$lost"
done
# shellcheck disable=SC2154 # lost_* are set by the eval above
echo "Lost updates: none $lost_none, atomic add (lock xadd) $lost_atomic, mutex $lost_pthread_mutex."
pause

step "2. Kernel counters: 2 processes x 2 threads x 20000 CTR_ADD ioctls (C10, C11)"
echo "Each process opens /dev/vmlab itself; the counter lives in the module."
echo "kernel-racy widens its load/store window by 2 us (-d 2us, ndelay)."
echo "\$ racedemo counter -P 2 -t 2 -n 20000 -m MODE"
kern=$(racedemo counter -P 2 -t 2 -n 20000 -m kernel-racy -d 2us | sed -n '2,3p'
for m in kernel-atomic kernel-mutex kernel-spin; do
	racedemo counter -P 2 -t 2 -n 20000 -m $m | sed -n '3p'
done)
echo "$kern"
# kcol MODE COLUMN: a cell of the kernel table (columns as in its header)
kcol() {
	echo "$kern" | awk -v m="$1" -v c="$2" '$1 == "mode" { for (i = 1; i <= NF; i++) h[$i] = i }
		$1 == m && h[c] { print $h[c] }'
}
echo "kernel-racy lost $(kcol kernel-racy lost) with up to $(kcol kernel-racy max_inside) callers inside the"
echo "read-modify-write at once; the mutex and the spinlock kept it to"
echo "$(kcol kernel-mutex max_inside) and $(kcol kernel-spin max_inside) (contended = times trylock found the lock held,"
echo "wait_ns_max the longest wait for it)."
pause

step "3. The three properties of a lock, measured (C11)"
echo "\$ racedemo locks -t 3 -d 300ms"
locks=$(racedemo locks -t 3 -d 300ms)
echo "$locks"
lcol() {
	echo "$locks" | awk -v m="$1" -v c="$2" '$1 == "lock" && $2 == "threads" { for (i = 1; i <= NF; i++) h[$i] = i }
		$1 == m && h[c] && $2 ~ /^[0-9]+$/ { print $h[c] }'
}
pause
echo
fact "no lock lost $lost_none updates; atomic $lost_atomic, mutex $lost_pthread_mutex" \
	[ "$lost_none" -gt 0 -a "$lost_atomic" = 0 -a "$lost_pthread_mutex" = 0 ]
fact "kernel-racy lost $(kcol kernel-racy lost), kernel-atomic/mutex/spin lost $(kcol kernel-atomic lost)/$(kcol kernel-mutex lost)/$(kcol kernel-spin lost)" \
	[ "$(kcol kernel-racy lost)" -gt 0 -a "$(kcol kernel-atomic lost)$(kcol kernel-mutex lost)$(kcol kernel-spin lost)" = 000 ]
fact "mutual exclusion in the kernel: at most $(kcol kernel-mutex max_inside) (mutex) and $(kcol kernel-spin max_inside) (spin) inside" \
	[ "$(kcol kernel-mutex max_inside)$(kcol kernel-spin max_inside)" = 11 ]
fact "the broken lock let two in $(lcol broken violations) times; tas, ticket, mutex: $(lcol tas violations), $(lcol ticket violations), $(lcol pthread-mutex violations)" \
	[ "$(lcol broken violations)" -gt 0 -a "$(lcol tas violations)$(lcol ticket violations)$(lcol pthread-mutex violations)" = 000 ]
fact "progress: no thread starved under tas, ticket, mutex ($(lcol tas starved) $(lcol ticket starved) $(lcol pthread-mutex starved))" \
	[ "$(lcol tas starved)$(lcol ticket starved)$(lcol pthread-mutex starved)" = 000 ]
fact "bounded waiting: the ticket lock's longest streak is $(lcol ticket max_streak), test-and-set's $(lcol tas max_streak)" \
	[ "$(lcol ticket max_streak)" -le 2 -a "$(lcol ticket max_streak)" -lt "$(lcol tas max_streak)" ]
