/* SPDX-License-Identifier: GPL-2.0 */
/* What the tools need of x86-64 itself (tools/arch.mk picks this file). */
#ifndef VL_ARCH_H
#define VL_ARCH_H

#include <linux/vmlab.h>
#include <stddef.h>
#include <string.h>

/* The VMLAB_ARCH_* the tools are built for (vmlab_arch() without a module). */
#define VL_ARCH_ID VMLAB_ARCH_X86_64

/*
 * Pages zapped at once beyond which the kernel flushes a process's whole
 * TLB rather than page by page (tlb_single_page_flush_ceiling, 33).
 */
#define VL_TLB_FLUSH_PAGES 64

/* The address is in the kernel's half: canonical with bit 63 set. */
static inline int vl_kernel_half(uint64_t addr)
{
	return addr >> 63;
}

/*
 * Once round every busy-wait loop: the pause a spinning CPU should make.
 * It also tells an emulator running the vCPUs in turn to switch to the
 * one that holds what this one waits for.
 */
static inline void vl_cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* Fill len bytes with return instructions (ret, 0xc3), to call into. */
static inline void vl_fill_ret(void *p, size_t len)
{
	memset(p, 0xc3, len);
}

#endif
