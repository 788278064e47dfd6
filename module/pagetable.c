// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab page tables: report the entries that map a range of a process's
 * address space, and clear accessed bits of the caller's own range.
 *
 * The walk mirrors the kernel's lockless walkers: the mm is pinned, the
 * mmap lock is held for read (so no page table above the PTE level goes
 * away), every entry is read once into a local copy, and PTE tables are
 * looked at inside rcu_read_lock() because 6.x may free them through RCU
 * while only the mmap read lock is held. Records are gathered into a small
 * kernel buffer and copied out with no lock held, so a fault on the user
 * buffer never nests inside the mmap lock.
 *
 * The layout of entries decoded here is x86-64's: present, accessed, dirty,
 * PWT, PCD, global and NX are hardware bits of that architecture.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>

#include "vmlab.h"

#ifndef CONFIG_X86_64
#error "vmlab's page-table decoding is written for x86-64"
#endif

/* Records buffered in the kernel between two copies to user space. */
#define PT_CHUNK	64
/* Entries looked at between two checks for rescheduling and fatal signals. */
#define PT_BATCH	2048

/* Upper-level slots of vmlab_pte.upper[] and of pt_walk.last[]. */
enum { PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE };

/* Why a walk stopped before the end of its range. */
enum { PT_DONE, PT_FULL, PT_YIELD };

struct pt_walk {
	struct mm_struct *mm;
	unsigned long addr;		/* next address to look at */
	unsigned long end;
	struct vmlab_pte *buf;		/* chunk of records, NULL: count only */
	unsigned int n;			/* records in buf */
	unsigned int cap;		/* records buf may take in this pass */
	unsigned int work;		/* entries since the last yield check */
	bool show_pfn;
	bool levels;
	bool runs;			/* VMLAB_PT_RUNS */
	u64 run_raw;			/* raw entry that started the last record */
	u64 upper[4];			/* raw entries above the current one */
	unsigned long last[5];		/* last table counted, per level */
	u64 tables[5];			/* vmlab_pt_query.tables, PTE first */
};

static u32 pt_cache_bits(u64 raw)
{
	u32 flags = 0;

	if (raw & _PAGE_USER)
		flags |= VMLAB_PTE_USER;
	if (raw & _PAGE_NX)
		flags |= VMLAB_PTE_NX;
	if (raw & _PAGE_GLOBAL)
		flags |= VMLAB_PTE_GLOBAL;
	if (raw & _PAGE_PWT)
		flags |= VMLAB_PTE_PWT;
	if (raw & _PAGE_PCD)
		flags |= VMLAB_PTE_PCD;
	return flags;
}

/*
 * A non-present, non-empty entry: swap, migration or another special swap
 * entry. x86 uses the PTE format at every level for these.
 */
static u32 pt_swap_flags(u64 raw)
{
	pte_t pte = __pte(raw);
	swp_entry_t entry = pte_to_swp_entry(pte);
	u32 flags = 0;

	if (!non_swap_entry(entry))
		flags |= VMLAB_PTE_SWAP;
	else if (is_migration_entry(entry))
		flags |= VMLAB_PTE_MIGRATION;
	if (pte_swp_soft_dirty(pte))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	return flags;
}

/*
 * The raw entry as the caller may see it: without CAP_SYS_ADMIN the frame
 * number goes (the pagemap rule); of a non-present entry only the low
 * flag bits stay, since a migration entry carries the PFN in its offset.
 */
static u64 pt_visible(const struct pt_walk *w, u64 raw, u64 pfn_mask, bool present)
{
	if (w->show_pfn)
		return raw;
	return present ? raw & ~pfn_mask : raw & GENMASK_ULL(_PAGE_BIT_PROTNONE, 0);
}

static bool pt_should_yield(struct pt_walk *w, unsigned int cost)
{
	w->work += cost;
	if (w->work < PT_BATCH)
		return false;
	w->work = 0;
	return need_resched() || fatal_signal_pending(current);
}

/* Count each page-table page once, the first time the walk enters it. */
static void pt_count_table(struct pt_walk *w, int level, const void *entryp)
{
	unsigned long table = (unsigned long)entryp & PAGE_MASK;

	if (w->last[level] != table) {
		w->last[level] = table;
		w->tables[PT_PTE - level]++;
	}
}

