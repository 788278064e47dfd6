/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clone3 with a child function: the child starts on the new stack right
 * after the syscall instruction, so it must be assembly until it has
 * called fn (r8/r9 survive the syscall; rcx and r11 do not).
 * long fb_clone3(struct clone_args *, size_t, int (*fn)(void *), void *)
 */
	.text
	.globl fb_clone3
	.type fb_clone3, @function
fb_clone3:
	mov %rdx, %r8
	mov %rcx, %r9
	mov $435, %eax	/* clone3 */
	syscall
	test %rax, %rax
	jnz 1f
	xor %ebp, %ebp
	and $-16, %rsp
	mov %r9, %rdi
	call *%r8
	mov %eax, %edi
	mov $60, %eax	/* exit */
	syscall
	hlt
1:	ret
	.size fb_clone3, .-fb_clone3
	.section .note.GNU-stack, "", @progbits
