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
pause

echo
echo "Running -> Ready also happens by the thread's own choice: thread_yield in"
echo "the lecture, sched_yield here. A spinner and a yielder (a loop of"
echo "sched_yield calls) pinned together on CPU 0, traced for 1 s:"
taskset -c 0 threadpark -r 1 -y 1 -t 30 >/dev/null &
ypid=$!
sleep 1
echo "\$ threadtrace -q -d 1 -p $ypid       (threadpark -r 1 -y 1 under taskset -c 0)"
yt=$(threadtrace -q -d 1 -p "$ypid")
echo "$yt"
kill "$ypid" 2>/dev/null
wait "$ypid" 2>/dev/null
# ycol COMM FIELD: READY 3, RUNNING 4, WAITING 5, RUNS 6 of the summary table
ycol() { echo "$yt" | awk -v c="$1" -v f="$2" '$2 == c { print $f }'; }
gave_up() { awk -v yr="$(ycol yielder0 6)" -v sr="$(ycol spinner0 6)" -v yu="$(ycol yielder0 4)" \
	-v su="$(ycol spinner0 4)" 'BEGIN { exit !(yr > sr && yu < su) }'; }
echo
echo "The yielder ran $(ycol yielder0 6) times for $(ycol yielder0 4) ms, the spinner $(ycol spinner0 6) times for"
echo "$(ycol spinner0 4) ms: each yield put the yielder back on the ready queue and let"
echo "the spinner run; neither waited for anything (WAITING $(ycol yielder0 5) and $(ycol spinner0 5) ms)."
# spinners: their lines in the summary table (TID COMM READY RUNNING ...)
nspin=$(echo "$spin" | awk '$2 ~ /^spinner/' | wc -l)
nready=$(echo "$spin" | awk '$2 ~ /^spinner/ && $3 > 0 && $8 > 0' | wc -l)
echo
fact "the new thread went Init, Ready, Running, Waiting, ..., Finished: path $path" \
	matches "$path" '^IRU.*W.*F$'
fact "Waiting never led straight to Running (no Waiting -> Running line)" \
	lacks "$out" 'Waiting +-> Running'
fact "3 spinners on 2 CPUs: $nready of $nspin were preempted and waited Ready" [ "$nready$nspin" = 33 ]
fact "yield: Running -> Ready more often ($(ycol yielder0 6) vs $(ycol spinner0 6) runs), less CPU than the spinner" gave_up
fact "a yielder is never Waiting: $(ycol yielder0 5) ms" [ "$(ycol yielder0 5)" = 0.000 ]
