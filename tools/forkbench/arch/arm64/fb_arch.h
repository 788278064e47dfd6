/* SPDX-License-Identifier: GPL-2.0 */
/* forkbench's arm64 part of methods.c (clone3.S has fb_clone3). */
#ifndef FB_ARCH_H
#define FB_ARCH_H

#include <stdint.h>

/* Raw system call that touches no libc state (no errno): for children. */
static inline __attribute__((always_inline)) long raw(long n, long a1, long a2,
						      long a3, long a4, long a5)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a1;
	register long x1 __asm__("x1") = a2;
	register long x2 __asm__("x2") = a3;
	register long x3 __asm__("x3") = a4;
	register long x4 __asm__("x4") = a5;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

/*
 * The fake TCB of CLONE_SETTLS: TPIDR_EL0 points at it; the children
 * read nothing there (arm64's stack guard is a global, not in the TCB).
 */
static inline void fb_arch_tls_init(uint64_t *tcb)
{
	tcb[0] = 0;
}

#endif
