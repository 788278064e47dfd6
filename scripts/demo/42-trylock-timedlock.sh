#!/bin/sh
# title: The rest of the mutex API: trylock and timedlock against a held lock
# concepts: C11 C34
echo "pthread_mutex_lock waits as long as it takes. The lecture's API has two"
echo "calls that do not: pthread_mutex_trylock returns EBUSY at once when the"
echo "mutex is held, pthread_mutex_timedlock waits until an absolute deadline"
echo "and returns ETIMEDOUT if the mutex is still held then. A thread holds"
echo "the mutex 300 ms; the main thread asks four times:"
echo
echo "\$ racedemo trylock --hold 300ms --timeout 100ms"
out=$(racedemo trylock --hold 300ms --timeout 100ms)
ask "What does trylock return while another thread holds the mutex?" \
	"$(echo "$out" | awk '$1 == "trylock" && $2 == "(held)" { print $4 }')"
echo "$out"
# row CALL-PREFIX FIELD-FROM-END: returned is NF-1, waited_ms NF
row() { echo "$out" | awk -v c="$1" -v f="$2" 'index($0, c) == 1 { print $(NF - f) }'; }
released=$(echo "$out" | sed -n 's/^the holder released it at t=\([0-9.]*\) ms/\1/p')
long_end=$(echo "$out" | awk '/^timedlock 600 ms/ { print $(NF - 2) + $NF }')
within() { awk -v a="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(a >= lo && a <= hi) }'; }
short_timed_out() { [ "$(row 'timedlock 100' 1)" = ETIMEDOUT ] && within "$(row 'timedlock 100' 0)" 100 250; }
long_got_it() { [ "$(row 'timedlock 600' 1)" = 0 ] && within "$long_end" "$released" "$(awk -v r="$released" 'BEGIN { print r + 50 }')"; }
echo
echo "The long timedlock returned at t=$long_end ms; the holder had let go at t=$released ms."
echo
fact "trylock on a held mutex: $(row 'trylock (held)' 1) after $(row 'trylock (held)' 0) ms" \
	[ "$(row 'trylock (held)' 1)" = EBUSY ]
fact "timedlock 100 ms on a held mutex: $(row 'timedlock 100' 1) after $(row 'timedlock 100' 0) ms" short_timed_out
fact "timedlock 600 ms: $(row 'timedlock 600' 1), when the holder unlocked (t=$long_end vs $released ms)" long_got_it
fact "trylock on the free mutex: $(row 'trylock (free)' 1)" [ "$(row 'trylock (free)' 1)" = 0 ]