static u64 pt_level_size(u32 level)
{
	return level == VMLAB_LEVEL_PUD ? PUD_SIZE :
	       level == VMLAB_LEVEL_PMD ? PMD_SIZE : PAGE_SIZE;
}

/* With VMLAB_PT_RUNS: extend the last record if this entry continues it. */
static bool pt_extend_run(struct pt_walk *w, unsigned long va, u32 flags, int slot)
{
	struct vmlab_pte *last;
	u32 level = PT_PTE - slot + VMLAB_LEVEL_PTE;

	if (!w->runs || !w->n)
		return false;
	last = &w->buf[w->n - 1];
	if (last->level != level || last->flags != flags ||
	    last->va + last->nr * pt_level_size(level) != va)
		return false;
	last->nr++;
	return true;
}

/*
 * Add a record, or extend the current run: false when the chunk is full.
 * With no buffer the walk only counts tables.
 */
static bool pt_emit(struct pt_walk *w, unsigned long va, u64 entry, u64 pfn,
		    u32 flags, int slot)
{
	struct vmlab_pte *rec;

	if (!w->buf || pt_extend_run(w, va, flags, slot))
		return true;
	if (w->n == w->cap)
		return false;
	rec = &w->buf[w->n++];
	memset(rec, 0, sizeof(*rec));
	rec->va = va;
	rec->entry = entry;
	rec->pfn = w->show_pfn ? pfn : 0;
	rec->flags = flags;
	rec->level = PT_PTE - slot + VMLAB_LEVEL_PTE;
	rec->nr = 1;
	w->run_raw = entry;
	if (w->levels)
		memcpy(rec->upper, w->upper, slot * sizeof(rec->upper[0]));
	return true;
}

static bool pt_emit_pte(struct pt_walk *w, unsigned long addr, pte_t pte)
{
	u64 raw = pte_val(pte);
	u32 flags;

	if (!pte_present(pte)) {
		return pt_emit(w, addr, pt_visible(w, raw, 0, false), 0, pt_swap_flags(raw),
			       PT_PTE);
	}
	flags = VMLAB_PTE_PRESENT | pt_cache_bits(raw);
	if (pte_young(pte))
		flags |= VMLAB_PTE_ACCESSED;
	if (pte_dirty(pte))	/* 6.12: includes the saved-dirty bit */
		flags |= VMLAB_PTE_DIRTY;
	if (pte_write(pte))
		flags |= VMLAB_PTE_WRITE;
	if (pte_soft_dirty(pte))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	if (pte_special(pte))
		flags |= VMLAB_PTE_SPECIAL;
	if (is_zero_pfn(pte_pfn(pte)))
		flags |= VMLAB_PTE_ZERO_PAGE;
	return pt_emit(w, addr, pt_visible(w, raw, PTE_PFN_MASK, true), pte_pfn(pte), flags,
		       PT_PTE);
}

static bool pt_emit_pmd(struct pt_walk *w, unsigned long addr, pmd_t pmd)
{
	u64 raw = pmd_val(pmd);
	u32 flags = VMLAB_PTE_HUGE;

	addr &= PMD_MASK;
	if (!pmd_present(pmd)) {
		flags |= pt_swap_flags(raw);
		return pt_emit(w, addr, pt_visible(w, raw, 0, false), 0, flags, PT_PMD);
	}
	flags |= VMLAB_PTE_PRESENT | pt_cache_bits(raw);
	if (pmd_young(pmd))
		flags |= VMLAB_PTE_ACCESSED;
	if (pmd_dirty(pmd))
		flags |= VMLAB_PTE_DIRTY;
	if (pmd_write(pmd))
		flags |= VMLAB_PTE_WRITE;
	if (pmd_soft_dirty(pmd))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	return pt_emit(w, addr, pt_visible(w, raw, pmd_pfn_mask(pmd), true), pmd_pfn(pmd),
		       flags, PT_PMD);
}

