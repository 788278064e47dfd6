// SPDX-License-Identifier: GPL-2.0
/*
 * The bytes of a program forkbench runs, linked into the one that runs
 * it (see program.c): forkbench carries its engine (FB_BLOB fb_engine),
 * the engine its exec helper (fb_helper). FB_BLOB_PATH names the file.
 */
#define FB_STR2(x) #x
#define FB_STR(x) FB_STR2(x)

__asm__(".section .rodata\n"
	".balign 16\n"
	".globl " FB_STR(
		FB_BLOB) "_blob\n"
			 ".hidden " FB_STR(FB_BLOB) "_blob\n" FB_STR(
				 FB_BLOB) "_blob:\n"
					  ".incbin \"" FB_BLOB_PATH "\"\n"
					  ".globl " FB_STR(
						  FB_BLOB) "_blob_end\n"
							   ".hidden " FB_STR(FB_BLOB) "_blob_end\n" FB_STR(
								   FB_BLOB) "_blob_end:\n"
									    ".previous\n");
