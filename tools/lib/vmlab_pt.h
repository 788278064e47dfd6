/* SPDX-License-Identifier: GPL-2.0 */
/* Page-table helpers shared by ptdump, wss and the pt selftest. */
#ifndef VMLAB_PT_H
#define VMLAB_PT_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "libvmlab.h"

#define VMLAB_PT_PAGE 4096UL

/* Paging levels of the running kernel (4 or 5), or -errno. */
static inline int vmlab_pt_levels(int fd)
{
	struct vmlab_pt_query q;
	int ret;

	memset(&q, 0, sizeof(q));
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
	return ret ? ret : (int)q.levels;
}

/* End of user space (TASK_SIZE_MAX): 47 or 56 address bits, less a guard page. */
static inline uint64_t vmlab_pt_task_size(int levels)
{
	return (1ULL << (levels == 5 ? 56 : 47)) - VMLAB_PT_PAGE;
}

/*
 * Make the CPUs forget this process's cached translations. Clearing an
 * accessed bit does not flush the TLB, so a page whose translation is still
 * cached is not marked accessed again when used. Zapping more pages than
 * x86's single-page flush ceiling (33) makes the kernel flush the whole TLB
 * of the mm on every CPU that runs it.
 */
static inline int vmlab_flush_tlb(void)
{
	const size_t len = 64 * VMLAB_PT_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret = 0;

	if (p == MAP_FAILED)
		return -errno;
	memset(p, 1, len);
	if (madvise(p, len, MADV_DONTNEED))
		ret = -errno;
	munmap(p, len);
	return ret;
}

/* Test-and-clear the accessed bits of this process's [start, end): count, or -errno. */
static inline int64_t vmlab_pt_clear_accessed(int fd, uint64_t start,
					      uint64_t end)
{
	struct vmlab_pt_clear_accessed ca;
	int ret;

	memset(&ca, 0, sizeof(ca));
	ca.start = start;
	ca.end = end;
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca);
	return ret ? ret : (int64_t)ca.cleared;
}

#endif
