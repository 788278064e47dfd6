/* SPDX-License-Identifier: GPL-2.0 */
/* What the tools need of arm64 itself (tools/arch.mk picks this file). */
#ifndef VL_ARCH_H
#define VL_ARCH_H

#include <linux/vmlab.h>
#include <stddef.h>
#include <stdint.h>

/* The VMLAB_ARCH_* the tools are built for (vmlab_arch() without a module). */
#define VL_ARCH_ID VMLAB_ARCH_ARM64

/*
 * Pages zapped at once beyond which the kernel flushes a process's whole
 * TLB rather than by page or by range: MAX_TLBI_RANGE_PAGES (2^21) with
 * FEAT_TLBIRANGE, else MAX_TLBI_OPS (512). One more than the larger.
 */
#define VL_TLB_FLUSH_PAGES ((1UL << 21) + 1)

/*
 * The address is in the kernel's half: bit 55 picks TTBR1 (the top byte
 * is ignored in user addresses, so 0x8000000000000000 is not the kernel's).
 */
static inline int vl_kernel_half(uint64_t addr)
{
	return (addr >> 55) & 1;
}

/*
 * Once round every busy-wait loop: the hint a spinning CPU should give
 * (yield; QEMU's TCG switches to another vCPU on it, as on x86's pause).
 */
static inline void vl_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/*
 * Fill len bytes (a multiple of 4) with ret instructions, to call into;
 * arm64's instruction cache is not coherent with the data writes: sync it.
 */
static inline void vl_fill_ret(void *p, size_t len)
{
	uint32_t *w = p;
	size_t i;

	for (i = 0; i < len / 4; i++)
		w[i] = 0xd65f03c0; /* ret */
	__builtin___clear_cache((char *)p, (char *)p + len);
}

#endif
