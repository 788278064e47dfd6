#!/bin/sh
# title: Processes and threads: fork/exec/wait vs pthread_create/join, and the clone() flags between them
# concepts: C3 C4
echo "A process is created with fork(), may exec() another program, ends with"
echo "exit() and is collected by its parent's wait(). A thread is created with"
echo "pthread_create(), ends by returning (pthread_exit) and is collected with"
echo "pthread_join(). forkbench does each pair again and again for 0.2 s and"
echo "counts how many per second this machine manages:"
echo
echo "\$ forkbench -m fork,fork+exec,pthread -n 3 -d 0.2 -w 0.05"
rates=$(forkbench -m fork,fork+exec,pthread -n 3 -d 0.2 -w 0.05 | grep -v '^# \(machine\|kernel\|THP\|VmSize\)')
echo "$rates"
# best RUN: max_per_s, the fastest of the runs: the first runs of an
# emulated CPU are slowed by its cold code cache, whichever method is first
best() { echo "$rates" | awk -v m="$1" '$1 == m { print $NF }'; }
fork=$(best fork) exec=$(best fork+exec) thread=$(best pthread)
echo
echo "Here, at best: $thread threads, $fork forks and $exec fork+execs per second."
if [ "$exec" -lt "$fork" ]; then
	echo "fork+exec was the slower: the exec loads a program after the fork."
else
	echo "fork+exec was not the slower this time: the exec loads a tiny static"
	echo "program, whose small address space is cheaper to tear down than a copy"
	echo "of forkbench's."
fi
pause
echo
echo "Linux has one system call under all of them: clone(). Its flags say what"
echo "the child shares with its parent. fork() is clone(SIGCHLD), vfork() adds"
echo "CLONE_VM|CLONE_VFORK, the old LinuxThreads shared VM, FS, FILES and"
echo "SIGHAND, and a real thread (NPTL, what pthread_create uses) also joins the"
echo "parent's thread group (CLONE_THREAD: same PID, own TID)."
echo
echo "Each child below looks for itself: kcmp() compares its memory, file"
echo "table, fs info (cwd, umask) and signal handlers with its parent's. It"
echo "also leaves a trace in each (writes a variable, dup()s a descriptor,"
echo "changes the umask, ignores SIGURG); the parent then looks whether the"
echo "trace reached it. Both views must agree with the flags:"
echo
echo "\$ forkbench --show-sharing"
sharing=$(forkbench --show-sharing | grep -v '^# \(machine\|kernel\|THP\)')
echo "$sharing"
rows=$(echo "$sharing" | awk '$NF == "say" && $(NF - 1) == "flags"' | wc -l)
all=$(echo "$sharing" | awk '$3 == "yes" || $3 == "no"' | wc -l)
group() { echo "$sharing" | awk -v m="$1" '$1 == m { print $5 }'; }
echo
fact "a thread is cheaper to make than a process: $thread vs $fork per s" [ "$thread" -gt "$fork" ]
fact "every child saw what its flags say: $rows of $all methods" [ "$rows" -eq "$all" -a "$all" -gt 0 ]
fact "fork's child has its own thread group, pthread's joins ours: $(group fork), $(group pthread)" \
	[ "$(group fork)/$(group pthread)" = own/same ]
