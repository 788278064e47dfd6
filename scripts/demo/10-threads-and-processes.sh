#!/bin/sh
# title: Threads and processes: ps -T and ps m views, one address space, own stacks
# concepts: C1 C6
# key-fact: 4 threads, 1 address space, 4 different stacks
echo "A process holds one or more threads. Each thread has its own TCB: its"
echo "registers, its stack and its state; all of them share the code, globals"
echo "and heap: one address space. threadpark starts a process with 2 threads"
echo "asleep on a futex, 1 spinning and 1 that returned at once (never joined)."
echo
threadpark -s 2 -r 1 -x 1 &
pid=$!
sleep 1
command -v pause >/dev/null && pause

echo "\$ threadview -p $pid          (the columns of ps -T, from one vmlab ioctl)"
threadview -p "$pid"
echo
echo "The main thread plus 3 live ones: the thread that returned is gone from"
echo "the kernel even though nobody joined it (pthread_join only reaps the"
echo "library's record). PID is the process (thread group), SPID the thread."
command -v pause >/dev/null && pause

echo
echo "\$ threadview -p $pid --tree -o pid,spid,tty,stat,state,psr,time,cmd   (ps m)"
threadview -p "$pid" --tree -o pid,spid,tty,stat,state,psr,time,cmd
echo
echo "STAT is the kernel's letter (S sleeping, R runnable, l: multi-threaded);"
echo "STATE is the lecture's name for it."
command -v pause >/dev/null && pause

echo
echo "Per-thread state: the user stack pointer (SP) and instruction pointer (IP)"
echo "saved at each thread's last kernel entry, read by the module (root only):"
echo "\$ threadview -p $pid -o spid,state,sp,ip,cmd"
threadview -p "$pid" -o spid,state,sp,ip,cmd
nthreads=$(ls /proc/$pid/task | wc -l)
nspaces=$(for t in /proc/$pid/task/*; do md5sum <"$t/maps"; done | sort -u | wc -l)
nstacks=$(threadview -q -p "$pid" -o sp --json | grep -c '"sp"')
nstacks_u=$(threadview -q -p "$pid" -o sp --json | grep '"sp"' | sort -u | wc -l)
echo
echo "Shared state: every /proc/$pid/task/TID/maps is the same map."
echo "$nthreads threads, $nspaces address space, $nstacks_u different stacks (of $nstacks)"
kill "$pid"
wait "$pid" 2>/dev/null
exit 0
