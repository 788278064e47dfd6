// SPDX-License-Identifier: GPL-2.0
/*
 * VMLAB_IOC_PT_QUERY and VMLAB_IOC_PT_CLEAR_ACCESSED: the bits a page's
 * entry shows after what this process did to it, copy-on-write after fork,
 * files mapped shared and private, huge pages, the pagemap permission rule,
 * resumable output and bad inputs.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "pt_arch.h"
#include "vm_util.h"
#include "vmlab_pt.h"

/* x86-64's raw dirty bit (arm64 has none: pt_arch.h's table has what both have). */
#define X86_DIRTY	(1ULL << 6)

/* Query [addr, addr + len) of this process (pagemap_fd < 0) or of a pagemap fd. */
static int query(int fd, int pagemap_fd, unsigned long addr, unsigned long len,
		 struct vmlab_pte *out, unsigned int n, unsigned int *got)
{
	struct vmlab_pt_query q;
	int ret;

	memset(&q, 0, sizeof(q));
	if (pagemap_fd >= 0) {
		q.flags = VMLAB_PT_PAGEMAP_FD;
		q.pagemap_fd = pagemap_fd;
	}
	q.start = addr;
	q.end = addr + len;
	q.count = n;
	q.entries = (uintptr_t)out;
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
	if (!ret)
		*got = q.count;
	return ret;
}

/* The record of one page: 1, 0 if it has no entry, or -errno. */
static int query_page(int fd, int pagemap_fd, void *addr, struct vmlab_pte *rec)
{
	unsigned int got = 0;
	int ret;

	memset(rec, 0, sizeof(*rec));
	ret = query(fd, pagemap_fd, (uintptr_t)addr, PG, rec, 1, &got);
	return ret ? ret : (int)got;
}

static int clear_accessed(int fd, void *addr, unsigned long len, uint64_t *cleared)
{
	struct vmlab_pt_clear_accessed ca;
	int ret;

	memset(&ca, 0, sizeof(ca));
	ca.start = (uintptr_t)addr;
	ca.end = (uintptr_t)addr + len;
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca);
	if (!ret && cleared)
		*cleared = ca.cleared;
	return ret;
}

static char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

/* The end of user space for the paging mode the module reports. */
static uint64_t task_size(int fd)
{
	return pt_arch_task_size(pt_arch(fd), fd);
}

/*
 * Every bit of set is set in v and every bit of clear is clear: each bit
 * is asserted, and a failure names the bits that differ.
 */
#define EXPECT_BITS(v, set, clear) expect_bits(_metadata, #v, (v), (set), (clear))
static void expect_bits(struct __test_metadata *_metadata, const char *what, uint64_t v,
			uint64_t set, uint64_t clear)
{
	EXPECT_EQ(set, v & set) TH_LOG("%s 0x%llx: clear, want set: 0x%llx", what,
				       (unsigned long long)v, (unsigned long long)(set & ~v));
	EXPECT_EQ(0, v & clear) TH_LOG("%s 0x%llx: set, want clear: 0x%llx", what,
				       (unsigned long long)v, (unsigned long long)(v & clear));
}

FIXTURE(pt) {
	int fd;
	const struct pt_arch *a;	/* the raw bits of the module's architecture */
};

FIXTURE_SETUP(pt)
{
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
	self->a = pt_arch(self->fd);
	ASSERT_NE(NULL, self->a) TH_LOG("architecture %u not known to pt_arch.h",
				       vmlab_arch(self->fd));
}

FIXTURE_TEARDOWN(pt)
{
	close(self->fd);
}

TEST_F(pt, read_write_untouched)
{
	struct vmlab_pte r;
	char *p = map_anon(3 * PG);
	volatile char c;

	ASSERT_NE(NULL, p);
	c = p[0];		/* read: maps the shared zero page, read-only */
	(void)c;
	p[PG] = 1;		/* write: a private page of our own */

	ASSERT_EQ(1, query_page(self->fd, -1, p, &r));
	EXPECT_EQ((uintptr_t)p, r.va);
	EXPECT_EQ(VMLAB_LEVEL_PTE, r.level);
	EXPECT_BITS(r.flags, VMLAB_PTE_PRESENT | VMLAB_PTE_ACCESSED | VMLAB_PTE_USER |
				     VMLAB_PTE_ZERO_PAGE | VMLAB_PTE_NX,
		    VMLAB_PTE_DIRTY | VMLAB_PTE_WRITE);
	EXPECT_BITS(r.arch_flags, self->a->nx, self->a->not_ram); /* RAM is write-back */

	ASSERT_EQ(1, query_page(self->fd, -1, p + PG, &r));
	EXPECT_BITS(r.flags, VMLAB_PTE_PRESENT | VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY | VMLAB_PTE_WRITE,
		    VMLAB_PTE_ZERO_PAGE);
	EXPECT_BITS(r.entry, self->a->writable | self->a->accessed, 0);

	EXPECT_EQ(0, query_page(self->fd, -1, p + 2 * PG, &r));
	munmap(p, 3 * PG);
}

