// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab kernel counters: one 64-bit value shared by every opener of
 * /dev/vmlab, updated under the synchronisation its mode names, so a
 * student can measure what a lock buys and what it costs.
 *
 * Lifetime: counters live in an allocating xarray (ids from 1). Lookups run
 * under RCU and take a reference with refcount_inc_not_zero(), so an ADD in
 * flight keeps its counter alive while another caller destroys it; the
 * memory goes with the last reference, after an RCU grace period. Creation,
 * destruction and name lookups are serialised by vmlab_ctr_lock, which also
 * guards the count bounded by the ctr_max module parameter; it is never
 * held across a copy to or from user space.
 *
 * The racy mode is a data race by design, on a single aligned s64 accessed
 * with READ_ONCE()/WRITE_ONCE(): updates are lost, nothing is torn, and the
 * counter structure itself is never touched without its reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "vmlab.h"

static unsigned int ctr_max = 256;
module_param(ctr_max, uint, 0644);
MODULE_PARM_DESC(ctr_max, "Most kernel counters that may exist at once (default 256)");

struct vmlab_ctr {
	refcount_t ref;
	struct rcu_head rcu;
	u32 mode;			/* enum vmlab_ctr_mode, fixed at creation */
	u32 delay_ns;			/* widening delay inside the RMW */
	char name[VMLAB_NAME_MAX];

	s64 value;			/* MUTEX, SPINLOCK, RACY */
	atomic64_t avalue;		/* ATOMIC */
	struct mutex mutex;		/* MUTEX: guards value */
	spinlock_t lock;		/* SPINLOCK: guards value */

	/* Statistics: atomics, so the racy mode keeps exact ones too. */
	atomic64_t ops;
	atomic64_t contended;
	atomic64_t wait_ns_total;
	atomic64_t wait_ns_max;
	atomic_t inside;		/* callers inside the RMW now */
	atomic_t max_inside;
};

static DEFINE_XARRAY_ALLOC1(vmlab_ctrs);
static DEFINE_MUTEX(vmlab_ctr_lock);	/* create/destroy/name lookup */
static unsigned int vmlab_ctr_count;	/* under vmlab_ctr_lock */

static void vmlab_ctr_put(struct vmlab_ctr *c)
{
	if (refcount_dec_and_test(&c->ref)) {
		atomic_long_dec(&vmlab_stats.counters);
		/* Lookups fail from now on (refcount 0): nobody takes the mutex again. */
		mutex_destroy(&c->mutex);
		/* kfree_rcu runs no code of ours: unload need not wait for it. */
		kfree_rcu(c, rcu);
	}
}

/* The counter with this id, referenced, or NULL. */
static struct vmlab_ctr *vmlab_ctr_get(u32 id)
{
	struct vmlab_ctr *c;

	rcu_read_lock();
	c = xa_load(&vmlab_ctrs, id);
	if (c && !refcount_inc_not_zero(&c->ref))
		c = NULL;
	rcu_read_unlock();
	return c;
}

/* Caller holds vmlab_ctr_lock: names are compared only under it. */
static struct vmlab_ctr *vmlab_ctr_find_name(const char *name, unsigned long *id)
{
	struct vmlab_ctr *c;

