/* SPDX-License-Identifier: GPL-2.0 */
/* forkbench's x86-64 part of methods.c (clone3.S has fb_clone3). */
#ifndef FB_ARCH_H
#define FB_ARCH_H

#include <stdint.h>

/* Raw system call that touches no libc state (no errno): for children. */
static inline __attribute__((always_inline)) long raw(long n, long a1, long a2,
						      long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

/* The fake TCB of CLONE_SETTLS: x86-64's TCB points at itself. */
static inline void fb_arch_tls_init(uint64_t *tcb)
{
	tcb[0] = (uint64_t)(uintptr_t)tcb;
}

#endif
