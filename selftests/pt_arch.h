/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the page-table tests expect of the raw entries of the architecture
 * the module says it runs on (VMLAB_IOC_VERSION's arch): one table per
 * architecture, so that the tests say what they check once for both.
 */
#ifndef VMLAB_PT_ARCH_H
#define VMLAB_PT_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "libvmlab.h"

struct pt_arch {
	uint32_t arch;		/* VMLAB_ARCH_* */
	const char *name;
	int min_levels, max_levels;	/* paging levels a kernel may use */
	uint64_t accessed;	/* raw bit the CPU or the kernel sets on access */
	uint64_t writable;	/* raw bit pte_write() reads */
	uint64_t pfn_mask;	/* frame bits of a 4 KiB entry, a larger page's and more */
	uint32_t nx;		/* arch_flags bit: user code may not run here */
	uint32_t not_ram;	/* arch_flags bits RAM (write-back memory) has clear */
	/* raw descriptor type bits: a table (an upper level), a huge leaf */
	uint64_t type_mask, type_table, type_leaf;
	/* raw bits that say accessed or dirty; and dirty as a pair: the first
	 * bit set with the second clear (arm64's DBM without RDONLY)
	 */
	uint64_t ad_bits, dirty_set, dirty_clear;
};

static const struct pt_arch pt_archs[] = {
	{ VMLAB_ARCH_X86_64, "x86-64", 4, 5,
	  1ULL << 5,			/* A */
	  1ULL << 1,			/* RW */
	  0x000ffffffffff000ULL,
	  VMLAB_X86_NX, VMLAB_X86_PCD | VMLAB_X86_PWT,
	  1ULL << 7, 0, 1ULL << 7,	/* PS: a leaf above the PTE level */
	  (1ULL << 5) | (1ULL << 6), 0, 0 },	/* A, D */
	{ VMLAB_ARCH_ARM64, "arm64", 2, 5,	/* 5: 52-bit VA with 4K pages (LPA2) */
	  1ULL << 10,			/* AF */
	  1ULL << 51,			/* DBM, the kernel's PTE_WRITE */
	  0x0000fffffffff000ULL,	/* 48-bit output addresses */
	  VMLAB_ARM64_UXN, VMLAB_ARM64_ATTRINDX_MASK,	/* MT_NORMAL is slot 0 */
	  3, 3, 1,			/* bits 1..0: 11 table, 01 block */
	  (1ULL << 10) | (1ULL << 55),	/* AF, the kernel's software dirty */
	  1ULL << 51, 1ULL << 7 },	/* DBM, RDONLY */
};

/* The table of the module's architecture, or NULL for one not known here. */
static inline const struct pt_arch *pt_arch(int fd)
{
	uint32_t arch = vmlab_arch(fd);
	size_t i;

	for (i = 0; i < sizeof(pt_archs) / sizeof(pt_archs[0]); i++)
		if (pt_archs[i].arch == arch)
			return &pt_archs[i];
	return NULL;
}

/* The raw entry says accessed or dirty. */
static inline bool pt_arch_raw_ad(const struct pt_arch *a, uint64_t entry)
{
	return (entry & a->ad_bits) ||
	       (a->dirty_set && (entry & (a->dirty_set | a->dirty_clear)) == a->dirty_set);
}

/*
 * Bits of a user address from the paging mode, as the architecture defines
 * them (not as the module answers): x86-64 47 or 56; arm64 VA_BITS, what
 * the levels of 2^(page_shift - 3) entries cover, at most 52 (4K pages: 3
 * levels 39, 4 levels 48, 5 levels 52 with LPA2; a 16K or 64K kernel built
 * for 48 bits where its levels could cover 52 is not told apart here).
 */
static inline int pt_arch_va_bits(const struct pt_arch *a, int fd)
{
	struct vmlab_version ver;
	int bits;

	if (!a || vmlab_version(fd, &ver))
		return 0;
	if (a->arch == VMLAB_ARCH_X86_64)
		return ver.pgtable_levels == 5 ? 56 : 47;
	bits = ver.page_shift + ver.pgtable_levels * (ver.page_shift - 3);
	return bits < 52 ? bits : 52;
}

/* TASK_SIZE: x86-64 2^bits less a guard page; arm64 2^VA_BITS. 0 on failure. */
static inline uint64_t pt_arch_task_size(const struct pt_arch *a, int fd)
{
	int bits = pt_arch_va_bits(a, fd);

	if (!bits)
		return 0;
	return (1ULL << bits) - (a->arch == VMLAB_ARCH_X86_64 ? 4096 : 0);
}

#endif