	xa_for_each(&vmlab_ctrs, *id, c)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Keep the highest value seen in *max; lock-free, racing updaters agree. */
static void vmlab_ctr_track_max64(atomic64_t *max, s64 v)
{
	s64 old = atomic64_read(max);

	while (v > old && !atomic64_try_cmpxchg(max, &old, v))
		;
}

static void vmlab_ctr_track_max(atomic_t *max, int v)
{
	int old = atomic_read(max);

	while (v > old && !atomic_try_cmpxchg(max, &old, v))
		;
}

static void vmlab_ctr_waited(struct vmlab_ctr *c, u64 t0)
{
	s64 ns = local_clock() - t0;

	atomic64_inc(&c->contended);
	atomic64_add(ns, &c->wait_ns_total);
	vmlab_ctr_track_max64(&c->wait_ns_max, ns);
}

/*
 * The read-modify-write of the lecture's "saldo = saldo + x": load, widen
 * the window, store. Two's complement wrap is done in u64 so an overflow is
 * defined behaviour (S64_MAX + 1 == S64_MIN).
 */
static s64 vmlab_ctr_rmw(struct vmlab_ctr *c, s64 delta)
{
	s64 v;

	atomic64_inc(&c->ops);
	if (c->mode == VMLAB_CTR_ATOMIC)
		return atomic64_add_return(delta, &c->avalue);

	vmlab_ctr_track_max(&c->max_inside, atomic_inc_return(&c->inside));
	v = READ_ONCE(c->value);
	if (c->delay_ns)
		ndelay(c->delay_ns);
	v = (s64)((u64)v + (u64)delta);
	WRITE_ONCE(c->value, v);
	atomic_dec(&c->inside);
	return v;
}

static void vmlab_ctr_set(struct vmlab_ctr *c, s64 v)
{
	if (c->mode == VMLAB_CTR_ATOMIC)
		atomic64_set(&c->avalue, v);
	else
		WRITE_ONCE(c->value, v);
}

static s64 vmlab_ctr_read(struct vmlab_ctr *c)
{
	if (c->mode == VMLAB_CTR_ATOMIC)
		return atomic64_read(&c->avalue);
	return READ_ONCE(c->value);
}

static int vmlab_ctr_check_create(const struct vmlab_ctr_create *cc)
{
	if (cc->flags & ~VMLAB_CTR_EXCL || cc->pad)
		return -EINVAL;
	if (cc->mode >= VMLAB_CTR_MODES || cc->delay_ns > VMLAB_CTR_DELAY_MAX_NS)
		return -EINVAL;
	/* An atomic add has no window to widen. */
	if (cc->mode == VMLAB_CTR_ATOMIC && cc->delay_ns)
		return -EINVAL;
	if (strnlen(cc->name, VMLAB_NAME_MAX) == VMLAB_NAME_MAX)
		return -EINVAL;
	if ((cc->flags & VMLAB_CTR_EXCL) && !cc->name[0])
		return -EINVAL;
	return 0;
}

static struct vmlab_ctr *vmlab_ctr_alloc(const struct vmlab_ctr_create *cc)
{
	struct vmlab_ctr *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return NULL;
	atomic_long_inc(&vmlab_stats.counters);
	refcount_set(&c->ref, 1);
	c->mode = cc->mode;
	c->delay_ns = cc->delay_ns;
	strscpy(c->name, cc->name, sizeof(c->name));
	mutex_init(&c->mutex);
	spin_lock_init(&c->lock);
	return c;
}

/* Under vmlab_ctr_lock: the id of the named counter cc may join, or 0. */
static int vmlab_ctr_join_locked(const struct vmlab_ctr_create *cc, u32 *id)
{
	struct vmlab_ctr *c;
	unsigned long idx;

	*id = 0;
	if (!cc->name[0])
		return 0;
	c = vmlab_ctr_find_name(cc->name, &idx);
	if (!c)
		return 0;
	/* Joining is for the same kind of counter only. */
	if ((cc->flags & VMLAB_CTR_EXCL) || c->mode != cc->mode || c->delay_ns != cc->delay_ns)
		return -EEXIST;
	*id = idx;
	return 0;
}

/*
 * Reserve an id for a new counter (an xarray slot holding nothing yet, so
 * no lookup finds it), or find the named counter to join: *joined then.
 */
static int vmlab_ctr_reserve(struct vmlab_ctr_create *cc, bool *joined)
{
	int ret;

	if (mutex_lock_killable(&vmlab_ctr_lock))
		return -EINTR;
	ret = vmlab_ctr_join_locked(cc, &cc->id);
	*joined = cc->id;
	if (ret || *joined)
		goto out;
	ret = -ENOSPC;
	if (vmlab_ctr_count >= READ_ONCE(ctr_max))
		goto out;
	ret = xa_alloc(&vmlab_ctrs, &cc->id, NULL, XA_LIMIT(1, INT_MAX), GFP_KERNEL_ACCOUNT);
	if (ret == -EBUSY)
		ret = -ENOSPC;
	if (!ret)
		vmlab_ctr_count++;
out:
	mutex_unlock(&vmlab_ctr_lock);
	return ret;
}

/* Under vmlab_ctr_lock: free a reserved slot again. */
static void vmlab_ctr_unreserve_locked(u32 id)
{
	xa_erase(&vmlab_ctrs, id);
	vmlab_ctr_count--;
}

/*
 * Put counter c into its reserved slot: 0. Another CREATE of the same name
 * may have come first meanwhile: then the slot and c go, and cc becomes a
 * join of that counter (1) or fails (-EEXIST).
 */
static int vmlab_ctr_publish(struct vmlab_ctr_create *cc, struct vmlab_ctr *c)
{
	u32 other;
	int ret;

	mutex_lock(&vmlab_ctr_lock);
	ret = vmlab_ctr_join_locked(cc, &other);
	if (!ret && !other) {
		xa_store(&vmlab_ctrs, cc->id, c, GFP_KERNEL_ACCOUNT);
		mutex_unlock(&vmlab_ctr_lock);
		return 0;
	}
	vmlab_ctr_unreserve_locked(cc->id);
	mutex_unlock(&vmlab_ctr_lock);
	vmlab_ctr_put(c);
	cc->id = other;
	return ret ?: 1;
}

/*
 * No lock is held while the id is copied out: a caller whose struct
 * faults slowly (userfaultfd, FUSE) must not stop other users' CREATE and
 * DESTROY. So a new counter is published only after its creator learnt
 * its id; until then its slot is reserved and empty.
 */
long vmlab_ctr_create_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_ctr_create cc;
	struct vmlab_ctr *c;
	bool joined;
	int ret;