/* As root the PFN shows; the zero page and a private page differ. */
TEST_F(pt, pfn_visible_as_root)
{
	struct vmlab_pte r0, r1;
	char *p = map_anon(2 * PG);
	volatile char c;

	ASSERT_NE(NULL, p);
	c = p[0];
	(void)c;
	p[PG] = 1;
	ASSERT_EQ(1, query_page(self->fd, -1, p, &r0));
	ASSERT_EQ(1, query_page(self->fd, -1, p + PG, &r1));
	EXPECT_NE(0, r0.pfn);
	EXPECT_NE(0, r1.pfn);
	EXPECT_NE(r0.pfn, r1.pfn);
	EXPECT_EQ(r1.pfn, (r1.entry & self->a->pfn_mask) / PG);
	munmap(p, 2 * PG);
}

TEST_F(pt, clear_accessed_then_tlb_flush_sets_it_again)
{
	struct vmlab_pte r;
	uint64_t cleared = 0;
	char *p = map_anon(4 * PG);
	volatile char c;

	ASSERT_NE(NULL, p);
	memset(p, 1, 4 * PG);
	ASSERT_EQ(0, clear_accessed(self->fd, p, 4 * PG, &cleared));
	EXPECT_EQ(4, cleared);
	ASSERT_EQ(1, query_page(self->fd, -1, p, &r));
	EXPECT_FALSE(r.flags & VMLAB_PTE_ACCESSED);
	EXPECT_FALSE(r.entry & self->a->accessed);
	EXPECT_TRUE(r.flags & VMLAB_PTE_DIRTY) TH_LOG("clearing A must leave D");

	/* Nothing was accessed since: a second clear finds nothing set. */
	ASSERT_EQ(0, clear_accessed(self->fd, p + PG, 3 * PG, &cleared));
	EXPECT_EQ(0, cleared);

	ASSERT_EQ(0, vmlab_flush_tlb());
	c = p[0];
	(void)c;
	ASSERT_EQ(1, query_page(self->fd, -1, p, &r));
	EXPECT_TRUE(r.flags & VMLAB_PTE_ACCESSED);
	ASSERT_EQ(1, query_page(self->fd, -1, p + 2 * PG, &r));
	EXPECT_FALSE(r.flags & VMLAB_PTE_ACCESSED) TH_LOG("an untouched page stays old");
	munmap(p, 4 * PG);
}

/* After fork both entries are read-only and share the frame; a write splits them. */
TEST_F(pt, fork_copy_on_write)
{
	struct vmlab_pte before, parent, child;
	int to_parent[2], to_child[2];
	char *p = map_anon(PG);
	pid_t pid;
	char go;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(1, query_page(self->fd, -1, p, &before));
	ASSERT_TRUE(before.flags & VMLAB_PTE_WRITE);
	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vmlab_pte recs[2];

		if (query_page(self->fd, -1, p, &recs[0]) != 1)
			_exit(10);
		p[0] = 2;	/* the COW fault gives the child its own copy */
		if (query_page(self->fd, -1, p, &recs[1]) != 1)
			_exit(11);
		if (write(to_parent[1], recs, sizeof(recs)) != sizeof(recs))
			_exit(12);
		if (read(to_child[0], &go, 1) != 1)
			_exit(13);
		_exit(0);
	}
	{
		struct vmlab_pte recs[2];

		ASSERT_EQ(sizeof(recs), read(to_parent[0], recs, sizeof(recs)));
		ASSERT_EQ(1, query_page(self->fd, -1, p, &parent));
		child = recs[0];
		/* Before its write, the child's entry was read-only and shared the frame. */
		EXPECT_FALSE(child.flags & VMLAB_PTE_WRITE);
		EXPECT_EQ(before.pfn, child.pfn);
		/* The parent's entry was write-protected, still dirty (6.12: saved-dirty). */
		EXPECT_FALSE(parent.flags & VMLAB_PTE_WRITE);
		EXPECT_TRUE(parent.flags & VMLAB_PTE_DIRTY);
		if (self->a->arch == VMLAB_ARCH_X86_64) {
			/* ... kept in exactly one place: the hardware D bit or saved-dirty. */
			EXPECT_NE(!!(parent.entry & X86_DIRTY),
				  !!(parent.arch_flags & VMLAB_X86_SAVED_DIRTY));
		} else {
			/* ... in the software bit: DBM went, RDONLY came (no hardware dirty). */
			EXPECT_BITS(parent.arch_flags, VMLAB_ARM64_SW_DIRTY | VMLAB_ARM64_RDONLY,
				    VMLAB_ARM64_DBM);
		}
		EXPECT_EQ(before.pfn, parent.pfn);
		/* After the child's write: a new frame, writable and dirty. */
		EXPECT_NE(before.pfn, recs[1].pfn);
		EXPECT_TRUE(recs[1].flags & VMLAB_PTE_WRITE);
		EXPECT_TRUE(recs[1].flags & VMLAB_PTE_DIRTY);
	}
	ASSERT_EQ(1, write(to_child[1], "g", 1));
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(1, p[0]);
	munmap(p, PG);
}

