// SPDX-License-Identifier: GPL-2.0
/*
 * VMLAB_IOC_PT_QUERY: the entries that map a range of a process's address
 * space, one record per entry or per run of like entries.
 *
 * Records are gathered into a small kernel buffer during a walk pass and
 * copied out by the flush callback, with no lock held, so a fault on the
 * user's buffer never nests inside the mmap lock.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "pt.h"

/* Records buffered in the kernel between two copies to user space. */
#define PT_CHUNK	64

struct pt_query {
	struct pt_walk walk;
	struct vmlab_pte *buf;		/* chunk of records, NULL: count only */
	struct vmlab_pte __user *out;	/* the caller's array */
	u32 n;				/* records in buf */
	u32 done;			/* records copied out */
	u32 count;			/* the caller's capacity */
	bool show_pfn;
	bool show_ad;			/* accessed and dirty bits */
	bool levels;			/* VMLAB_PT_LEVELS */
	bool runs;			/* VMLAB_PT_RUNS */
	u64 run_raw;			/* raw entry that started the last record */
	u64 run_same;			/* its bits that a run keeps: all but the PFN */
};

static struct pt_query *to_query(struct pt_walk *w)
{
	return container_of(w, struct pt_query, walk);
}

static u64 pt_level_size(u32 level)
{
	return level == VMLAB_LEVEL_PUD ? PUD_SIZE :
	       level == VMLAB_LEVEL_PMD ? PMD_SIZE : PAGE_SIZE;
}

static u32 pt_record_level(int slot)
{
	return PT_PTE - slot + VMLAB_LEVEL_PTE;
}

/* With VMLAB_PT_RUNS: extend the last record if this entry continues it. */
static bool pt_extend_run(struct pt_query *q, unsigned long va, u32 flags, int slot)
{
	struct vmlab_pte *last;
	u32 level = pt_record_level(slot);

	if (!q->runs || !q->n)
		return false;
	last = &q->buf[q->n - 1];
	if (last->level != level || last->flags != flags ||
	    last->va + last->nr * pt_level_size(level) != va)
		return false;
	last->nr++;
	return true;
}

/*
 * Fast path of VMLAB_PT_RUNS over a populated range: a present PTE whose
 * bits other than the frame number equal those of the run it follows gets
 * the same decoded flags (the zero page aside, which depends on the frame),
 * so the run grows without decoding it again.
 */
static bool pt_same_as_run(struct pt_query *q, unsigned long addr, pte_t pte)
{
	struct vmlab_pte *last;

	if (!q->runs || !q->n)
		return false;
	last = &q->buf[q->n - 1];
	if (last->level != VMLAB_LEVEL_PTE || !(last->flags & VMLAB_PTE_PRESENT) ||
	    last->va + last->nr * PAGE_SIZE != addr ||
	    ((pte_val(pte) ^ q->run_raw) & q->run_same) || !pte_present(pte) ||
	    (last->flags & VMLAB_PTE_ZERO_PAGE) || is_zero_pfn(pte_pfn(pte)))
		return false;
	last->nr++;
	return true;
}

/*
 * With VMLAB_PT_RUNS, after the entry at addr made or grew a run of
 * present pages: the entries after it in the same table that only
 * continue the run (equal but for the frame number, not the zero page)
 * are counted in one tight loop, not decoded one by one. The walk steps
 * over them (pt_walk.pte_skip).
 */
static void pt_run_ahead(struct pt_query *q, unsigned long addr, pte_t *ptep)
{
	struct vmlab_pte *last = &q->buf[q->n - 1];
	unsigned long i, nr = (q->walk.pte_end - addr) / PAGE_SIZE - 1;
	pte_t pte;

	if (last->level != VMLAB_LEVEL_PTE || !(last->flags & VMLAB_PTE_PRESENT) ||
	    (last->flags & VMLAB_PTE_ZERO_PAGE))
		return;
	for (i = 0; i < nr; i++) {
		pte = ptep_get(ptep + 1 + i);
		if (((pte_val(pte) ^ q->run_raw) & q->run_same) ||
		    is_zero_pfn(pte_pfn(pte)))
			break;
	}
	last->nr += i;
	q->walk.pte_skip = i;
}

