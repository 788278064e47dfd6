// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab's one page-table walker, after the kernel's mm_walk_ops: the
 * descent, the locking and the yielding are here; what to do with an
 * entry is in the callbacks (pt_query.c, pt_clear.c).
 *
 * Why it is safe against a process that changes its address space meanwhile:
 * - The walk looks only inside VMAs found under the mmap lock, held for read
 *   for the whole of a pass. munmap, brk and mremap detach VMAs under the
 *   write lock and may free their page tables after downgrading it to read
 *   (free_pgtables()); they only free tables that no remaining VMA uses, so
 *   a table above the PTE level that maps part of a VMA we found stays.
 * - A PTE table can go with the mmap lock held for read or not at all:
 *   retract_page_tables() (khugepaged, MADV_COLLAPSE on file THP, 6.6+)
 *   and the reclaim of empty tables on MADV_DONTNEED (6.14+) free it
 *   through RCU. So its PMD is read inside rcu_read_lock(), and the table
 *   is only looked at within that read-side section; a writer also takes
 *   the table's lock and checks the PMD still points at it (pmd_same()).
 * - Each entry is read once (READ_ONCE/ptep_get) into a local copy; the
 *   lower table is found from that copy, never by reading the entry again
 *   (the *_offset_lockless() of fast GUP: a level folded at boot, as on
 *   arm64 with 52-bit VA on a CPU without it, finds its entry from where
 *   the entry above lies, not from the copy).
 * Between passes the lock is dropped: the callbacks' flush copies out with
 * no lock held, and the walk reschedules and notices fatal signals.
 */
#include <linux/indirect_call_wrapper.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

#include "pt.h"

/* Entries looked at between two checks for rescheduling and fatal signals. */
#define PT_BATCH	2048

u32 vmlab_pt_levels(void)
{
	return 2 + vmlab_pt_arch_level_in_use(PT_PMD) +
	       vmlab_pt_arch_level_in_use(PT_PUD) + vmlab_pt_arch_level_in_use(PT_P4D);
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

/* The PTEs of [addr, end) of one table; w->addr: where it stopped. */
static int pt_walk_pte_table(struct pt_walk *w, pte_t *ptep, unsigned long addr,
			     unsigned long end)
{
	int ret = PT_GO_ON;
	pte_t pte;

	w->pte_end = end;
	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		pte = ptep_get(ptep);
		if (pte_none(pte))
			continue;
		w->pte_skip = 0;
		/* Once per entry: no retpoline for the callbacks we know. */
		ret = INDIRECT_CALL_2(w->ops->pte, vmlab_pt_query_pte,
				      vmlab_pt_clear_pte, w, addr, ptep, pte);
		if (ret)
			break;
		addr += w->pte_skip * PAGE_SIZE;
		ptep += w->pte_skip;
	}
	w->addr = addr;
	return ret;
}

/* The same under the table's lock: -EAGAIN if *pmdp no longer points at it. */
static int pt_walk_pte_table_locked(struct pt_walk *w, pmd_t *pmdp, pmd_t pmd,
				    pte_t *ptep, unsigned long addr, unsigned long end)
{
	spinlock_t *ptl = pte_lockptr(w->mm, &pmd);
	int ret = -EAGAIN;

	spin_lock(ptl);
	if (pmd_same(pmd, READ_ONCE(*pmdp)))
		ret = pt_walk_pte_table(w, ptep, addr, end);
	spin_unlock(ptl);
	return ret;
}

/* The PTEs of [addr, end) below *pmdp, or the huge entry that is there. */
static int pt_walk_ptes(struct pt_walk *w, pmd_t *pmdp, unsigned long addr,
			unsigned long end)
{
	pte_t *ptep;
	pmd_t pmd;
	int ret;

	do {
		rcu_read_lock();
		pmd = READ_ONCE(*pmdp);
		if (pmd_none(pmd) || pmd_leaf(pmd) || !pmd_present(pmd) || pmd_bad(pmd)) {
			rcu_read_unlock();
			break;
		}
		ptep = pte_offset_kernel(&pmd, addr);
		pt_count_table(w, PT_PTE, ptep);
		w->upper[PT_PMD] = pmd_val(pmd);
		if (w->ops->lock_ptes)
			ret = pt_walk_pte_table_locked(w, pmdp, pmd, ptep, addr, end);
		else
			ret = pt_walk_pte_table(w, ptep, addr, end);
		rcu_read_unlock();
		if (ret != -EAGAIN)
			return ret;
	} while (true);

	if (pmd_none(pmd) || (pmd_present(pmd) && !pmd_leaf(pmd)))
		return PT_GO_ON;	/* empty, or a bad entry: nothing to show */
	return w->ops->pmd(w, addr, pmdp, pmd);
}

static int pt_walk_pmds(struct pt_walk *w, pud_t *pudp, pud_t pud, unsigned long addr,
			unsigned long end)
{
	pmd_t *pmdp = pmd_offset_lockless(pudp, pud, addr);
	unsigned long next;
	int ret;

	if (vmlab_pt_arch_level_in_use(PT_PMD))
		pt_count_table(w, PT_PMD, pmdp);
	for (; addr < end; addr = next, pmdp++) {
		next = pmd_addr_end(addr, end);
		w->addr = addr;
		if (pt_should_yield(w, PTRS_PER_PTE / 8))
			return PT_PAUSE;
		ret = pt_walk_ptes(w, pmdp, addr, next);
		if (ret)
			return ret;
	}
	return PT_GO_ON;
}

/* An entry of the PGD, P4D or PUD level, read once into a local copy. */
union pt_upper {
	pgd_t pgd;
	p4d_t p4d;
	pud_t pud;
};

