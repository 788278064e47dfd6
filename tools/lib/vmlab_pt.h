/* SPDX-License-Identifier: GPL-2.0 */
/* Page-table helpers shared by ptdump, wss and the pt selftest. */
#ifndef VMLAB_PT_H
#define VMLAB_PT_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"
#include "libvmlab.h"
#include "vl_arch.h"

/* The base page, as the page tables map it: the running kernel's (vl_page_size). */
#define VMLAB_PT_PAGE ((uint64_t)vl_page_size())

/* Entries in a table: a page of 8-byte entries (512 of 4 KiB, 2048 of 16 KiB). */
static inline uint64_t vmlab_pt_entries(void)
{
	return VMLAB_PT_PAGE / 8;
}

/*
 * What an entry of a VMLAB_LEVEL_* maps: a page at the PTE level, and a
 * table's worth of the level below at each level up (4K, 2M, 1G, 512G,
 * 256T of 4 KiB pages; 16K, 32M, 64G, 128T of 16 KiB).
 */
static inline uint64_t vmlab_pt_level_size(uint32_t level)
{
	uint64_t size = VMLAB_PT_PAGE;

	for (; level > VMLAB_LEVEL_PTE; level--)
		size *= vmlab_pt_entries();
	return size;
}

/* Paging levels of the running kernel (4 or 5), or -errno. */
static inline int vmlab_pt_levels(int fd)
{
	struct vmlab_pt_query q;
	int ret;

	memset(&q, 0, sizeof(q));
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
	return ret ? ret : (int)q.levels;
}

/*
 * End of user space, as the module checks a query's end against it (the
 * caller's TASK_SIZE): x86-64 2^47 or 2^56 less a guard page, arm64 2^48
 * (2^VA_BITS). Found by bisecting empty queries; 0 on failure.
 */
static inline uint64_t vmlab_pt_task_size(int fd)
{
	uint64_t ok = 0, bad = 1ULL << 60, mid;
	struct vmlab_pt_query q;
	int ret;

	while (bad - ok > VMLAB_PT_PAGE) {
		mid = ok + ((bad - ok) / 2 & ~(VMLAB_PT_PAGE - 1));
		memset(&q, 0, sizeof(q));
		q.start = q.end = mid;
		ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
		if (ret && ret != -EINVAL)
			return 0;
		if (ret)
			bad = mid;
		else
			ok = mid;
	}
	return ok;
}

/*
 * Make the CPUs forget this process's cached translations. Clearing an
 * accessed bit does not flush the TLB, so a page whose translation is still
 * cached is not marked accessed again when used. Zapping a range wider
 * than the kernel flushes page by page (VL_TLB_FLUSH_PAGES, vl_arch.h)
 * makes it flush the whole TLB of the mm on every CPU that runs it: the
 * range's first and last pages are enough, since the kernel flushes from
 * the first entry it zapped to the last.
 */
static inline int vmlab_flush_tlb(void)
{
	const size_t len = VL_TLB_FLUSH_PAGES * VMLAB_PT_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int ret = 0;

	if (p == MAP_FAILED)
		return -errno;
	p[0] = 1;
	p[len - 1] = 1;
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
