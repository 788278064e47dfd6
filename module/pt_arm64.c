// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 part of reading a page-table entry (VMSAv8-64 descriptors):
 * the bits the kernel's generic accessors do not name, the output-address
 * field, and the access flag's test-and-clear.
 *
 * What arm64 teaches that x86 hides: the access flag (AF) and the dirty
 * state are kept by hardware only with FEAT_HAFDBS. Without it (Apple's
 * M1, QEMU's cortex-a57) an access to a page whose AF is clear faults and
 * the kernel sets AF; a write to a clean page faults and the kernel marks
 * it dirty. "Dirty" is the software bit (PTE_DIRTY), or DBM set with
 * RDONLY clear: the hardware's way of saying a writable page was written.
 */
#include <linux/bitops.h>

#include "compat.h"
#include "pt.h"

/*
 * Kernels with 52-bit VA (LPA2, 6.9+) fold the top level at boot on a CPU
 * without it (and, with 16K pages, the PUD level): pgtable_l5_enabled()
 * and pgtable_l4_enabled() say. Older kernels fold only at build time.
 */
#ifdef VMLAB_HAVE_ARM64_BOOT_FOLDING
#define vmlab_arm64_l5()	pgtable_l5_enabled()
#define vmlab_arm64_l4()	pgtable_l4_enabled()
#else
#define vmlab_arm64_l5()	(CONFIG_PGTABLE_LEVELS > 4)
#define vmlab_arm64_l4()	(CONFIG_PGTABLE_LEVELS > 3)
#endif

bool vmlab_pt_arch_level_in_use(int level)
{
	switch (level) {
	case PT_P4D:
		return vmlab_arm64_l5();
	case PT_PUD:
		return vmlab_arm64_l4();
	default:
		return CONFIG_PGTABLE_LEVELS > 2;
	}
}

u64 vmlab_pt_arch_pfn_mask(u64 raw, int level)
{
	return __phys_to_pte_val((phys_addr_t)PHYS_MASK & PAGE_MASK);
}

u32 vmlab_pt_arch_flags(u64 raw)
{
	u32 flags = 0;

	if (raw & PTE_USER)
		flags |= VMLAB_PTE_USER;
	if (raw & PTE_UXN)
		flags |= VMLAB_PTE_NX;
	if (!(raw & PTE_NG))
		flags |= VMLAB_PTE_GLOBAL;
	return flags;
}

u32 vmlab_pt_arch_detail(u64 raw, int level)
{
	u32 flags = 0;

	if (raw & PTE_AF)
		flags |= VMLAB_ARM64_AF;
	if (raw & PTE_DBM)
		flags |= VMLAB_ARM64_DBM;
	if (raw & PTE_RDONLY)
		flags |= VMLAB_ARM64_RDONLY;
	if (raw & PTE_DIRTY)
		flags |= VMLAB_ARM64_SW_DIRTY;
	if (raw & PTE_CONT)
		flags |= VMLAB_ARM64_CONT;
	if (raw & PTE_PXN)
		flags |= VMLAB_ARM64_PXN;
	if (raw & PTE_UXN)
		flags |= VMLAB_ARM64_UXN;
	if (raw & PTE_NG)
		flags |= VMLAB_ARM64_NG;
	flags |= ((raw & PTE_ATTRINDX_MASK) >> 2) << VMLAB_ARM64_ATTRINDX_SHIFT;
	flags |= ((raw & PTE_SHARED) >> 8) << VMLAB_ARM64_SH_SHIFT;
	return flags;
}

u32 vmlab_pt_arch_swap_flags(u64 raw)
{
	switch (vmlab_leaf_kind(__pte(raw))) {
	case VMLAB_LEAF_SWAP:
		return VMLAB_PTE_SWAP;
	case VMLAB_LEAF_MIGRATION:
		return VMLAB_PTE_MIGRATION;
	default:
		return 0;
	}
}

u64 vmlab_pt_arch_visible(u64 raw, int level, bool present, bool show_pfn, bool show_ad)
{
	if (!present)
		return show_pfn ? raw : raw & GENMASK_ULL(__SWP_OFFSET_SHIFT - 1, 0);
	if (!show_pfn)
		raw &= ~vmlab_pt_arch_pfn_mask(raw, level);
	if (!show_ad) {
		raw &= ~(PTE_AF | PTE_DIRTY);
		/* hardware dirty is DBM with RDONLY clear: show it clean */
		if (raw & PTE_DBM)
			raw |= PTE_RDONLY;
	}
	return raw;
}

/* As the kernel's ptep_test_and_clear_young(), an atomic clear of AF. */
bool vmlab_pt_arch_test_and_clear_young(void *entryp)
{
	return test_and_clear_bit(ilog2(PTE_AF), (unsigned long *)entryp);
}

void vmlab_pt_arch_version(struct vmlab_version *ver)
{
	ver->arch = VMLAB_ARCH_ARM64;
	ver->page_shift = PAGE_SHIFT;
	ver->pgtable_levels = vmlab_pt_levels();
}