/* What the walk does with an upper entry. */
enum { PT_SKIP, PT_LEAF, PT_TABLE };

/*
 * The first entry for addr of the table of a level (PGD: w->mm's; P4D, PUD:
 * the one the entry at abovep, read as *above, points at), and the size of
 * its entries.
 */
static void *pt_upper_offset(struct pt_walk *w, int level, void *abovep,
			     union pt_upper *above, unsigned long addr, size_t *size)
{
	switch (level) {
	case PT_PGD:
		*size = sizeof(pgd_t);
		return pgd_offset(w->mm, addr);
	case PT_P4D:
		*size = sizeof(p4d_t);
		return p4d_offset_lockless((pgd_t *)abovep, above->pgd, addr);
	default:
		*size = sizeof(pud_t);
		return pud_offset_lockless((p4d_t *)abovep, above->p4d, addr);
	}
}

/*
 * Read the entry at entryp of a level once into *e, its raw value into *val;
 * say what it is: none or bad, a huge or non-present PUD (for the pud
 * callback), or a table to descend into. *next: the end of what it maps.
 */
static int pt_upper_get(int level, const void *entryp, unsigned long addr,
			unsigned long end, union pt_upper *e, u64 *val,
			unsigned long *next)
{
	switch (level) {
	case PT_PGD:
		*next = pgd_addr_end(addr, end);
		e->pgd = READ_ONCE(*(const pgd_t *)entryp);
		*val = pgd_val(e->pgd);
		return pgd_none(e->pgd) || pgd_bad(e->pgd) ? PT_SKIP : PT_TABLE;
	case PT_P4D:
		*next = p4d_addr_end(addr, end);
		e->p4d = READ_ONCE(*(const p4d_t *)entryp);
		*val = p4d_val(e->p4d);
		return p4d_none(e->p4d) || p4d_bad(e->p4d) ? PT_SKIP : PT_TABLE;
	default:
		*next = pud_addr_end(addr, end);
		e->pud = READ_ONCE(*(const pud_t *)entryp);
		*val = pud_val(e->pud);
		if (pud_none(e->pud))
			return PT_SKIP;
		if (pud_leaf(e->pud) || !pud_present(e->pud))
			return PT_LEAF;
		return pud_bad(e->pud) ? PT_SKIP : PT_TABLE;
	}
}

/*
 * The entries of [addr, end) of one PGD, P4D or PUD table (see
 * pt_upper_offset()): the three loops walk_pgd_range(), walk_p4d_range()
 * and walk_pud_range() of the kernel's mm/pagewalk.c, as one. The PMD
 * level is apart: its entries are read under RCU (pt_walk_ptes()).
 */
static int pt_walk_upper(struct pt_walk *w, int level, void *abovep,
			 union pt_upper *above, unsigned long addr, unsigned long end)
{
	bool in_use = level == PT_PGD || vmlab_pt_arch_level_in_use(level);
	unsigned long next;
	union pt_upper e;
	void *entryp;
	size_t size;
	int ret;
	u64 val;

	entryp = pt_upper_offset(w, level, abovep, above, addr, &size);
	/* A folded level (4-level paging on x86) has no page of its own. */
	if (in_use)
		pt_count_table(w, level, entryp);
	for (; addr < end; addr = next, entryp += size) {
		if (level == PT_PUD) {
			w->addr = addr;
			if (pt_should_yield(w, 1))
				return PT_PAUSE;
		}
		switch (pt_upper_get(level, entryp, addr, end, &e, &val, &next)) {
		case PT_SKIP:
			continue;
		case PT_LEAF:
			ret = w->ops->pud(w, addr, entryp, e.pud);
			break;
		default:
			/*
			 * A folded level's entry stands for the level above:
			 * on x86 it is that entry; on arm64 folded at boot it
			 * is the root table's entry for addr, where the PGD
			 * level read the root's first entry.
			 */
			w->upper[in_use ? level : level - 1] = val;
			if (level == PT_PUD)
				ret = pt_walk_pmds(w, entryp, e.pud, addr, next);
			else
				ret = pt_walk_upper(w, level + 1, entryp, &e, addr, next);
		}
		if (ret)
			return ret;
	}
	return PT_GO_ON;
}

/*
 * One pass, under the mmap read lock: the VMAs from w->addr on. Holes
 * between VMAs are passed over: no page table there is ours to read.
 * Returns 0 at the end of the range.
 */
static int pt_walk_vmas(struct pt_walk *w)
{
	struct vm_area_struct *vma;
	unsigned long end;
	int ret;

	while (w->addr < w->end) {
		vma = find_vma(w->mm, w->addr);
		if (!vma || vma->vm_start >= w->end)
			break;
		w->vma = vma;
		w->addr = max(w->addr, vma->vm_start);
		end = min(vma->vm_end, w->end);
		ret = pt_walk_upper(w, PT_PGD, NULL, NULL, w->addr, end);
		if (ret)
			return ret;
		w->addr = end;
	}
	w->vma = NULL;
	w->addr = w->end;
	return PT_GO_ON;
}

int vmlab_pt_walk_range(struct pt_walk *w, u64 start, u64 end)
{
	if (end > w->mm->task_size)
		return -EINVAL;
	w->addr = start;
	w->end = end;
	return 0;
}

int vmlab_pt_walk(struct pt_walk *w)
{
	int ret, stop;

	for (;;) {
		ret = mmap_read_lock_killable(w->mm);
		if (ret)
			return ret;
		ret = pt_walk_vmas(w);
		w->vma = NULL;
		mmap_read_unlock(w->mm);
		if (ret < 0)
			return ret;

		stop = w->ops->flush ? w->ops->flush(w) : 0;
		if (stop)
			return stop < 0 ? stop : 0;
		if (ret == PT_GO_ON)
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
}
