// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench-child: what forkbench's +exec methods execute. No libc, linked
 * static: exec costs only what the kernel does. Exits with status 42 so
 * that forkbench can tell a real exec from a child that merely exited.
 */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov $60, %eax\n" /* exit */
	"	mov $42, %edi\n" /* FB_HELPER_STATUS */
	"	syscall\n"
	"	hlt\n");
