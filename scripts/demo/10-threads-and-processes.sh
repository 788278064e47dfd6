#!/bin/sh
# title: Threads and processes: ps -T and ps m views, one address space, own stacks
# concepts: C1 C6
echo "A process holds one or more threads. Each thread has its own TCB: its"
echo "registers, its stack and its state; all of them share the code, globals"
echo "and heap: one address space. threadpark starts a process with 2 threads"
echo "asleep on a futex, 1 spinning and 1 that returned at once (never joined)."
echo
threadpark -s 2 -r 1 -x 1 &
pid=$!
sleep 1
pause

echo "\$ threadview -p $pid          (the columns of ps -T, from one vmlab ioctl)"
view=$(threadview -p "$pid")
echo "$view"
listed=$(echo "$view" | grep -c "^ *$pid ")
echo
echo "threadpark made 5 threads with main; $listed are listed. A thread"
echo "that returned is gone from the kernel even if nobody joined it"
echo "(pthread_join only reaps the library's record). PID is the process"
echo "(thread group), SPID the thread."
pause

echo
echo "\$ threadview -p $pid --tree -o pid,spid,tty,stat,state,psr,time,cmd   (ps m)"
tree=$(threadview -p "$pid" --tree -o pid,spid,tty,stat,state,psr,time,cmd)
echo "$tree"
echo
echo "STAT is the kernel's letter (S sleeping, R runnable, l: multi-threaded);"
echo "STATE is the lecture's name for it."
pause

echo
if [ "${vm_arch:-x86-64}" = arm64 ]; then
	echo "Per-thread state: the user stack pointer (SP) and program counter (PC,"
	echo "arm64's name for the instruction pointer) saved at each thread's last"
	echo "kernel entry, read by the module (root only):"
else
	echo "Per-thread state: the user stack pointer (SP) and instruction pointer (IP)"
	echo "saved at each thread's last kernel entry, read by the module (root only):"
fi
echo "\$ threadview -p $pid -o spid,state,sp,ip,cmd"
regs=$(threadview -p "$pid" -o spid,state,sp,ip,cmd)
echo "$regs"
nthreads=$(ls /proc/$pid/task | wc -l)
nsp=$(echo "$regs" | awk '$3 ~ /^0x/ { print $3 }' | sort -u | wc -l)
# Shared state: translate one thread's stack address through the page
# table of every thread. One address space = one table = one frame.
sp=$(echo "$regs" | awk '$5 == "sleeper0" { print $3 }')
echo
echo "Shared state: sleeper0's stack address $sp, walked through the page"
echo "table of each thread (ptdump --explain VA TID):"
for t in /proc/$pid/task/*; do
	tid=${t##*/}
	phys=$(ptdump --explain "${sp#0x}" "$tid" | sed -n 's/^ *physical address //p')
	echo "  thread $tid: physical address ${phys:-none}"
	echo "$phys"
done >/tmp/ch10.$$
grep '^  ' /tmp/ch10.$$
nphys=$(grep -v '^  ' /tmp/ch10.$$ | sort -u | grep -c .)
rm -f /tmp/ch10.$$
kill "$pid"
wait "$pid" 2>/dev/null
echo
fact "the thread that returned is gone: $listed threads listed of 5 created" [ "$listed" -eq 4 ]
states_as_parked() {
	echo "$tree" | awk '/sleeper/ && $5 != "Waiting" { bad = 1 }
		/spinner/ && $4 !~ /^R/ { bad = 1 } END { exit bad }'
}
fact "the sleepers are Waiting (S), the spinner Running or Ready (R)" states_as_parked
fact "each of the $nthreads threads has its own stack: $nsp different SPs" [ "$nsp" -eq "$nthreads" ]
fact "one address space: every thread's table maps $sp to one frame ($nphys distinct)" [ "$nphys" -eq 1 ]
