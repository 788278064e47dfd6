/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-table walker shared by PT_QUERY and PT_CLEAR_ACCESSED
 * (pt_walk.c), and the part of decoding an entry that belongs to the
 * architecture (pt_x86.c, pt_arm64.c).
 */
#ifndef VMLAB_PT_H
#define VMLAB_PT_H

#include <linux/mm.h>
#include <linux/pgtable.h>

#include "vmlab.h"

/* Levels, as slots of pt_walk.upper[] and .last[] (PGD first). */
enum { PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE, PT_NR_LEVELS };

/* What callbacks return to the walker, besides a negative errno. */
enum {
	PT_GO_ON,	/* next entry */
	PT_PAUSE,	/* stop at pt_walk.addr, flush, then go on from there */
};

struct pt_walk;

/*
 * Callbacks run with the mmap lock held for read, inside the VMA in
 * pt_walk.vma. An entry passed in is the value read once; the pointer is
 * where it was read (for writers, who must lock and look again).
 */
struct pt_walk_ops {
	/*
	 * A PTE that is not none. With lock_ptes the table's lock is held.
	 * It may also take the entries that follow, up to pt_walk.pte_end,
	 * and say how many in pt_walk.pte_skip: the walk steps over them.
	 */
	int (*pte)(struct pt_walk *w, unsigned long addr, pte_t *ptep, pte_t pte);
	/* A PMD or PUD entry that maps a huge page or is not present. */
	int (*pmd)(struct pt_walk *w, unsigned long addr, pmd_t *pmdp, pmd_t pmd);
	int (*pud)(struct pt_walk *w, unsigned long addr, pud_t *pudp, pud_t pud);
	/*
	 * After each pass, with no lock held: hand over what was gathered.
	 * Returns 0 to go on, 1 when nothing more is wanted, or -errno.
	 */
	int (*flush)(struct pt_walk *w);
	bool lock_ptes;
};

/* The pte callbacks there are: the walk calls them directly (pt_walk.c). */
int vmlab_pt_query_pte(struct pt_walk *w, unsigned long addr, pte_t *ptep, pte_t pte);
int vmlab_pt_clear_pte(struct pt_walk *w, unsigned long addr, pte_t *ptep, pte_t pte);

struct pt_walk {
	const struct pt_walk_ops *ops;
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* valid during a pass only */
	unsigned long addr;		/* where the walk is, or goes on */
	unsigned long end;
	unsigned int work;		/* entries since the last yield check */
	unsigned long pte_end;		/* in a pte callback: end of its table's part */
	unsigned int pte_skip;		/* set by a pte callback: entries it also took */
	u64 upper[PT_PTE];		/* raw table entries above the current one */
	unsigned long last[PT_NR_LEVELS];	/* last table counted, per level */
	u64 tables[PT_NR_LEVELS];	/* tables entered, indexed PT_PTE - level */
};

/*
 * Walk [w->addr, w->end) of w->mm, one VMA after another, in passes that
 * each hold the mmap lock for read: 0 when the range is done or flush said
 * stop, -EINTR on a fatal signal, or a callback's error.
 */
int vmlab_pt_walk(struct pt_walk *w);
/* The ioctls' [start, end): page aligned, start <= end. */
static inline bool vmlab_pt_range_ok(u64 start, u64 end)
{
	return PAGE_ALIGNED(start) && PAGE_ALIGNED(end) && start <= end;
}

/*
 * Aim w at [start, end) of w->mm (a range vmlab_pt_range_ok() took):
 * -EINVAL if it ends beyond the mm's limit, 47 or 56 bits on x86 (4- or
 * 5-level paging).
 */
int vmlab_pt_walk_range(struct pt_walk *w, u64 start, u64 end);
/* Paging levels in use: folded levels (one entry per table) do not count. */
u32 vmlab_pt_levels(void);

/* ---- pt_x86.c, pt_arm64.c: the architecture's view of an entry ---------- */

/* The frame-number bits of a present entry of a level. */
u64 vmlab_pt_arch_pfn_mask(u64 raw, int level);
/* VMLAB_PTE_* bits of a present entry that only the raw bits can tell. */
u32 vmlab_pt_arch_flags(u64 raw);
/*
 * The level (PT_P4D, PT_PUD, PT_PMD) has tables of its own at run time; a
 * folded one (4-level paging on a 5-level x86 kernel, arm64 with 52-bit VA
 * on a CPU without it) passes its entry above through.
 */
bool vmlab_pt_arch_level_in_use(int level);
/* vmlab_pte.arch_flags of a present entry of a level (PT_PUD...PT_PTE). */
u32 vmlab_pt_arch_detail(u64 raw, int level);
/* VMLAB_PTE_SWAP, _MIGRATION, _SOFT_DIRTY of an entry that is not present. */
u32 vmlab_pt_arch_swap_flags(u64 raw);
/*
 * The raw entry of a level as the caller may see it: without show_pfn no
 * frame number (of a non-present entry only the type bits stay, since a
 * migration or swap entry carries a PFN or a swap offset); without show_ad
 * no accessed or dirty bits.
 */
u64 vmlab_pt_arch_visible(u64 raw, int level, bool present, bool show_pfn, bool show_ad);
/* Test and clear the accessed bit of a present entry whose lock is held. */
bool vmlab_pt_arch_test_and_clear_young(void *entryp);
/* Fill the architecture fields of VMLAB_IOC_VERSION. */
void vmlab_pt_arch_version(struct vmlab_version *ver);

#endif /* VMLAB_PT_H */
