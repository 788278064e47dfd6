// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 part of reading a page-table entry: the hardware bits that the
 * kernel's generic accessors do not name (user, NX, global, PWT, PCD), the
 * frame-number field, and the accessed bit's test-and-clear. x86 uses the
 * PTE format for non-present entries at every level.
 */
#include <linux/bitops.h>

#include "compat.h"
#include "pt.h"

u32 vmlab_pt_arch_flags(u64 raw)
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

/* Bit 7 is PAT in a 4 KiB entry, PSE in a PMD or PUD; there PAT is bit 12. */
u32 vmlab_pt_arch_detail(u64 raw, int level)
{
	u64 pat = level == PT_PTE ? _PAGE_PAT : _PAGE_PAT_LARGE;
	u32 flags = 0;

	if (raw & _PAGE_PWT)
		flags |= VMLAB_X86_PWT;
	if (raw & _PAGE_PCD)
		flags |= VMLAB_X86_PCD;
	if (raw & pat)
		flags |= VMLAB_X86_PAT;
	if (raw & _PAGE_GLOBAL)
		flags |= VMLAB_X86_GLOBAL;
	if (raw & _PAGE_NX)
		flags |= VMLAB_X86_NX;
#ifdef _PAGE_SAVED_DIRTY	/* 6.6+ */
	if (raw & _PAGE_SAVED_DIRTY)
		flags |= VMLAB_X86_SAVED_DIRTY;
#endif
	return flags;
}

u32 vmlab_pt_arch_swap_flags(u64 raw)
{
	pte_t pte = __pte(raw);
	u32 flags = 0;

	switch (vmlab_leaf_kind(pte)) {
	case VMLAB_LEAF_SWAP:
		flags |= VMLAB_PTE_SWAP;
		break;
	case VMLAB_LEAF_MIGRATION:
		flags |= VMLAB_PTE_MIGRATION;
		break;
	case VMLAB_LEAF_OTHER:
		break;
	}
	if (pte_swp_soft_dirty(pte))
		flags |= VMLAB_PTE_SOFT_DIRTY;
	return flags;
}

/* Accessed and dirty as the hardware and the kernel keep them. */
static u64 pt_ad_bits(void)
{
	u64 bits = _PAGE_ACCESSED | _PAGE_DIRTY;

#ifdef _PAGE_SAVED_DIRTY	/* 6.6+ */
	bits |= _PAGE_SAVED_DIRTY;
#endif
	return bits;
}

bool vmlab_pt_arch_level_in_use(int level)
{
	return level != PT_P4D || pgtable_l5_enabled();
}

u64 vmlab_pt_arch_pfn_mask(u64 raw, int level)
{
	if (level == PT_PMD && (raw & _PAGE_PSE))
		return pmd_pfn_mask(__pmd(raw));
	if (level == PT_PUD && (raw & _PAGE_PSE))
		return pud_pfn_mask(__pud(raw));
	return PTE_PFN_MASK;
}

u64 vmlab_pt_arch_visible(u64 raw, int level, bool present, bool show_pfn, bool show_ad)
{
	if (!present)
		return show_pfn ? raw : raw & GENMASK_ULL(_PAGE_BIT_PROTNONE, 0);
	if (!show_pfn)
		raw &= ~vmlab_pt_arch_pfn_mask(raw, level);
	if (!show_ad)
		raw &= ~pt_ad_bits();
	return raw;
}

/* As the kernel's own (unexported) ptep_test_and_clear_young() does. */
bool vmlab_pt_arch_test_and_clear_young(void *entryp)
{
	return test_and_clear_bit(_PAGE_BIT_ACCESSED, (unsigned long *)entryp);
}

void vmlab_pt_arch_version(struct vmlab_version *ver)
{
	ver->arch = VMLAB_ARCH_X86_64;
	ver->page_shift = PAGE_SHIFT;
	ver->pgtable_levels = vmlab_pt_levels();
}
