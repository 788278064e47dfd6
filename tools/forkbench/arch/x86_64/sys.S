/* SPDX-License-Identifier: GPL-2.0 */
/* forkbench's x86-64 part of methods.c: see the declarations there. */
	.text

/*
 * long fb_raw(long nr, long a1, long a2, long a3, long a4, long a5):
 * a system call that touches no libc state (no errno).
 */
	.globl fb_raw
	.type fb_raw, @function
fb_raw:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	syscall
	ret
	.size fb_raw, .-fb_raw

/*
 * clone3 with a child function: the child starts on the new stack right
 * after the syscall instruction, so it must be assembly until it has
 * called fn (r8/r9 survive the syscall; rcx and r11 do not).
 * long fb_clone3(struct clone_args *, size_t, int (*fn)(void *), void *)
 */
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

/* void fb_tls_init(uint64_t *tcb): x86-64's TCB points at itself. */
	.globl fb_tls_init
	.type fb_tls_init, @function
fb_tls_init:
	mov %rdi, (%rdi)
	ret
	.size fb_tls_init, .-fb_tls_init
	.section .note.GNU-stack, "", @progbits