static bool pt_emit_pud(struct pt_walk *w, unsigned long addr, pud_t pud)
{
	u64 raw = pud_val(pud);
	u32 flags = VMLAB_PTE_HUGE;

	addr &= PUD_MASK;
	if (!pud_present(pud)) {
		flags |= pt_swap_flags(raw);
		return pt_emit(w, addr, pt_visible(w, raw, 0, false), 0, flags, PT_PUD);
	}
	flags |= VMLAB_PTE_PRESENT | pt_cache_bits(raw);
	if (pud_young(pud))
		flags |= VMLAB_PTE_ACCESSED;
	if (pud_dirty(pud))
		flags |= VMLAB_PTE_DIRTY;
	if (pud_write(pud))
		flags |= VMLAB_PTE_WRITE;
	if (pud_soft_dirty(pud))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	return pt_emit(w, addr, pt_visible(w, raw, pud_pfn_mask(pud), true), pud_pfn(pud),
		       flags, PT_PUD);
}

/* Remember the table entry above the level being walked. */
static void pt_set_upper(struct pt_walk *w, int slot, u64 raw)
{
	w->upper[slot] = pt_visible(w, raw, PTE_PFN_MASK, true);
}

/*
 * Fast path of VMLAB_PT_RUNS over a populated range: a present PTE whose
 * bits other than the frame number equal those of the run it follows gets
 * the same decoded flags (the zero page aside, which depends on the frame),
 * so the run grows without decoding it again.
 */
static bool pt_same_as_run(struct pt_walk *w, unsigned long addr, pte_t pte)
{
	struct vmlab_pte *last;

	if (!w->runs || !w->n)
		return false;
	last = &w->buf[w->n - 1];
	if (last->level != VMLAB_LEVEL_PTE || !(last->flags & VMLAB_PTE_PRESENT) ||
	    last->va + last->nr * PAGE_SIZE != addr ||
	    ((pte_val(pte) ^ w->run_raw) & ~PTE_PFN_MASK) || !pte_present(pte) ||
	    (last->flags & VMLAB_PTE_ZERO_PAGE) || is_zero_pfn(pte_pfn(pte)))
		return false;
	last->nr++;
	return true;
}

static int pt_walk_pte(struct pt_walk *w, pmd_t pmd, unsigned long addr,
		       unsigned long end)
{
	pte_t *table, pte;
	int ret = PT_DONE;

	rcu_read_lock();
	table = pte_offset_kernel(&pmd, addr);
	pt_count_table(w, PT_PTE, table);
	for (; addr < end; addr += PAGE_SIZE, table++) {
		pte = ptep_get(table);
		if (pte_none(pte))
			continue;
		if (pt_same_as_run(w, addr, pte))
			continue;
		if (!pt_emit_pte(w, addr, pte)) {
			ret = PT_FULL;
			break;
		}
	}
	rcu_read_unlock();
	w->addr = addr;
	return ret;
}

static int pt_walk_pmd(struct pt_walk *w, pud_t *pudp, unsigned long addr,
		       unsigned long end)
{
	unsigned long next;
	pmd_t *pmdp, pmd;
	int ret;

	pmdp = pmd_offset(pudp, addr);
	pt_count_table(w, PT_PMD, pmdp);
	for (; addr < end; addr = next, pmdp++) {
		next = pmd_addr_end(addr, end);
		w->addr = addr;
		if (pt_should_yield(w, PTRS_PER_PTE / 8))
			return PT_YIELD;
		pmd = READ_ONCE(*pmdp);
		if (pmd_none(pmd))
			continue;
		if (pmd_leaf(pmd) || !pmd_present(pmd)) {
			if (!pt_emit_pmd(w, addr, pmd))
				return PT_FULL;
			continue;
		}
		if (pmd_bad(pmd))
			continue;
		pt_set_upper(w, PT_PMD, pmd_val(pmd));
		ret = pt_walk_pte(w, pmd, addr, next);
		if (ret)
			return ret;
	}
	w->addr = addr;
	return PT_DONE;
}

static int pt_walk_pud(struct pt_walk *w, p4d_t *p4dp, unsigned long addr,
		       unsigned long end)
{
	unsigned long next;
	pud_t *pudp, pud;
	int ret;

	pudp = pud_offset(p4dp, addr);
	pt_count_table(w, PT_PUD, pudp);
	for (; addr < end; addr = next, pudp++) {
		next = pud_addr_end(addr, end);
		w->addr = addr;
		if (pt_should_yield(w, 1))
			return PT_YIELD;
		pud = READ_ONCE(*pudp);
		if (pud_none(pud))
			continue;
		if (pud_leaf(pud) || !pud_present(pud)) {
			if (!pt_emit_pud(w, addr, pud))
				return PT_FULL;
			continue;
		}
		if (pud_bad(pud))
			continue;
		pt_set_upper(w, PT_PUD, pud_val(pud));
		ret = pt_walk_pmd(w, pudp, addr, next);
		if (ret)
			return ret;
	}
	w->addr = addr;
	return PT_DONE;
}

