// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab: batched thread information (VMLAB_IOC_THREADS).
 *
 * One call returns a record per thread of a thread group: what ps -T reads
 * from /proc/PID/task/TID/stat, plus the lecture's five-state view of the
 * scheduler state. The group is walked under RCU in short batches: between
 * batches the walk holds a reference on the last thread seen, drops RCU and
 * reschedules, so a group of many thousand threads neither stalls RCU nor
 * hogs the CPU. Records are collected in a kernel buffer sized by the
 * group's thread count (bounded by VMLAB_THREADS_MAX) and copied out once,
 * outside RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/prio.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "vmlab.h"

/* Most records one call returns; a larger group reports total > count. */
#define VMLAB_THREADS_MAX	65536
/* Threads handled per RCU read-side section. */
#define VMLAB_THREADS_BATCH	256
/* Room for threads created while the walk runs. */
#define VMLAB_THREADS_SLACK	64

/*
 * The lecture's five states, from the scheduler's view of one thread;
 * on_cpu is the value the record reports, so the two agree.
 */
static u32 vmlab_state5(struct task_struct *t, unsigned int index, bool on_cpu)
{
	if (vmlab_task_state(t) & TASK_NEW)
		return VMLAB_STATE_INIT;	/* in fork, never woken yet */
	switch (index) {
	case 0:		/* R: on a CPU, or on a run queue waiting for one */
		return on_cpu ? VMLAB_STATE_RUNNING : VMLAB_STATE_READY;
	case 5:		/* X */
	case 6:		/* Z */
		return VMLAB_STATE_FINISHED;
	default:	/* S D T t P I: blocked until an event */
		return VMLAB_STATE_WAITING;
	}
}

/*
 * User SP/IP as saved at the thread's last entry into the kernel. Only
 * for live user threads: the stack pointer is read once and, under RCU,
 * a freed stack stays mapped (thread stacks are freed after a grace
 * period or kept in a cache), so the read is safe even if the thread
 * exits meanwhile; the values are then simply stale. Where the registers
 * sit in the stack is task_pt_regs()'s business (x86 with FRED, 6.9+,
 * leaves 16 bytes above them); its offset is measured on our own stack,
 * so the other thread's stack pointer is read only once.
 */
static void vmlab_thread_regs(struct task_struct *t, struct vmlab_thread_info *ti)
{
	unsigned long offset = (unsigned long)task_pt_regs(current) -
			       (unsigned long)task_stack_page(current);
	struct pt_regs *regs;
	void *stack;

	if (t->flags & (PF_KTHREAD | PF_EXITING) || t->exit_state)
		return;
	stack = READ_ONCE(t->stack);
	if (!stack)
		return;
	regs = stack + offset;
	ti->user_sp = user_stack_pointer(regs);
	ti->user_ip = instruction_pointer(regs);
}

/*
 * Fill one record; the caller holds rcu_read_lock(). False for a thread
 * being released: its pids are detached before it leaves the group's
 * list, so it has no TID to report and is no longer part of the group.
 */
static bool vmlab_thread_fill(struct task_struct *t, struct pid_namespace *ns,
			      bool regs, struct vmlab_thread_info *ti)
{
	unsigned int index = task_state_index(t);
	u64 ut, st;

	memset(ti, 0, sizeof(*ti));
	ti->tid = __task_pid_nr_ns(t, PIDTYPE_PID, ns);
	ti->tgid = __task_pid_nr_ns(t, PIDTYPE_TGID, ns);
	if (!ti->tid || !ti->tgid)
		return false;
	get_task_comm(ti->comm, t);
	ti->state = index;
	ti->on_cpu = !!READ_ONCE(t->on_cpu);
	ti->state5 = vmlab_state5(t, index, ti->on_cpu);
	ti->cpu = task_cpu(t);
	ti->policy = t->policy;
	ti->prio = t->prio - MAX_RT_PRIO;
	ti->nice = task_nice(t);
	task_cputime_adjusted(t, &ut, &st);
	ti->utime_ns = ut;
	ti->stime_ns = st;
	ti->nvcsw = t->nvcsw;
	ti->nivcsw = t->nivcsw;
	ti->start_time_ns = t->start_time;
	ti->min_flt = t->min_flt;
	ti->maj_flt = t->maj_flt;
	if (regs)
		vmlab_thread_regs(t, ti);
	return true;
}

