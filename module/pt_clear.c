// SPDX-License-Identifier: GPL-2.0
/*
 * VMLAB_IOC_PT_CLEAR_ACCESSED: test and clear the accessed bit of every
 * present entry of a range of the caller's own address space, so that a
 * later PT_QUERY shows which pages were touched since (what the clock
 * algorithm and working-set estimators read).
 *
 * Each bit is cleared with the lock of its table held: the PTE lock (the
 * walker takes it and checks the PMD still points at the table), the PMD
 * lock for a huge PMD, the PUD lock for a huge PUD. As the kernel's own
 * ptep_clear_flush_young() does on x86, the TLB is not flushed: the next
 * TLB miss on the page sets the bit again, which is the "recently used"
 * information the caller asks for.
 */
#include <linux/sched.h>

#include "pt.h"

struct pt_clear {
	struct pt_walk walk;
	u64 cleared;
};

static struct pt_clear *to_clear(struct pt_walk *w)
{
	return container_of(w, struct pt_clear, walk);
}

int vmlab_pt_clear_pte(struct pt_walk *w, unsigned long addr, pte_t *ptep, pte_t pte)
{
	if (pte_present(pte) && vmlab_pt_arch_test_and_clear_young(ptep))
		to_clear(w)->cleared++;
	return PT_GO_ON;
}

static int pt_clear_pmd(struct pt_walk *w, unsigned long addr, pmd_t *pmdp, pmd_t pmd)
{
	spinlock_t *ptl;	/* the PMD table's lock */

	if (!pmd_present(pmd))
		return PT_GO_ON;
	ptl = pmd_lock(w->mm, pmdp);
	pmd = READ_ONCE(*pmdp);
	if (pmd_present(pmd) && pmd_leaf(pmd) && vmlab_pt_arch_test_and_clear_young(pmdp))
		to_clear(w)->cleared++;
	spin_unlock(ptl);
	/*
	 * If the huge page was split meanwhile, its PTEs (young, since the
	 * split copies the bit) are left for the next call: a snapshot of a
	 * changing range cannot be exact anyway.
	 */
	return PT_GO_ON;
}

static int pt_clear_pud(struct pt_walk *w, unsigned long addr, pud_t *pudp, pud_t pud)
{
	spinlock_t *ptl;	/* the PUD's lock (the mm's page_table_lock) */

	if (!pud_present(pud))
		return PT_GO_ON;
	ptl = pud_lock(w->mm, pudp);
	pud = READ_ONCE(*pudp);
	if (pud_present(pud) && pud_leaf(pud) && vmlab_pt_arch_test_and_clear_young(pudp))
		to_clear(w)->cleared++;
	spin_unlock(ptl);
	return PT_GO_ON;
}

static const struct pt_walk_ops pt_clear_ops = {
	.pte = vmlab_pt_clear_pte,
	.pmd = pt_clear_pmd,
	.pud = pt_clear_pud,
	.lock_ptes = true,
};

long vmlab_pt_clear_accessed_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_pt_clear_accessed arg;
	struct pt_clear c = { .walk.ops = &pt_clear_ops, .walk.mm = current->mm };
	int ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_PT_CLEAR_ACCESSED_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (arg.flags)
		return -EINVAL;
	if (!vmlab_pt_range_ok(arg.start, arg.end))
		return -EINVAL;
	if (!c.walk.mm)
		return -ESRCH;
	ret = vmlab_pt_walk_range(&c.walk, arg.start, arg.end);
	if (ret)
		return ret;

	ret = vmlab_pt_walk(&c.walk);
	if (ret)
		return ret;
	arg.cleared = c.cleared;
	return vmlab_put_arg(uarg, &arg, sizeof(arg));
}