static int pt_walk_p4d(struct pt_walk *w, pgd_t *pgdp, unsigned long addr,
		       unsigned long end)
{
	unsigned long next;
	p4d_t *p4dp, p4d;
	int ret;

	p4dp = p4d_offset(pgdp, addr);
	/* With 4-level paging the P4D is folded into the PGD: no page of its own. */
	if (pgtable_l5_enabled())
		pt_count_table(w, PT_P4D, p4dp);
	for (; addr < end; addr = next, p4dp++) {
		next = p4d_addr_end(addr, end);
		w->addr = addr;
		p4d = READ_ONCE(*p4dp);
		if (p4d_none(p4d) || p4d_bad(p4d))
			continue;
		if (pgtable_l5_enabled())
			pt_set_upper(w, PT_P4D, p4d_val(p4d));
		ret = pt_walk_pud(w, p4dp, addr, next);
		if (ret)
			return ret;
	}
	w->addr = addr;
	return PT_DONE;
}

/* Walk [w->addr, w->end) until done, the buffer is full or it is time to yield. */
static int pt_walk(struct pt_walk *w)
{
	unsigned long addr = w->addr, next;
	pgd_t *pgdp, pgd;
	int ret;

	pgdp = pgd_offset(w->mm, addr);
	pt_count_table(w, PT_PGD, pgdp);
	for (; addr < w->end; addr = next, pgdp++) {
		next = pgd_addr_end(addr, w->end);
		w->addr = addr;
		pgd = READ_ONCE(*pgdp);
		if (pgd_none(pgd) || pgd_bad(pgd))
			continue;
		pt_set_upper(w, PT_PGD, pgd_val(pgd));
		ret = pt_walk_p4d(w, pgdp, addr, next);
		if (ret)
			return ret;
	}
	w->addr = addr;
	return PT_DONE;
}

/*
 * The target of a query: the caller's mm, or the mm a /proc/PID/pagemap
 * file was opened on. pagemap_open() already did the ptrace read check
 * (with LSMs such as Yama) and keeps the mm in private_data for the file's
 * lifetime, so holding the file keeps that pointer valid; mmget_not_zero()
 * fails once the process has exited.
 */
static struct mm_struct *pt_target(const struct vmlab_pt_query *q,
				   struct file **pagemap, bool *show_pfn)
{
	struct mm_struct *mm;
	struct file *f;

	*pagemap = NULL;
	if (!(q->flags & VMLAB_PT_PAGEMAP_FD)) {
		mm = current->mm;
		if (!mm)
			return ERR_PTR(-ESRCH);
		mmget(mm);
		*show_pfn = capable(CAP_SYS_ADMIN);
		return mm;
	}

	f = fget(q->pagemap_fd);
	if (!f)
		return ERR_PTR(-EBADF);
	if (file_inode(f)->i_sb->s_magic != PROC_SUPER_MAGIC ||
	    strcmp((const char *)file_dentry(f)->d_name.name, "pagemap")) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	mm = f->private_data;
	if (!mm || !mmget_not_zero(mm)) {
		fput(f);
		return ERR_PTR(-ESRCH);
	}
	/* pagemap decides on PFNs by the opener's capability: so do we. */
	*show_pfn = file_ns_capable(f, &init_user_ns, CAP_SYS_ADMIN);
	*pagemap = f;
	return mm;
}

static int pt_check_query(const struct vmlab_pt_query *q)
{
	if (q->flags & ~(VMLAB_PT_PAGEMAP_FD | VMLAB_PT_LEVELS | VMLAB_PT_RUNS))
		return -EINVAL;
	if (!(q->flags & VMLAB_PT_PAGEMAP_FD) && q->pagemap_fd)
		return -EINVAL;
	/* tables[] and levels are outputs: a resumed call may pass them back. */
	if (q->reserved0 || !VMLAB_ZEROED(q->reserved))
		return -EINVAL;
	if (!PAGE_ALIGNED(q->start) || !PAGE_ALIGNED(q->end) || q->start > q->end)
		return -EINVAL;
	if (q->count && !access_ok(u64_to_user_ptr(q->entries),
				   (u64)q->count * sizeof(struct vmlab_pte)))
		return -EFAULT;
	return 0;
}

