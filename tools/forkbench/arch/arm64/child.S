/* SPDX-License-Identifier: GPL-2.0 */
/*
 * forkbench-child: what forkbench's +exec methods execute. No libc, linked
 * static: exec costs only what the kernel does. Exits with status 42 so
 * that forkbench can tell a real exec from a child that merely exited.
 */
	.text
	.globl _start
_start:
	mov x8, #93	/* exit */
	mov x0, #42	/* FB_HELPER_STATUS */
	svc #0
	brk #0
