/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels vmlab builds for (5.10 to 7.3), in one
 * place. Each shim names the change. The VMLAB_HAVE_* macros come from
 * module/Kbuild, which looks into the kernel's headers for the feature.
 */
#ifndef VMLAB_COMPAT_H
#define VMLAB_COMPAT_H

#include <linux/sched.h>

/* 5.14 renamed task_struct.state to __state (and made it unsigned int). */
#ifdef VMLAB_HAVE_TASK___STATE
#define vmlab_task_state(t)	READ_ONCE((t)->__state)
#else
#define vmlab_task_state(t)	READ_ONCE((t)->state)
#endif

/*
 * A non-present, non-none page-table entry: swap, migration, or another
 * kind (device-private, hwpoison, marker). 6.19 replaced the swp_entry_t
 * helpers for these by the "softleaf" ones of <linux/leafops.h>.
 */
enum vmlab_leaf_kind { VMLAB_LEAF_SWAP, VMLAB_LEAF_MIGRATION, VMLAB_LEAF_OTHER };

#ifdef VMLAB_HAVE_LEAFOPS
#include <linux/leafops.h>

static inline enum vmlab_leaf_kind vmlab_leaf_kind(pte_t pte)
{
	softleaf_t entry = softleaf_from_pte(pte);

	if (softleaf_is_swap(entry))
		return VMLAB_LEAF_SWAP;
	return softleaf_is_migration(entry) ? VMLAB_LEAF_MIGRATION : VMLAB_LEAF_OTHER;
}
#else
#include <linux/swap.h>
#include <linux/swapops.h>

static inline enum vmlab_leaf_kind vmlab_leaf_kind(pte_t pte)
{
	swp_entry_t entry = pte_to_swp_entry(pte);

	if (!non_swap_entry(entry))
		return VMLAB_LEAF_SWAP;
	return is_migration_entry(entry) ? VMLAB_LEAF_MIGRATION : VMLAB_LEAF_OTHER;
}
#endif

#endif /* VMLAB_COMPAT_H */