/* Add a record, or extend the current run: PT_PAUSE when the chunk is full. */
static int pt_emit(struct pt_query *q, unsigned long va, u64 raw, u64 pfn,
		   u32 flags, int slot)
{
	bool present = flags & VMLAB_PTE_PRESENT;
	struct vmlab_pte *rec;
	int i;

	if (!q->show_ad)
		flags &= ~(VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY);
	if (!q->buf || pt_extend_run(q, va, flags, slot))
		return PT_GO_ON;
	if (q->n == min_t(u32, q->count - q->done, PT_CHUNK))
		return PT_PAUSE;
	rec = &q->buf[q->n++];
	memset(rec, 0, sizeof(*rec));
	rec->va = va;
	rec->entry = vmlab_pt_arch_visible(raw, slot, present, q->show_pfn, q->show_ad);
	if (present)
		rec->arch_flags = vmlab_pt_arch_detail(rec->entry, slot);
	rec->pfn = q->show_pfn ? pfn : 0;
	rec->flags = flags;
	rec->level = pt_record_level(slot);
	rec->nr = 1;
	q->run_raw = raw;
	q->run_same = present ? ~vmlab_pt_arch_pfn_mask(raw, slot) : ~0ULL;
	if (q->levels)
		for (i = 0; i < slot; i++)
			rec->upper[i] = vmlab_pt_arch_visible(q->walk.upper[i], i, true,
							      q->show_pfn, q->show_ad);
	return PT_GO_ON;
}

int vmlab_pt_query_pte(struct pt_walk *w, unsigned long addr, pte_t *ptep, pte_t pte)
{
	struct pt_query *q = to_query(w);
	u64 raw = pte_val(pte);
	u32 flags;
	int ret;

	if (!pte_present(pte))
		return pt_emit(q, addr, raw, 0, vmlab_pt_arch_swap_flags(raw), PT_PTE);
	if (pt_same_as_run(q, addr, pte))
		goto ahead;
	flags = VMLAB_PTE_PRESENT | vmlab_pt_arch_flags(raw);
	if (pte_young(pte))
		flags |= VMLAB_PTE_ACCESSED;
	if (pte_dirty(pte))	/* 6.12 x86: includes the saved-dirty bit */
		flags |= VMLAB_PTE_DIRTY;
	if (pte_write(pte))
		flags |= VMLAB_PTE_WRITE;
	if (pte_soft_dirty(pte))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	if (pte_special(pte))
		flags |= VMLAB_PTE_SPECIAL;
	if (is_zero_pfn(pte_pfn(pte)))
		flags |= VMLAB_PTE_ZERO_PAGE;
	ret = pt_emit(q, addr, raw, pte_pfn(pte), flags, PT_PTE);
	if (ret)
		return ret;
ahead:
	if (q->runs && q->buf)
		pt_run_ahead(q, addr, ptep);
	return PT_GO_ON;
}

static int pt_query_pmd(struct pt_walk *w, unsigned long addr, pmd_t *pmdp, pmd_t pmd)
{
	struct pt_query *q = to_query(w);
	u64 raw = pmd_val(pmd);
	u32 flags = VMLAB_PTE_HUGE;

	addr &= PMD_MASK;
	if (!pmd_present(pmd))
		return pt_emit(q, addr, raw, 0, flags | vmlab_pt_arch_swap_flags(raw), PT_PMD);
	flags |= VMLAB_PTE_PRESENT | vmlab_pt_arch_flags(raw);
	if (pmd_young(pmd))
		flags |= VMLAB_PTE_ACCESSED;
	if (pmd_dirty(pmd))
		flags |= VMLAB_PTE_DIRTY;
	if (pmd_write(pmd))
		flags |= VMLAB_PTE_WRITE;
	if (pmd_soft_dirty(pmd))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	return pt_emit(q, addr, raw, pmd_pfn(pmd), flags, PT_PMD);
}

static int pt_query_pud(struct pt_walk *w, unsigned long addr, pud_t *pudp, pud_t pud)
{
	struct pt_query *q = to_query(w);
	u64 raw = pud_val(pud);
	u32 flags = VMLAB_PTE_HUGE;

	addr &= PUD_MASK;
	if (!pud_present(pud))
		return pt_emit(q, addr, raw, 0, flags | vmlab_pt_arch_swap_flags(raw), PT_PUD);
	flags |= VMLAB_PTE_PRESENT | vmlab_pt_arch_flags(raw);
	if (pud_young(pud))
		flags |= VMLAB_PTE_ACCESSED;
	if (pud_dirty(pud))
		flags |= VMLAB_PTE_DIRTY;
	if (pud_write(pud))
		flags |= VMLAB_PTE_WRITE;
	if (pud_soft_dirty(pud))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	return pt_emit(q, addr, raw, pud_pfn(pud), flags, PT_PUD);
}

