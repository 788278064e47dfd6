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
echo "Three spinning threads on this VM's $(nproc) CPUs, traced for 1 s: they share"
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

# On PREEMPT_RT, FIFO spinners pinned to a CPU starve that CPU's RCU
# kthread (a FIFO thread too): the kernel reports an RCU stall. Not there.
fifo=yes
uname -v | grep -q PREEMPT_RT && fifo=
if [ -n "$fifo" ]; then
	echo
	echo "Running -> Ready also happens by the thread's own choice: thread_yield in"
	echo "the lecture, sched_yield here. Under SCHED_FIFO a thread has no time"
	echo "slice: nothing takes the CPU from it, it leaves only by blocking or"
	echo "yielding. Two FIFO spinners, then two FIFO yielders, on CPU 0 for 1 s:"
	# fifo_trace OPTION: threadtrace's table for two FIFO threads of that
	# kind, traced from their start (attaching BPF under TCG can take longer
	# than they live). threadpark's main thread, FIFO above them, stops
	# them after 1 s: FIFO spinners starve CPU 0's other threads.
	fifo_trace() {
		threadtrace -q -- sh -c "exec taskset -c 0 threadpark -F $1 2 -t 1 >/dev/null"
	}
	echo "\$ threadtrace -q -- taskset -c 0 threadpark -F -r 2 -t 1"
	st=$(fifo_trace -r)
	echo "$st"
	echo "\$ threadtrace -q -- taskset -c 0 threadpark -F -y 2 -t 1"
	yt=$(fifo_trace -y)
	echo "$yt"
	# runs TABLE: the RUNS of its threads (TID COMM READY RUNNING WAITING RUNS ...), summed
	runs() { echo "$1" | awk '$2 ~ /^(spinner|yielder)/ { s += $6 } END { print s + 0 }'; }
	waiting() { echo "$1" | awk '$2 ~ /^(spinner|yielder)/ { s += $5 } END { print s + 0 }'; }
	wakeups() { echo "$1" | awk '$2 ~ /^(spinner|yielder)/ { s += $7 } END { print s + 0 }'; }
	sr=$(runs "$st") yr=$(runs "$yt")
	echo
	echo "The spinners switched $sr times in all: a FIFO thread is not preempted"
	echo "for its peer (the kernel's RT throttling leaves others 5%). The yielders"
	echo "switched $yr times, each time Running -> Ready by their own call, and"
	echo "hardly waited: $(wakeups "$yt") wakeups, WAITING $(waiting "$yt") ms in all (a"
	echo "thread may wait once as it starts)."
else
	echo
	echo "(The SCHED_FIFO yield part is left out on PREEMPT_RT: FIFO spinners"
	echo "would starve this kernel's RCU threads.)"
fi
# spinners: their lines in the summary table (TID COMM READY RUNNING ...)
nspin=$(echo "$spin" | awk '$2 ~ /^spinner/' | wc -l)
nready=$(echo "$spin" | awk '$2 ~ /^spinner/ && $3 > 0 && $8 > 0' | wc -l)
echo
fact "the new thread went Init, Ready, Running, Waiting, ..., Finished: path $path" \
	matches "$path" '^IRU.*W.*F$'
fact "Waiting never led straight to Running (no Waiting -> Running line)" \
	lacks "$out" 'Waiting +-> Running'
fact "3 spinners on $(nproc) CPUs: $nready of $nspin were preempted and waited Ready" [ "$nready$nspin" = 33 ]
if [ -n "$fifo" ]; then
	fact "yield moves a FIFO thread Running -> Ready: $yr switches vs $sr without it" [ "$yr" -gt $((10 * sr + 10)) ]
	fact "the yielders' switches were yields, not waits: $yr runs, $(wakeups "$yt") after a wakeup" \
		[ "$(wakeups "$yt")" -le 2 ]
fi
