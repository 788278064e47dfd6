/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clone3 with a child function: the child starts on the new stack right
 * after the svc instruction, so it must be assembly until it has called
 * fn (every register but x0 survives the system call).
 * long fb_clone3(struct clone_args *, size_t, int (*fn)(void *), void *)
 */
	.text
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
	.section .note.GNU-stack, "", %progbits