/* Walk passes until the range is done or the caller's array is full. */
static int pt_query_loop(struct pt_walk *w, struct vmlab_pt_query *q)
{
	struct vmlab_pte __user *out = u64_to_user_ptr(q->entries);
	u32 done = 0;
	int ret, stop;

	for (;;) {
		w->n = 0;
		w->cap = min_t(u32, q->count - done, PT_CHUNK);
		ret = mmap_read_lock_killable(w->mm);
		if (ret)
			break;
		stop = pt_walk(w);
		mmap_read_unlock(w->mm);

		if (w->n && copy_to_user(out + done, w->buf, w->n * sizeof(*w->buf))) {
			ret = -EFAULT;
			break;
		}
		done += w->n;
		if (stop == PT_DONE || (w->buf && done == q->count))
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	q->count = done;
	return ret;
}

long vmlab_pt_query_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_pt_query q;
	struct pt_walk w = {};
	struct file *pagemap;
	int ret;

	ret = vmlab_get_arg(&q, sizeof(q), uarg);
	if (ret)
		return ret;
	ret = pt_check_query(&q);
	if (ret)
		return ret;

	w.mm = pt_target(&q, &pagemap, &w.show_pfn);
	if (IS_ERR(w.mm))
		return PTR_ERR(w.mm);
	/* The limit is the target's: 47 or 56 bits (4- or 5-level paging). */
	if (q.end > w.mm->task_size) {
		ret = -EINVAL;
		goto out;
	}
	if (q.count) {
		w.buf = kmalloc_array(min_t(u32, q.count, PT_CHUNK), sizeof(*w.buf),
				      GFP_KERNEL_ACCOUNT);
		if (!w.buf) {
			ret = -ENOMEM;
			goto out;
		}
	}
	w.levels = q.flags & VMLAB_PT_LEVELS;
	w.runs = q.flags & VMLAB_PT_RUNS;
	w.addr = q.start;
	w.end = q.end;

	ret = pt_query_loop(&w, &q);
	if (ret)
		goto out;
	q.start = w.addr;
	memcpy(q.tables, w.tables, sizeof(q.tables));
	q.levels = pgtable_l5_enabled() ? 5 : 4;
	ret = vmlab_put_arg(uarg, &q, sizeof(q));
out:
	kfree(w.buf);
	mmput(w.mm);
	if (pagemap)
		fput(pagemap);
	return ret;
}

/* ---- clear accessed ----------------------------------------------------- */

/*
 * Atomically test and clear the accessed bit of one entry, as the kernel's
 * own (unexported) ptep_test_and_clear_young() does on x86. The caller
 * holds the lock of the table, so the entry is not being replaced.
 */
static bool pt_test_and_clear_young(unsigned long *entry)
{
	return test_and_clear_bit(_PAGE_BIT_ACCESSED, entry);
}

struct pt_clear {
	struct mm_struct *mm;
	u64 cleared;
};

/*
 * The PTEs of one table, under its lock. The PMD is read again under the
 * lock: if it changed (table freed, collapsed into a huge page) the table
 * may be gone; RCU keeps its memory valid until we leave.
 */
static bool pt_clear_pte(struct pt_clear *c, pmd_t *pmdp, unsigned long addr,
			 unsigned long end)
{
	pmd_t pmd;
	pte_t *ptep;
	spinlock_t *ptl;	/* lock of the table being changed */

	rcu_read_lock();
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd) || pmd_leaf(pmd) || !pmd_present(pmd) || pmd_bad(pmd)) {
		rcu_read_unlock();
		return false;
	}
	ptep = pte_offset_kernel(&pmd, addr);
	ptl = pte_lockptr(c->mm, &pmd);
	spin_lock(ptl);
	if (!pmd_same(pmd, READ_ONCE(*pmdp))) {
		spin_unlock(ptl);
		rcu_read_unlock();
		return false;
	}
	for (; addr < end; addr += PAGE_SIZE, ptep++)
		if (pte_present(ptep_get(ptep)) &&
		    pt_test_and_clear_young((unsigned long *)&ptep->pte))
			c->cleared++;
	spin_unlock(ptl);
	rcu_read_unlock();
	return true;
}

