#!/bin/sh
# title: Thread states: Init, Ready, Running, Waiting, Finished, traced live
# concepts: C2
# needs: btf
echo "The lecture's thread life cycle: Init while the TCB is built, Ready on"
echo "the run queue, Running on a CPU, Waiting for an event, Finished. BPF"
echo "programs on the scheduler's tracepoints (task_newtask, sched_wakeup_new,"
echo "sched_wakeup, sched_switch) report every transition of the traced threads."
echo
echo "threadpark -l 1 starts a thread that sleeps 10 ms, computes, and returns."
echo "\$ threadtrace -- threadpark -l 1      (the new thread's lines)"
out=$(threadtrace -- threadpark -l 1)
# the TIDs that were ever named life*: their lines, from Init on
tids=$(echo "$out" | awk '$3 ~ /^life/ { print $2 }' | sort -u | tr '\n' ' ')
life=$(echo "$out" | awk -v t="$tids" 'BEGIN { n = split(t, a, " "); for (i = 1; i <= n; i++) k[a[i]] = 1 }
	/^ +TIME/ || /^ *TID / || ($2 in k) || ($1 in k)')
echo "$life"
path=$(echo "$life" | awk '$2 ~ /^life/ { print $NF }')
echo
echo "PATH: I Init, R Ready, U rUnning, W Waiting, F Finished; (RU)xN is N"
echo "preemptions (Running -> Ready -> Running). A new thread starts as Init"
echo "(named like its creator until it names itself), and Waiting never leads"
echo "straight to Running: the wakeup puts it on the ready queue first."
pause

echo
echo "Three spinning threads on this VM's 2 CPUs, traced for 1 s: they share"
echo "the CPUs, so each is Running part of the time and Ready (preempted,"
echo "waiting in the run queue for a CPU) the rest; the sleeper stays Waiting"
echo "and never moves, so it has no line."
threadpark -s 1 -r 3 -t 30 >/dev/null &
pid=$!
sleep 1
echo "\$ threadtrace -q -H -d 1 -p $pid"
spin=$(threadtrace -q -H -d 1 -p "$pid")
echo "$spin"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
# spinners: their lines in the summary table (TID COMM READY RUNNING ...)
nspin=$(echo "$spin" | awk '$2 ~ /^spinner/' | wc -l)
nready=$(echo "$spin" | awk '$2 ~ /^spinner/ && $3 > 0 && $8 > 0' | wc -l)
echo
fact "the new thread went Init, Ready, Running, Waiting, ..., Finished: path $path" \
	matches "$path" '^IRU.*W.*F$'
fact "Waiting never led straight to Running (no Waiting -> Running line)" \
	lacks "$out" 'Waiting +-> Running'
fact "3 spinners on 2 CPUs: $nready of $nspin were preempted and waited Ready" [ "$nready$nspin" = 33 ]
