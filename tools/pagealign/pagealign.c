// SPDX-License-Identifier: GPL-2.0
/*
 * pagealign: can a page start at an address that is not a multiple of the
 * page size? Asked of the kernel: mmap with MAP_FIXED at an aligned address
 * and at the same address plus an offset, and mmap with the unaligned
 * address as a mere hint; each result is printed as it came back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <unistd.h>

static void try_map(const char *what, void *addr, int flags, long page)
{
	void *p = mmap(addr, (size_t)page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED) {
		printf("%-28s addr %p: failed, %s\n", what, addr,
		       errno == EINVAL ? "EINVAL" : strerror(errno));
		return;
	}
	printf("%-28s addr %p: mapped at %p (%sa multiple of %ld)\n", what,
	       addr, p, (uintptr_t)p % (uintptr_t)page ? "not " : "", page);
	munmap(p, (size_t)page);
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	long offset = argc > 1 ? strtol(argv[1], NULL, 0) : 0x123;
	char *probe;

	if (argc > 2 || offset <= 0 || offset >= page) {
		fprintf(stderr,
			"usage: pagealign [OFFSET]   (0 < OFFSET < the page size; default 0x123)\n");
		return 2;
	}
	printf("page size: %ld bytes; a 32-bit address space holds 2^32 / %ld = %lld pages\n",
	       page, page, (1LL << 32) / page);
	/* an address the kernel just handed out, free again */
	probe = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (probe == MAP_FAILED) {
		perror("pagealign: mmap");
		return 1;
	}
	munmap(probe, (size_t)page);
	try_map("MAP_FIXED, aligned", probe, MAP_FIXED, page);
	try_map("MAP_FIXED, aligned + offset", probe + offset, MAP_FIXED, page);
	try_map("hint only, aligned + offset", probe + offset, 0, page);
	return 0;
}
