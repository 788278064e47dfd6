/* SPDX-License-Identifier: GPL-2.0 */
/* threadtrace: the events the BPF programs send to user space. */
#ifndef THREADTRACE_H
#define THREADTRACE_H

/* The lecture's five states, as in enum vmlab_state5. */
enum tt_state {
	TT_INIT = 0,
	TT_READY = 1,
	TT_RUNNING = 2,
	TT_WAITING = 3,
	TT_FINISHED = 4,
};

enum tt_why {
	TT_WHY_NEWTASK, /* task_newtask: created, not runnable yet */
	TT_WHY_WAKEUP_NEW, /* sched_wakeup_new: first put on a run queue */
	TT_WHY_WAKEUP, /* sched_wakeup: the event it waited for came */
	TT_WHY_SWITCH_IN, /* sched_switch: chosen to run */
	TT_WHY_PREEMPT, /* sched_switch: switched out while runnable */
	TT_WHY_BLOCK, /* sched_switch: switched out to wait */
	TT_WHY_DEAD, /* sched_switch: its last switch out (TASK_DEAD) */
	TT_WHY_EXIT, /* sched_process_exit: it began to exit */
};

struct tt_event {
	unsigned long long ts_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	unsigned int tid;
	unsigned int tgid;
	unsigned int state; /* enum tt_state entered */
	unsigned int why; /* enum tt_why */
	unsigned int cpu;
	unsigned int kstate; /* sched_switch: prev_state */
	char comm[16];
};

#endif