/* A file mapped shared and private: a private write copies, a shared write does not. */
TEST_F(pt, map_shared_vs_map_private_file)
{
	char path[] = "/tmp/pt_test.XXXXXX";
	struct vmlab_pte s0, p0, s1, p1;
	volatile char c;
	char *sh, *pr;
	int f;

	f = mkstemp(path);
	ASSERT_LE(0, f);
	unlink(path);
	ASSERT_EQ(0, ftruncate(f, PG));
	ASSERT_EQ(1, pwrite(f, "x", 1, 0));
	sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	pr = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_NE(MAP_FAILED, pr);

	c = sh[0] + pr[0];
	(void)c;
	ASSERT_EQ(1, query_page(self->fd, -1, sh, &s0));
	ASSERT_EQ(1, query_page(self->fd, -1, pr, &p0));
	EXPECT_EQ(s0.pfn, p0.pfn) TH_LOG("both map the page-cache page");
	EXPECT_FALSE(p0.flags & VMLAB_PTE_WRITE) TH_LOG("private: read-only until written");

	pr[0] = 'p';
	sh[0] = 's';
	ASSERT_EQ(1, query_page(self->fd, -1, sh, &s1));
	ASSERT_EQ(1, query_page(self->fd, -1, pr, &p1));
	EXPECT_EQ(s0.pfn, s1.pfn) TH_LOG("a shared write stays in the page cache");
	EXPECT_NE(p0.pfn, p1.pfn) TH_LOG("a private write gets a new frame");
	EXPECT_TRUE(s1.flags & VMLAB_PTE_DIRTY);
	EXPECT_TRUE(p1.flags & VMLAB_PTE_WRITE);
	EXPECT_EQ('p', pr[0]);
	EXPECT_EQ('s', sh[0]);
	munmap(sh, PG);
	munmap(pr, PG);
	close(f);
}

/* AnonHugePages of this process's mapping that starts at addr, in kB, or -1. */
static long anon_huge_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long start, end;
	bool here = false;
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (kb < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			here = start == (uintptr_t)addr;
		else if (here)
			sscanf(line, "AnonHugePages: %ld kB", &kb);
	}
	fclose(f);
	return kb;
}

