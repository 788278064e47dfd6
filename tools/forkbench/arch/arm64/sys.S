/* SPDX-License-Identifier: GPL-2.0 */
/* forkbench's arm64 part of methods.c: see the declarations there. */
	.text

/*
 * long fb_raw(long nr, long a1, long a2, long a3, long a4, long a5):
 * a system call that touches no libc state (no errno).
 */
	.globl fb_raw
	.type fb_raw, %function
fb_raw:
	mov x8, x0
	mov x0, x1
	mov x1, x2
	mov x2, x3
	mov x3, x4
	mov x4, x5
	svc #0
	ret
	.size fb_raw, .-fb_raw

/*
 * clone3 with a child function: the child starts on the new stack right
 * after the svc instruction, so it must be assembly until it has called
 * fn (every register but x0 survives the system call).
 * long fb_clone3(struct clone_args *, size_t, int (*fn)(void *), void *)
 */
	.globl fb_clone3
	.type fb_clone3, %function
fb_clone3:
	mov x8, #435	/* clone3 */
	svc #0
	cbnz x0, 1f
	mov x29, #0
	mov x30, #0
	mov x9, sp
	and x9, x9, #-16
	mov sp, x9
	mov x0, x3
	blr x2
	mov x8, #93	/* exit */
	svc #0
	brk #0
1:	ret
	.size fb_clone3, .-fb_clone3

/*
 * void fb_tls_init(uint64_t *tcb): TPIDR_EL0 will point at it; the
 * children read nothing there (arm64's stack guard is a global).
 */
	.globl fb_tls_init
	.type fb_tls_init, %function
fb_tls_init:
	ret
	.size fb_tls_init, .-fb_tls_init
	.section .note.GNU-stack, "", %progbits