/* Copy the chunk out; stop once the caller's array is full. */
static int pt_query_flush(struct pt_walk *w)
{
	struct pt_query *q = to_query(w);

	if (!q->buf)
		return 0;
	if (q->n && copy_to_user(q->out + q->done, q->buf, q->n * sizeof(*q->buf)))
		return -EFAULT;
	q->done += q->n;
	q->n = 0;
	return q->done == q->count;
}

static const struct pt_walk_ops pt_query_ops = {
	.pte = vmlab_pt_query_pte,
	.pmd = pt_query_pmd,
	.pud = pt_query_pud,
	.flush = pt_query_flush,
};

/*
 * The target: the caller's own mm, or the mm of an open /proc/PID/pagemap,
 * whose open already applied procfs' ptrace-read rule (LSMs included).
 * PFNs need CAP_SYS_ADMIN, as in pagemap (the opener's, as pagemap has it);
 * another process's accessed and dirty bits too (as /sys/kernel/mm/page_idle).
 */
static struct mm_struct *pt_target(struct pt_query *q, const struct vmlab_pt_query *arg,
				   struct file **pagemap)
{
	struct mm_struct *mm;

	*pagemap = NULL;
	if (!(arg->flags & VMLAB_PT_PAGEMAP_FD)) {
		mm = current->mm;
		if (!mm)
			return ERR_PTR(-ESRCH);
		mmget(mm);
		q->show_pfn = capable(CAP_SYS_ADMIN);
		q->show_ad = true;
		return mm;
	}
	mm = vmlab_pagemap_mm(arg->pagemap_fd, pagemap);
	if (IS_ERR(mm))
		return mm;
	q->show_pfn = file_ns_capable(*pagemap, &init_user_ns, CAP_SYS_ADMIN);
	q->show_ad = mm == current->mm || q->show_pfn;
	return mm;
}

static int pt_check_query(const struct vmlab_pt_query *arg)
{
	if (arg->flags & ~(VMLAB_PT_PAGEMAP_FD | VMLAB_PT_LEVELS | VMLAB_PT_RUNS))
		return -EINVAL;
	if (!(arg->flags & VMLAB_PT_PAGEMAP_FD) && arg->pagemap_fd)
		return -EINVAL;
	if (arg->pad)
		return -EINVAL;
	if (!vmlab_pt_range_ok(arg->start, arg->end))
		return -EINVAL;
	if (arg->count && !access_ok(u64_to_user_ptr(arg->entries),
				     (u64)arg->count * sizeof(struct vmlab_pte)))
		return -EFAULT;
	return 0;
}

long vmlab_pt_query_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_pt_query arg;
	struct pt_query q = { .walk.ops = &pt_query_ops };
	struct file *pagemap;
	int i, ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_PT_QUERY_SIZE_VER0, uarg);
	if (ret)
		return ret;
	ret = pt_check_query(&arg);
	if (ret)
		return ret;

	q.walk.mm = pt_target(&q, &arg, &pagemap);
	if (IS_ERR(q.walk.mm))
		return PTR_ERR(q.walk.mm);
	ret = vmlab_pt_walk_range(&q.walk, arg.start, arg.end);
	if (ret)
		goto out;
	if (arg.count) {
		q.buf = kmalloc_array(min_t(u32, arg.count, PT_CHUNK), sizeof(*q.buf),
				      GFP_KERNEL_ACCOUNT);
		if (!q.buf) {
			ret = -ENOMEM;
			goto out;
		}
	}
	q.out = u64_to_user_ptr(arg.entries);
	q.count = arg.count;
	q.levels = arg.flags & VMLAB_PT_LEVELS;
	q.runs = arg.flags & VMLAB_PT_RUNS;

	ret = vmlab_pt_walk(&q.walk);
	if (ret)
		goto out;
	arg.count = q.done;
	arg.start = q.walk.addr;
	for (i = 0; i < PT_NR_LEVELS; i++)
		arg.tables[i] = q.walk.tables[i];
	arg.levels = vmlab_pt_levels();
	ret = vmlab_put_arg(uarg, &arg, sizeof(arg));
out:
	kfree(q.buf);
	mmput(q.walk.mm);
	if (pagemap)
		fput(pagemap);
	return ret;
}