TEST_F(pt, thp_reported_at_pmd_level)
{
	const char *why = NULL;
	struct vmlab_pte recs[8];
	unsigned int got = 0;
	char *raw, *p;
	long huge_kb;

	if (!thp_enabled(&why))
		SKIP(return, "%s", why);
	raw = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	p = (char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	ASSERT_EQ(0, madvise(p, HPAGE, MADV_HUGEPAGE));
	memset(p, 1, HPAGE);
	/* The kernel may fall back to small pages (no free huge page): smaps says. */
	huge_kb = anon_huge_kb(p);
	if (huge_kb == 0)
		SKIP(return, "the written MADV_HUGEPAGE range got no huge page (smaps)");
	EXPECT_EQ((long)(HPAGE >> 10), huge_kb) TH_LOG("smaps: the range is one huge page");

	ASSERT_EQ(0, query(self->fd, -1, (uintptr_t)p + 5 * PG, PG, recs, 8, &got));
	ASSERT_EQ(1, got);
	EXPECT_EQ(VMLAB_LEVEL_PMD, recs[0].level);
	EXPECT_EQ((uintptr_t)p, recs[0].va) TH_LOG("the leaf starts at the 2 MiB boundary");
	EXPECT_TRUE(recs[0].flags & VMLAB_PTE_HUGE);
	EXPECT_TRUE(recs[0].flags & VMLAB_PTE_DIRTY);
	EXPECT_EQ(self->a->type_leaf, recs[0].entry & self->a->type_mask)
		TH_LOG("a leaf entry (x86 PS, arm64 block)");
	munmap(raw, 2 * HPAGE);
}

TEST_F(pt, mprotect_read_clears_writable)
{
	struct vmlab_pte r;
	char *p = map_anon(PG);

	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(1, query_page(self->fd, -1, p, &r));
	EXPECT_TRUE(r.flags & VMLAB_PTE_WRITE);
	ASSERT_EQ(0, mprotect(p, PG, PROT_READ));
	ASSERT_EQ(1, query_page(self->fd, -1, p, &r));
	EXPECT_FALSE(r.flags & VMLAB_PTE_WRITE);
	EXPECT_FALSE(r.entry & self->a->writable);
	EXPECT_TRUE(r.flags & VMLAB_PTE_PRESENT);
	munmap(p, PG);
}

TEST_F(pt, mlock_makes_pages_present)
{
	struct vmlab_pte recs[8];
	unsigned int got = 0, i;
	char *p = map_anon(8 * PG);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, query(self->fd, -1, (uintptr_t)p, 8 * PG, recs, 8, &got));
	EXPECT_EQ(0, got);
	ASSERT_EQ(0, mlock(p, 8 * PG));
	ASSERT_EQ(0, query(self->fd, -1, (uintptr_t)p, 8 * PG, recs, 8, &got));
	EXPECT_EQ(8, got);
	for (i = 0; i < got; i++)
		EXPECT_TRUE(recs[i].flags & VMLAB_PTE_PRESENT);
	munlock(p, 8 * PG);
	munmap(p, 8 * PG);
}

/* Output is bounded by count; start says where to go on; nothing is lost. */
TEST_F(pt, resume_in_chunks)
{
	const unsigned int pages = 300;
	struct vmlab_pte recs[100];
	struct vmlab_pt_query q;
	unsigned int total = 0, calls = 0, i;
	char *p = map_anon(pages * PG);

	ASSERT_NE(NULL, p);
	for (i = 0; i < pages; i++)
		p[i * PG] = 1;
	memset(&q, 0, sizeof(q));
	q.start = (uintptr_t)p;
	q.end = (uintptr_t)p + pages * PG;
	while (q.start < q.end) {
		q.count = 100;
		q.entries = (uintptr_t)recs;
		ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
		for (i = 0; i < q.count; i++)
			ASSERT_EQ((uintptr_t)p + (total + i) * PG, recs[i].va);
		total += q.count;
		ASSERT_GT(20, ++calls);
	}
	EXPECT_EQ(pages, total);
	EXPECT_EQ(q.end, q.start);
	munmap(p, pages * PG);
}

/* The whole user space in one call: holes are skipped at the highest level. */
TEST_F(pt, sparse_full_scan_and_table_counts)
{
	struct vmlab_pt_query q;
	uint64_t top = task_size(self->fd);

	ASSERT_NE(0, top);
	memset(&q, 0, sizeof(q));
	q.end = top;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	EXPECT_EQ(top, q.start);
	EXPECT_LE(self->a->min_levels, q.levels);
	EXPECT_GE(self->a->max_levels, q.levels);
	EXPECT_EQ(1, q.tables[4]) TH_LOG("one PGD");
	if (q.levels == 5) {
		EXPECT_LE(1, q.tables[3]);
	} else {
		EXPECT_EQ(0, q.tables[3]) TH_LOG("4-level: the P4D is folded");
	}
	if (q.levels == 3) {
		EXPECT_EQ(0, q.tables[2]) TH_LOG("3-level: the PUD is folded");
	} else {
		EXPECT_LE(1, q.tables[2]);
	}
	EXPECT_LE(1, q.tables[1]);
	EXPECT_LE(3, q.tables[0]) TH_LOG("text, heap/data and stack need PTE tables");
}