/* A huge PMD, under the PMD lock; false if it is no longer a present leaf. */
static bool pt_clear_pmd_leaf(struct pt_clear *c, pmd_t *pmdp)
{
	spinlock_t *ptl = pmd_lock(c->mm, pmdp);
	pmd_t pmd = READ_ONCE(*pmdp);
	bool leaf = pmd_leaf(pmd) && pmd_present(pmd);

	if (leaf && pt_test_and_clear_young((unsigned long *)&pmdp->pmd))
		c->cleared++;
	spin_unlock(ptl);
	return leaf;
}

static int pt_clear_pmds(struct pt_clear *c, pud_t *pudp, unsigned long addr,
			 unsigned long end)
{
	pmd_t *pmdp = pmd_offset(pudp, addr);
	unsigned long next;
	pmd_t pmd;

	for (; addr < end; addr = next, pmdp++) {
		next = pmd_addr_end(addr, end);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
retry:
		pmd = READ_ONCE(*pmdp);
		if (pmd_none(pmd) || !pmd_present(pmd) || (!pmd_leaf(pmd) && pmd_bad(pmd)))
			continue;
		if (pmd_leaf(pmd)) {
			if (!pt_clear_pmd_leaf(c, pmdp))
				goto retry;
			continue;
		}
		if (!pt_clear_pte(c, pmdp, addr, next))
			goto retry;
	}
	return 0;
}

static int pt_clear_puds(struct pt_clear *c, p4d_t *p4dp, unsigned long addr,
			 unsigned long end)
{
	pud_t *pudp = pud_offset(p4dp, addr);
	unsigned long next;
	spinlock_t *ptl;	/* lock of the table being changed */
	pud_t pud;
	int ret;

	for (; addr < end; addr = next, pudp++) {
		next = pud_addr_end(addr, end);
		pud = READ_ONCE(*pudp);
		if (pud_none(pud) || !pud_present(pud))
			continue;
		if (pud_leaf(pud)) {
			ptl = pud_lock(c->mm, pudp);
			pud = READ_ONCE(*pudp);
			if (pud_leaf(pud) && pud_present(pud) &&
			    pt_test_and_clear_young((unsigned long *)&pudp->pud))
				c->cleared++;
			spin_unlock(ptl);
			continue;
		}
		if (pud_bad(pud))
			continue;
		ret = pt_clear_pmds(c, pudp, addr, next);
		if (ret)
			return ret;
	}
	return 0;
}

static int pt_clear_range(struct pt_clear *c, unsigned long addr, unsigned long end)
{
	pgd_t *pgdp = pgd_offset(c->mm, addr);
	unsigned long next, next4;
	p4d_t *p4dp;
	int ret;

	for (; addr < end; addr = next, pgdp++) {
		next = pgd_addr_end(addr, end);
		if (pgd_none(READ_ONCE(*pgdp)) || pgd_bad(READ_ONCE(*pgdp)))
			continue;
		p4dp = p4d_offset(pgdp, addr);
		for (; addr < next; addr = next4, p4dp++) {
			next4 = p4d_addr_end(addr, next);
			if (p4d_none(READ_ONCE(*p4dp)) || p4d_bad(READ_ONCE(*p4dp)))
				continue;
			ret = pt_clear_puds(c, p4dp, addr, next4);
			if (ret)
				return ret;
		}
	}
	return 0;
}

long vmlab_pt_clear_accessed_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_pt_clear_accessed ca;
	struct pt_clear c = { .mm = current->mm };
	int ret;

	ret = vmlab_get_arg(&ca, sizeof(ca), uarg);
	if (ret)
		return ret;
	if (ca.flags || ca.cleared || !VMLAB_ZEROED(ca.reserved))
		return -EINVAL;
	if (!PAGE_ALIGNED(ca.start) || !PAGE_ALIGNED(ca.end) || ca.start > ca.end)
		return -EINVAL;
	if (!c.mm)
		return -ESRCH;
	if (ca.end > c.mm->task_size)
		return -EINVAL;

	ret = mmap_read_lock_killable(c.mm);
	if (ret)
		return ret;
	ret = pt_clear_range(&c, ca.start, ca.end);
	mmap_read_unlock(c.mm);
	if (ret)
		return ret;
	ca.cleared = c.cleared;
	return vmlab_put_arg(uarg, &ca, sizeof(ca));
}