struct vmlab_walk {
	struct task_struct *task;	/* the thread the caller named */
	struct pid_namespace *ns;	/* the caller's: TIDs as it sees them */
	struct vmlab_thread_info *buf;
	u32 cap;			/* records buf holds */
	u32 filled;
	bool regs;
};

/*
 * Walk the group in batches. Between batches @last is referenced, so its
 * memory stays; back under RCU, pid_alive() tells whether it is still in
 * the group. If it is, it cannot be freed before the next
 * rcu_read_unlock() (release_task() drops the group's reference through
 * RCU), so our reference may go and the walk goes on from its list link.
 * If it left meanwhile, its link can no longer be followed and the
 * snapshot ends there: the caller sees count < total and may ask again.
 */
static int vmlab_threads_walk(struct vmlab_walk *w)
{
	struct signal_struct *sig = w->task->signal;
	struct task_struct *t, *last = NULL;
	unsigned int n;

	rcu_read_lock();
	t = list_entry(&sig->thread_head, struct task_struct, thread_node);
	for (;;) {
		n = 0;
		list_for_each_entry_continue_rcu(t, &sig->thread_head, thread_node) {
			if (w->filled == w->cap || n == VMLAB_THREADS_BATCH)
				break;
			last = t;
			n++;
			if (vmlab_thread_fill(t, w->ns, w->regs, &w->buf[w->filled]))
				w->filled++;
		}
		if (n < VMLAB_THREADS_BATCH || w->filled == w->cap)
			break;
		/* t is the thread after last (or the list head): go on from last */
		get_task_struct(last);
		rcu_read_unlock();
		cond_resched();
		if (fatal_signal_pending(current)) {
			put_task_struct(last);
			return -EINTR;
		}
		rcu_read_lock();
		if (!pid_alive(last)) {
			put_task_struct(last);
			break;
		}
		t = last;
		put_task_struct(last);
	}
	rcu_read_unlock();
	return 0;
}

static struct task_struct *vmlab_threads_target(pid_t nr)
{
	struct task_struct *task;
	struct pid *pid;

	pid = find_get_pid(nr);
	if (!pid)
		return NULL;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	return task;
}

long vmlab_threads_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_threads arg;
	struct vmlab_walk w = { };
	u32 nr_threads;
	int ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_THREADS_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (arg.flags & ~VMLAB_THREADS_REGS || arg.pad)
		return -EINVAL;
	if (arg.pid <= 0)
		return -EINVAL;
	if (arg.count && !arg.entries)
		return -EFAULT;
	if ((arg.flags & VMLAB_THREADS_REGS) && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	w.task = vmlab_threads_target(arg.pid);
	if (!w.task)
		return -ESRCH;
	ret = vmlab_threads_may_see(w.task);
	if (ret)
		goto out_task;

	w.ns = task_active_pid_ns(current);
	w.regs = arg.flags & VMLAB_THREADS_REGS;
	nr_threads = get_nr_threads(w.task);
	w.cap = min3(arg.count, nr_threads + VMLAB_THREADS_SLACK,
		     (u32)VMLAB_THREADS_MAX);
	if (w.cap) {
		w.buf = kvcalloc(w.cap, sizeof(*w.buf), GFP_KERNEL_ACCOUNT);
		if (!w.buf) {
			ret = -ENOMEM;
			goto out_task;
		}
		ret = vmlab_threads_walk(&w);
		if (ret)
			goto out_buf;
	}

	/* total is the group's size now; at least what was collected */
	arg.total = max_t(u32, get_nr_threads(w.task), w.filled);
	arg.count = w.filled;
	if (w.filled && copy_to_user(u64_to_user_ptr(arg.entries), w.buf,
				     array_size(w.filled, sizeof(*w.buf)))) {
		ret = -EFAULT;
		goto out_buf;
	}
	ret = vmlab_put_arg(uarg, &arg, sizeof(arg));
out_buf:
	kvfree(w.buf);
out_task:
	put_task_struct(w.task);
	return ret;
}
