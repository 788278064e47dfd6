// SPDX-License-Identifier: GPL-2.0
/*
 * threadtrace: every transition of the traced threads between the
 * lecture's five states, from the scheduler's own tracepoints (BTF-typed,
 * so no tracefs is needed).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "threadtrace.h"

#define TASK_DEAD_BIT 0x80 /* TASK_DEAD in prev_state */

char LICENSE[] SEC("license") = "GPL";

/* Set by user space before load: 0 means any. */
const volatile __u32 targ_tgid;
const volatile __u32 targ_tid;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* Events lost because the ring buffer was full. */
__u64 dropped;

static __always_inline bool wanted(struct task_struct *t)
{
	if (targ_tgid && BPF_CORE_READ(t, tgid) != targ_tgid)
		return false;
	if (targ_tid && BPF_CORE_READ(t, pid) != targ_tid)
		return false;
	return true;
}

static __always_inline void emit(struct task_struct *t, __u32 state, __u32 why,
				 __u32 kstate)
{
	struct tt_event *e;

	if (!wanted(t))
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->tid = BPF_CORE_READ(t, pid);
	e->tgid = BPF_CORE_READ(t, tgid);
	e->state = state;
	e->why = why;
	e->cpu = bpf_get_smp_processor_id();
	e->kstate = kstate;
	BPF_CORE_READ_STR_INTO(&e->comm, t, comm);
	/* no wakeup per event: waking the reader would perturb what is traced */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/*
 * A tracepoint whose first argument is the task that enters state: the
 * program emits that one event (task_newtask's clone_flags go unread).
 */
#define TT_EVENT(name, tp, state, why)            \
	SEC("tp_btf/" tp)                         \
	int BPF_PROG(name, struct task_struct *p) \
	{                                         \
		emit(p, state, why, 0);           \
		return 0;                         \
	}

TT_EVENT(tt_newtask, "task_newtask", TT_INIT, TT_WHY_NEWTASK)
TT_EVENT(tt_wakeup_new, "sched_wakeup_new", TT_READY, TT_WHY_WAKEUP_NEW)
TT_EVENT(tt_wakeup, "sched_wakeup", TT_READY, TT_WHY_WAKEUP)
TT_EVENT(tt_exit, "sched_process_exit", TT_RUNNING, TT_WHY_EXIT)

/* Before 5.14 task_struct's state was "long state". */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

/*
 * The state prev is leaving the CPU in: what the scheduler passes as
 * prev_state (an argument only since 5.18) is read from prev itself.
 */
static __always_inline unsigned int task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)t, state);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tt_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	unsigned int prev_state = task_state(prev);

	if (prev_state & TASK_DEAD_BIT)
		emit(prev, TT_FINISHED, TT_WHY_DEAD, prev_state);
	else if (preempt || !prev_state)
		emit(prev, TT_READY, TT_WHY_PREEMPT, prev_state);
	else
		emit(prev, TT_WAITING, TT_WHY_BLOCK, prev_state);
	emit(next, TT_RUNNING, TT_WHY_SWITCH_IN, 0);
	return 0;
}