TEST_F(pt, upper_levels)
{
	struct vmlab_pt_query q;
	struct vmlab_pte r;
	char *p = map_anon(PG);

	ASSERT_NE(NULL, p);
	p[0] = 1;
	memset(&q, 0, sizeof(q));
	q.flags = VMLAB_PT_LEVELS;
	q.start = (uintptr_t)p;
	q.end = q.start + PG;
	q.count = 1;
	q.entries = (uintptr_t)&r;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	ASSERT_EQ(1, q.count);
	EXPECT_TRUE(r.upper[0] & 1) TH_LOG("PGD entry present");
	if (q.levels == 5) {
		EXPECT_TRUE(r.upper[1] & 1);
	} else {
		EXPECT_EQ(0, r.upper[1]);
	}
	if (q.levels == 3) {
		EXPECT_EQ(0, r.upper[2]);
	} else {
		EXPECT_TRUE(r.upper[2] & 1);
	}
	EXPECT_TRUE(r.upper[3] & 1);
	EXPECT_EQ(self->a->type_table, r.upper[3] & self->a->type_mask)
		TH_LOG("a table, not a leaf");
	munmap(p, PG);
}

/*
 * Directories opened before dropping privileges: path lookups as the
 * unprivileged user then start there, whatever the mode of the VM's "/".
 */
static int open_dir(const char *path)
{
	return open(path, O_PATH | O_DIRECTORY);
}

/* Unprivileged: no PFN in the record nor in the raw entries. */
TEST_F(pt, pfn_zero_without_cap_sys_admin)
{
	int proc = open_dir("/proc");
	char *p = map_anon(PG);
	pid_t pid;

	ASSERT_LE(0, proc);
	ASSERT_NE(NULL, p);
	p[0] = 1;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vmlab_pte r;
		int pm;

		if (drop_privileges(UNPRIV_UID))
			_exit(10);
		/* A uid change makes us non-dumpable: /proc/self would be root's. */
		prctl(PR_SET_DUMPABLE, 1);
		if (query_page(self->fd, -1, p, &r) != 1)
			_exit(11);
		if (r.pfn || (r.entry & self->a->pfn_mask) || !(r.flags & VMLAB_PTE_PRESENT))
			_exit(12);
		pm = openat(proc, "self/pagemap", O_RDONLY);
		if (pm < 0) {
			fprintf(stderr, "# open /proc/self/pagemap as %d: %m\n", UNPRIV_UID);
			_exit(13);
		}
		if (query_page(self->fd, pm, p, &r) != 1)
			_exit(14);
		if (r.pfn || (r.entry & self->a->pfn_mask))
			_exit(15);
		_exit(0);
	}
	EXPECT_EQ(0, wait_exit(pid));
	close(proc);
	munmap(p, PG);
}

/* A root child reads its parent through /proc/PPID/pagemap: same record. */
TEST_F(pt, pagemap_fd_of_parent)
{
	struct vmlab_pte mine;
	char *p = map_anon(PG);
	pid_t parent = getpid(), pid;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	ASSERT_EQ(1, query_page(self->fd, -1, p, &mine));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vmlab_pte r;
		char path[64];
		int pm;

		snprintf(path, sizeof(path), "/proc/%d/pagemap", parent);
		pm = open(path, O_RDONLY);
		if (pm < 0)
			_exit(10);
		if (query_page(self->fd, pm, p, &r) != 1)
			_exit(11);
		if (r.pfn != mine.pfn || !r.pfn || !(r.flags & VMLAB_PTE_DIRTY))
			_exit(12);
		_exit(0);
	}
	EXPECT_EQ(0, wait_exit(pid));
	munmap(p, PG);
}

/* An unprivileged user cannot open root's pagemap, nor pass another fd type. */
TEST_F(pt, unprivileged_denied_other_users_process)
{
	int proc = open_dir("/proc"), dev = open_dir("/dev");
	pid_t parent = getpid(), pid;

	ASSERT_LE(0, proc);
	ASSERT_LE(0, dev);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vmlab_pte r;
		char path[64];
		int fd, ret;

		if (drop_privileges(UNPRIV_UID))
			_exit(10);
		snprintf(path, sizeof(path), "%d/pagemap", parent);
		fd = openat(proc, path, O_RDONLY);
		if (fd >= 0 || errno != EACCES) {
			fprintf(stderr, "# open /proc/%s as %d: %d %m\n", path, UNPRIV_UID, fd);
			_exit(11);
		}
		fd = openat(proc, "self/status", O_RDONLY);
		ret = fd < 0 ? -errno : query_page(self->fd, fd, (void *)0x400000, &r);
		if (ret != -EINVAL) {
			fprintf(stderr, "# query with a status fd: %d\n", ret);
			_exit(12);
		}
		close(fd);
		fd = openat(dev, "null", O_RDONLY);
		ret = fd < 0 ? -errno : query_page(self->fd, fd, (void *)0x400000, &r);
		if (ret != -EINVAL) {
			fprintf(stderr, "# query with /dev/null: %d\n", ret);
			_exit(13);
		}
		close(fd);
		if (query_page(self->fd, 999, (void *)0x400000, &r) != -EBADF)
			_exit(14);
		_exit(0);
	}
	EXPECT_EQ(0, wait_exit(pid));
	close(proc);
	close(dev);
}

