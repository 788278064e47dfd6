// SPDX-License-Identifier: GPL-2.0
/*
 * The bytes of forkbench-child, linked into forkbench: when no
 * forkbench-child file sits next to forkbench (the VM copies only the
 * tool), the +exec methods run this copy from a memfd.
 */
__asm__(".section .rodata\n"
	".balign 16\n"
	".globl fb_helper_blob\n"
	".hidden fb_helper_blob\n"
	"fb_helper_blob:\n"
	".incbin \"" FB_HELPER_PATH "\"\n"
	".globl fb_helper_blob_end\n"
	".hidden fb_helper_blob_end\n"
	"fb_helper_blob_end:\n"
	".previous\n");