	ret = vmlab_get_arg(&cc, sizeof(cc), VMLAB_CTR_CREATE_SIZE_VER0, uarg);
	if (ret)
		return ret;
	ret = vmlab_ctr_check_create(&cc);
	if (ret)
		return ret;
	ret = vmlab_ctr_reserve(&cc, &joined);
	if (ret)
		return ret;
	ret = vmlab_put_arg(uarg, &cc, sizeof(cc));
	if (joined)
		return ret;

	c = ret ? NULL : vmlab_ctr_alloc(&cc);
	if (!c) {
		mutex_lock(&vmlab_ctr_lock);
		vmlab_ctr_unreserve_locked(cc.id);
		mutex_unlock(&vmlab_ctr_lock);
		return ret ?: -ENOMEM;
	}
	ret = vmlab_ctr_publish(&cc, c);
	if (ret <= 0)
		return ret;
	return vmlab_put_arg(uarg, &cc, sizeof(cc));
}

/*
 * Copy in a vmlab_ctr_op and reference its counter. value is output only,
 * so its input is ignored (callers reuse one struct in a loop).
 */
static int vmlab_ctr_op_get(struct vmlab_ctr_op *op, void __user *uarg,
			    bool takes_delta, struct vmlab_ctr **cp)
{
	int ret;

	ret = vmlab_get_arg(op, sizeof(*op), VMLAB_CTR_OP_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (op->flags || op->pad)
		return -EINVAL;
	if (!takes_delta && op->delta)
		return -EINVAL;
	*cp = vmlab_ctr_get(op->id);
	return *cp ? 0 : -ENOENT;
}

static long vmlab_ctr_op_put(struct vmlab_ctr_op *op, void __user *uarg,
			     struct vmlab_ctr *c)
{
	vmlab_ctr_put(c);
	return vmlab_put_arg(uarg, op, sizeof(*op));
}

/* Mutex mode: try first, so a held lock is counted, then sleep killably. */
static int vmlab_ctr_add_mutex(struct vmlab_ctr *c, s64 delta, s64 *value)
{
	u64 t0;

	if (!mutex_trylock(&c->mutex)) {
		t0 = local_clock();
		if (mutex_lock_killable(&c->mutex))
			return -EINTR;
		vmlab_ctr_waited(c, t0);
	}
	*value = vmlab_ctr_rmw(c, delta);
	mutex_unlock(&c->mutex);
	return 0;
}

static s64 vmlab_ctr_add_spin(struct vmlab_ctr *c, s64 delta)
{
	u64 t0;
	s64 v;

	if (!spin_trylock(&c->lock)) {
		t0 = local_clock();
		spin_lock(&c->lock);
		vmlab_ctr_waited(c, t0);
	}
	v = vmlab_ctr_rmw(c, delta);
	spin_unlock(&c->lock);
	return v;
}

long vmlab_ctr_add_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_ctr_op op;
	struct vmlab_ctr *c;
	int ret;

	ret = vmlab_ctr_op_get(&op, uarg, true, &c);
	if (ret)
		return ret;
	switch (c->mode) {
	case VMLAB_CTR_MUTEX:
		ret = vmlab_ctr_add_mutex(c, op.delta, &op.value);
		break;
	case VMLAB_CTR_SPINLOCK:
		op.value = vmlab_ctr_add_spin(c, op.delta);
		break;
	default:	/* RACY and ATOMIC take no lock */
		op.value = vmlab_ctr_rmw(c, op.delta);
	}
	if (ret) {
		vmlab_ctr_put(c);
		return ret;
	}
	return vmlab_ctr_op_put(&op, uarg, c);
}