/* The target exited while we hold its pagemap fd: a clean -ESRCH. */
TEST_F(pt, exited_target_is_esrch)
{
	struct vmlab_pte r;
	int sync[2], pm;
	char path[64];
	pid_t pid;

	ASSERT_EQ(0, pipe(sync));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		close(sync[1]);
		if (read(sync[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(sync[0]);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	pm = open(path, O_RDONLY);
	ASSERT_LE(0, pm);
	EXPECT_LE(0, query_page(self->fd, pm, (void *)0x400000, &r));
	close(sync[1]);
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(-ESRCH, query_page(self->fd, pm, (void *)0x400000, &r));
	close(pm);
}

TEST_F(pt, bad_query_inputs)
{
	struct vmlab_pte recs[2];
	struct vmlab_pt_query q;
	uint64_t top = task_size(self->fd);
	char *p = map_anon(2 * PG);

	ASSERT_NE(NULL, p);
	p[0] = p[PG] = 1;
#define RESET() do { memset(&q, 0, sizeof(q)); q.start = (uintptr_t)p; \
		q.end = q.start + 2 * PG; q.count = 2; q.entries = (uintptr_t)recs; } while (0)
	RESET();
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	EXPECT_EQ(2, q.count);

	RESET(); q.start += 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	RESET(); q.end -= 100;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	RESET(); q.start = q.end + PG;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("wrapping range");
	RESET(); q.end = top + PG;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("beyond TASK_SIZE");
	RESET(); q.start = 0xffff800000000000ULL; q.end = 0xffff800000002000ULL;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("kernel half");
	RESET(); q.start = 0x0000800000000000ULL; q.end = q.start + PG;
	if (q.end > top) /* x86 4-level: 0x800000000000 is not canonical */
		EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("non-canonical");
	RESET(); q.flags = 1U << 7;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	RESET(); q.pagemap_fd = 3;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("fd without flag");
	RESET(); q.pad = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("padding");
	/* Output-only fields are ignored on input (a resumed call passes them back). */
	RESET(); q.tables[2] = 7; q.levels = 9;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	EXPECT_EQ(vmlab_pt_levels(self->fd), (int)q.levels);
	RESET(); q.entries = 0xffff888000000000ULL;
	EXPECT_EQ(-EFAULT, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	RESET(); q.entries = 8;
	EXPECT_EQ(-EFAULT, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	/* A huge count is only a capacity: the module allocates by its own chunk. */
	RESET(); q.count = UINT32_MAX; q.entries = 0xffff888000000000ULL;
	EXPECT_EQ(-EFAULT, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	/*
	 * The whole capacity must lie in the address space (access_ok, as
	 * read() checks its count): in a mapping, which lies at least 128 MiB
	 * below the stack, not in the stack's array, which may lie within
	 * 100 MiB of the top.
	 */
	RESET(); q.count = 1U << 20;
	q.end = q.start + PG;
	q.entries = (uintptr_t)p + PG;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	EXPECT_EQ(1, q.count);
	/* An empty range is done at once; count 0 only counts tables. */
	RESET(); q.end = q.start;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	EXPECT_EQ(0, q.count);
	RESET(); q.count = 0; q.entries = 0;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	EXPECT_EQ(0, q.count);
	EXPECT_LE(1, q.tables[0]);
	EXPECT_GE(2, q.tables[0]);
#undef RESET
	munmap(p, 2 * PG);
}

TEST_F(pt, bad_clear_inputs)
{
	struct vmlab_pt_clear_accessed ca;
	uint64_t top = task_size(self->fd);
	char *p = map_anon(PG);

	ASSERT_NE(NULL, p);
#define RESET() do { memset(&ca, 0, sizeof(ca)); ca.start = (uintptr_t)p; \
		ca.end = ca.start + PG; } while (0)
	RESET();
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	RESET(); ca.flags = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	RESET(); ca.start += 8;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	RESET(); ca.start = ca.end + PG;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	RESET(); ca.end = top + PG;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	/* cleared is output only: what it held is ignored, and replaced. */
	p[0] = 1;
	RESET(); ca.cleared = 5;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	EXPECT_EQ(1, ca.cleared);
	/* The whole user space: fast, and this process's own pages only. */
	RESET(); ca.start = 0; ca.end = top;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	EXPECT_LE(1, ca.cleared);
#undef RESET
	munmap(p, PG);
}

/* Run ptdump on ourselves: its JSON must describe what this test did. */
struct json_range {
	unsigned long long start, end;
	char perm[8];
	unsigned int present, accessed, dirty;
};

static int ptdump_ranges(const char *args, struct json_range *out, int max)
{
	char cmd[256], line[256];
	int n = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ptdump --json %s %d", args, getpid());
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct json_range *r = n >= 0 && n < max ? &out[n] : NULL;

		if (strstr(line, "\"start\":") && ++n < max)
			sscanf(strchr(line, ':'), ": \"%llx\"", &out[n].start);
		else if (r && strstr(line, "\"end\":"))
			sscanf(strchr(line, ':'), ": \"%llx\"", &r->end);
		else if (r && strstr(line, "\"perm\":"))
			sscanf(strchr(line, ':'), ": \"%7[^\"]\"", r->perm);
		else if (r && strstr(line, "\"present\":"))
			sscanf(strchr(line, ':'), ": %u", &r->present);
		else if (r && strstr(line, "\"accessed\":"))
			sscanf(strchr(line, ':'), ": %u", &r->accessed);
		else if (r && strstr(line, "\"dirty\":"))
			sscanf(strchr(line, ':'), ": %u", &r->dirty);
	}
	return pclose(f) == 0 ? n + 1 : -1;
}

TEST_F(pt, ptdump_json_matches_what_we_did)
{
	struct json_range r[8];
	char args[128];
	char *p = map_anon(8 * PG);
	volatile char c;
	int n;

	ASSERT_NE(NULL, p);
	memset(p, 1, 3 * PG);	/* pages 0-2 written */
	c = p[3 * PG];		/* page 3 read: the zero page */
	(void)c;
	memset(r, 0, sizeof(r));
	snprintf(args, sizeof(args), "--range %lx-%lx", (unsigned long)p,
		 (unsigned long)p + 8 * PG);
	n = ptdump_ranges(args, r, 8);
	ASSERT_EQ(2, n) TH_LOG("written run and read run; untouched pages have no entry");
	EXPECT_EQ((uintptr_t)p, r[0].start);
	EXPECT_EQ((uintptr_t)p + 3 * PG, r[0].end);
	EXPECT_STREQ("rw-u", r[0].perm);
	EXPECT_EQ(3, r[0].present);
	EXPECT_EQ(3, r[0].accessed);
	EXPECT_EQ(3, r[0].dirty);
	EXPECT_EQ((uintptr_t)p + 3 * PG, r[1].start);
	EXPECT_EQ((uintptr_t)p + 4 * PG, r[1].end);
	EXPECT_STREQ("r--u", r[1].perm);
	EXPECT_EQ(1, r[1].present);
	EXPECT_EQ(0, r[1].dirty);

	/* After clearing A (and a flush), ptdump sees the pages unreferenced. */
	ASSERT_EQ(0, clear_accessed(self->fd, p, 8 * PG, NULL));
	ASSERT_EQ(0, vmlab_flush_tlb());
	n = ptdump_ranges(args, r, 8);
	ASSERT_EQ(2, n);
	EXPECT_EQ(0, r[0].accessed);
	EXPECT_EQ(3, r[0].dirty);
	munmap(p, 8 * PG);
}

/*
 * ptdump --explain in the architecture's terms: x86's canonical rule, or
 * arm64's halves (TTBR0 user, TTBR1 kernel, a hole between) and the arm64
 * bits of a written anonymous page (normal memory, inner shareable, no
 * user execution, tagged with the ASID).
 */
TEST_F(pt, ptdump_explain_shows_the_architecture)
{
	static char out[8192];
	char cmd[128], want[160];
	char *p = map_anon(PG);
	int levels = vmlab_pt_levels(self->fd), bits, ps;

	ASSERT_NE(NULL, p);
	p[0] = 1;
	snprintf(cmd, sizeof(cmd), "ptdump -e %lx %d", (unsigned long)p, getpid());
	ASSERT_EQ(0, run_output(cmd, out, sizeof(out))) TH_LOG("%s", cmd);
	if (self->a->arch == VMLAB_ARCH_X86_64) {
		int x86_bits = levels == 5 ? 57 : 48;

		snprintf(want, sizeof(want),
			 "%d-level paging: %d-bit virtual addresses, canonical when bits 63..%d all equal bit %d: yes\n",
			 levels, x86_bits, x86_bits - 1, x86_bits - 1);
		EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want '%s' in:\n%s", want, out);
		EXPECT_EQ(NULL, strstr(out, "TTBR")) TH_LOG("%s", out);
		munmap(p, PG);
		return;
	}
	bits = pt_arch_va_bits(self->a, self->fd);
	EXPECT_NE(NULL, strstr(out, "  this address: TTBR0_EL1, the user half\n")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "canonical")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%d-level translation, %d-bit virtual addresses:\n", levels,
		 bits);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want '%s' in:\n%s", want, out);
	/* a PTE index: log2(page / 8) bits above the page offset */
	ps = __builtin_ctzl(PG);
	snprintf(want, sizeof(want), "  PTE (level 3) bits %d..%d", 2 * ps - 4, ps);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want '%s' in:\n%s", want, out);
	EXPECT_NE(NULL, strstr(out, ", flags P A D W U NX AF DBM")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " UXN nG AttrIndx=0 SH=")) TH_LOG("%s", out);
	/* with 52-bit addresses (LPA2) bits 8-9 are address bits, SH is in TCR */
	if (bits < 52)
		EXPECT_NE(NULL, strstr(out, " SH=inner\n")) TH_LOG("%s", out);

	snprintf(cmd, sizeof(cmd), "ptdump -e ffff000000001000 %d", getpid());
	ASSERT_EQ(0, run_output(cmd, out, sizeof(out))) TH_LOG("%s", cmd);
	EXPECT_NE(NULL, strstr(out, "  this address: TTBR1_EL1, the kernel half\n")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "not a user address of this process (user space ends at 0x%llx)",
		 1ULL << bits);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want '%s' in:\n%s", want, out);
	/* the first address above the user half: in neither */
	snprintf(cmd, sizeof(cmd), "ptdump -e %llx %d", 1ULL << bits, getpid());
	ASSERT_EQ(0, run_output(cmd, out, sizeof(out))) TH_LOG("%s", cmd);
	EXPECT_NE(NULL, strstr(out, "  this address: neither half: a translation fault\n"))
		TH_LOG("%s", out);
	munmap(p, PG);
}

/* VMLAB_PT_RUNS: like adjacent entries come back as one record. */
TEST_F(pt, runs_coalesce_like_entries)
{
	struct vmlab_pte recs[4];
	struct vmlab_pt_query q;
	char *p = map_anon(302 * PG);
	volatile char c;

	ASSERT_NE(NULL, p);
	memset(p, 1, 300 * PG);
	c = p[300 * PG];
	(void)c;
	memset(&q, 0, sizeof(q));
	q.flags = VMLAB_PT_RUNS;
	q.start = (uintptr_t)p;
	q.end = q.start + 302 * PG;
	q.count = 4;
	q.entries = (uintptr_t)recs;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	ASSERT_EQ(2, q.count);
	EXPECT_EQ((uintptr_t)p, recs[0].va);
	EXPECT_EQ(300, recs[0].nr);
	EXPECT_TRUE(recs[0].flags & VMLAB_PTE_DIRTY);
	EXPECT_EQ((uintptr_t)p + 300 * PG, recs[1].va);
	EXPECT_EQ(1, recs[1].nr);
	EXPECT_TRUE(recs[1].flags & VMLAB_PTE_ZERO_PAGE);
	EXPECT_EQ(q.end, q.start);

	/* A run is one record of the count: the next call resumes after it. */
	q.start = (uintptr_t)p;
	q.count = 1;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	ASSERT_EQ(1, q.count);
	EXPECT_EQ(300, recs[0].nr);
	EXPECT_EQ((uintptr_t)p + 300 * PG, q.start);

	/* Without the flag: one record per page, nr 1. */
	q.flags = 0;
	q.start = (uintptr_t)p;
	q.count = 4;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	ASSERT_EQ(4, q.count);
	EXPECT_EQ(1, recs[3].nr);
	EXPECT_EQ((uintptr_t)p + 3 * PG, recs[3].va);
	munmap(p, 302 * PG);
}

TEST_HARNESS_MAIN