/* GET or RESET with the counter's lock held, if it has one. */
static void vmlab_ctr_get_or_reset_locked(struct vmlab_ctr *c,
					  struct vmlab_ctr_op *op, bool reset)
{
	if (reset) {
		/* A fresh start: the statistics describe the new run only. */
		vmlab_ctr_set(c, op->delta);
		atomic64_set(&c->ops, 0);
		atomic64_set(&c->contended, 0);
		atomic64_set(&c->wait_ns_total, 0);
		atomic64_set(&c->wait_ns_max, 0);
		atomic_set(&c->max_inside, 0);
	} else {
		atomic64_inc(&c->ops);
	}
	op->value = vmlab_ctr_read(c);
}

/* GET and RESET: under the lock, without contention statistics. */
static long vmlab_ctr_get_or_reset(void __user *uarg, bool reset)
{
	struct vmlab_ctr_op op;
	struct vmlab_ctr *c;
	int ret;

	ret = vmlab_ctr_op_get(&op, uarg, reset, &c);
	if (ret)
		return ret;
	switch (c->mode) {
	case VMLAB_CTR_MUTEX:
		if (mutex_lock_killable(&c->mutex)) {
			vmlab_ctr_put(c);
			return -EINTR;
		}
		vmlab_ctr_get_or_reset_locked(c, &op, reset);
		mutex_unlock(&c->mutex);
		break;
	case VMLAB_CTR_SPINLOCK:
		spin_lock(&c->lock);
		vmlab_ctr_get_or_reset_locked(c, &op, reset);
		spin_unlock(&c->lock);
		break;
	default:
		vmlab_ctr_get_or_reset_locked(c, &op, reset);
	}
	return vmlab_ctr_op_put(&op, uarg, c);
}

long vmlab_ctr_get_ioctl(struct file *file, void __user *uarg)
{
	return vmlab_ctr_get_or_reset(uarg, false);
}

long vmlab_ctr_reset_ioctl(struct file *file, void __user *uarg)
{
	return vmlab_ctr_get_or_reset(uarg, true);
}

long vmlab_ctr_destroy_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_ctr_op op;
	struct vmlab_ctr *c;
	int ret;

	ret = vmlab_get_arg(&op, sizeof(op), VMLAB_CTR_OP_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (op.flags || op.pad || op.delta)
		return -EINVAL;

	/* Ids start at 1: erasing index 0 would make it allocatable again. */
	if (!op.id)
		return -ENOENT;
	if (mutex_lock_killable(&vmlab_ctr_lock))
		return -EINTR;
	/* A reserved slot (a CREATE in progress) is nothing to destroy yet. */
	c = xa_load(&vmlab_ctrs, op.id);
	if (c) {
		xa_erase(&vmlab_ctrs, op.id);
		vmlab_ctr_count--;
	}
	mutex_unlock(&vmlab_ctr_lock);
	if (!c)
		return -ENOENT;
	/* In-flight operations hold their own references. */
	op.value = vmlab_ctr_read(c);
	vmlab_ctr_put(c);
	return vmlab_put_arg(uarg, &op, sizeof(op));
}

long vmlab_ctr_stat_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_ctr_stat st;
	struct vmlab_ctr *c;
	u32 id, usize;
	int ret;

	ret = vmlab_get_arg(&st, sizeof(st), VMLAB_CTR_STAT_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (st.flags)
		return -EINVAL;
	id = st.id;
	c = vmlab_ctr_get(id);
	if (!c)
		return -ENOENT;

	usize = st.size;
	memset(&st, 0, sizeof(st));
	st.size = usize;
	st.id = id;
	st.mode = c->mode;
	memcpy(st.name, c->name, sizeof(st.name));
	st.value = vmlab_ctr_read(c);
	st.ops = atomic64_read(&c->ops);
	st.contended = atomic64_read(&c->contended);
	st.wait_ns_total = atomic64_read(&c->wait_ns_total);
	st.wait_ns_max = atomic64_read(&c->wait_ns_max);
	st.max_concurrency = atomic_read(&c->max_inside);
	st.delay_ns = c->delay_ns;
	vmlab_ctr_put(c);
	return vmlab_put_arg(uarg, &st, sizeof(st));
}

void vmlab_ctr_exit(void)
{
	struct vmlab_ctr *c;
	unsigned long id;

	/* No file is open any more, so no operation holds a reference. */
	xa_for_each(&vmlab_ctrs, id, c) {
		xa_erase(&vmlab_ctrs, id);
		vmlab_ctr_put(c);
	}
	xa_destroy(&vmlab_ctrs);
}
