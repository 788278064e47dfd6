// SPDX-License-Identifier: GPL-2.0
/*
 * PT_QUERY against /proc/PID/pagemap (issue 14): over the whole address
 * space of a process with a known pattern (pages written, read, untouched,
 * huge, of a shared file, private copies of a file, after fork in parent
 * and child), every page pagemap reports present is present in PT_QUERY's
 * records with the same PFN, and no other page is, except in VM_PFNMAP
 * mappings (vvar), which pagemap skips. Run as root, which sees PFNs.
 *
 * Both reads are snapshots of a process that is not changing itself, but
 * the kernel may still move a page (compaction, khugepaged) between them:
 * a comparison is retried, and only a difference seen every time fails.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vm_util.h"
#include "vmlab_pt.h"

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define MAX_PAGES	(256 * 1024)	/* present pages one snapshot may hold */
#define TRIES		3

/* One present page: where, and which frame. */
struct page {
	uint64_t va, pfn;
};

/* Snapshots live in memory mapped and faulted in up front: taking one maps nothing new. */
struct snapshot {
	struct page *pages;
	size_t n;
	bool overflow;
};

static int snapshot_init(struct snapshot *s)
{
	s->pages = mmap(NULL, MAX_PAGES * sizeof(*s->pages), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	s->n = 0;
	s->overflow = false;
	return s->pages == MAP_FAILED ? -errno : 0;
}

static void snapshot_free(struct snapshot *s)
{
	munmap(s->pages, MAX_PAGES * sizeof(*s->pages));
}

static void snapshot_add(struct snapshot *s, uint64_t va, uint64_t pfn)
{
	if (s->n == MAX_PAGES) {
		s->overflow = true;
		return;
	}
	s->pages[s->n].va = va;
	s->pages[s->n++].pfn = pfn;
}

/* The page at va, or NULL (pages are in address order). */
static const struct page *snapshot_find(const struct snapshot *s, uint64_t va)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->pages[mid].va == va)
			return &s->pages[mid];
		if (s->pages[mid].va < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static uint64_t level_pages(unsigned int level)
{
	return level == VMLAB_LEVEL_PMD ? HPAGE / PG : level == VMLAB_LEVEL_PUD ? 1UL << 18 : 1;
}

/*
 * Present pages of [0, top) per PT_QUERY, one record per entry (no runs:
 * a huge leaf's pages follow its first frame), of the caller's mm or of
 * the process a pagemap fd was opened on: 0 or -errno.
 */
static int snapshot_pt(int fd, int pagemap_fd, uint64_t top, struct snapshot *s,
		       struct vmlab_pte *recs, unsigned int cap)
{
	struct vmlab_pt_query q;
	unsigned int i;
	uint64_t k;
	int ret;

	s->n = 0;
	memset(&q, 0, sizeof(q));
	if (pagemap_fd >= 0) {
		q.flags = VMLAB_PT_PAGEMAP_FD;
		q.pagemap_fd = pagemap_fd;
	}
	q.end = top;
	while (q.start < q.end) {
		q.count = cap;
		q.entries = (uintptr_t)recs;
		ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
		if (ret)
			return ret;
		for (i = 0; i < q.count; i++) {
			if (!(recs[i].flags & VMLAB_PTE_PRESENT))
				continue;
			for (k = 0; k < level_pages(recs[i].level); k++)
				snapshot_add(s, recs[i].va + k * PG, recs[i].pfn + k);
		}
	}
	return 0;
}

/* Mappings pagemap does not walk (VM_PFNMAP): vvar, by its name in maps. */
struct holes {
	uint64_t start[8], end[8];
	int n;
};

static bool in_holes(const struct holes *h, uint64_t va)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (va >= h->start[i] && va < h->end[i])
			return true;
	return false;
}

/* Read one mapping's pagemap entries into the snapshot: 0 or -errno. */
static int pagemap_range(int pm, uint64_t start, uint64_t end, struct snapshot *s,
			 uint64_t *buf, size_t cap)
{
	uint64_t va = start;
	size_t want, i;
	ssize_t got;

	while (va < end) {
		want = (end - va) / PG < cap ? (end - va) / PG : cap;
		got = pread(pm, buf, want * sizeof(*buf), va / PG * sizeof(*buf));
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		for (i = 0; i < (size_t)got / sizeof(*buf); i++, va += PG)
			if (buf[i] & PM_PRESENT)
				snapshot_add(s, va, buf[i] & PM_PFN_MASK);
	}
	return 0;
}

/*
 * Present pages per /proc/PID/pagemap, over every mapping of /proc/PID/maps
 * below top; VM_PFNMAP mappings go into holes instead: 0 or -errno.
 */
static int snapshot_pagemap(pid_t pid, uint64_t top, struct snapshot *s, struct holes *h,
			    uint64_t *buf, size_t cap)
{
	unsigned long long start, end;
	char path[64], line[512], name[256];
	FILE *maps;
	int pm, ret = 0;

	s->n = 0;
	h->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	pm = open(path, O_RDONLY);
	if (pm < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	if (!maps) {
		close(pm);
		return -errno;
	}
	while (!ret && fgets(line, sizeof(line), maps)) {
		name[0] = '\0';
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %255s", &start, &end, name) < 2)
			continue;
		if (start >= top)
			continue;
		if (!strncmp(name, "[vvar", 5)) {	/* [vvar], [vvar_vclock] */
			if (h->n < 8) {
				h->start[h->n] = start;
				h->end[h->n++] = end;
			}
			continue;
		}
		ret = pagemap_range(pm, start, end, s, buf, cap);
	}
	fclose(maps);
	close(pm);
	return ret;
}

/* What differs between the two snapshots: printed, and counted. */
struct diff {
	size_t only_pagemap, only_pt, pfn_differs, pfnmap_only_pt;
	char first[160];
};

static void diff_note(struct diff *d, const char *what, uint64_t va, uint64_t a, uint64_t b)
{
	if (!d->first[0])
		snprintf(d->first, sizeof(d->first), "%s at %#llx (%#llx, %#llx)", what,
			 (unsigned long long)va, (unsigned long long)a, (unsigned long long)b);
}

static void compare(const struct snapshot *pt, const struct snapshot *pm, const struct holes *h,
		    struct diff *d)
{
	size_t i = 0, j = 0;

	memset(d, 0, sizeof(*d));
	while (i < pt->n || j < pm->n) {
		if (j == pm->n || (i < pt->n && pt->pages[i].va < pm->pages[j].va)) {
			if (in_holes(h, pt->pages[i].va)) {
				d->pfnmap_only_pt++;
			} else {
				d->only_pt++;
				diff_note(d, "present in PT_QUERY only", pt->pages[i].va,
					  pt->pages[i].pfn, 0);
			}
			i++;
		} else if (i == pt->n || pm->pages[j].va < pt->pages[i].va) {
			d->only_pagemap++;
			diff_note(d, "present in pagemap only", pm->pages[j].va, 0,
				  pm->pages[j].pfn);
			j++;
		} else {
			if (pt->pages[i].pfn != pm->pages[j].pfn) {
				d->pfn_differs++;
				diff_note(d, "PFNs differ", pt->pages[i].va, pt->pages[i].pfn,
					  pm->pages[j].pfn);
			}
			i++;
			j++;
		}
	}
}

static bool diff_empty(const struct diff *d)
{
	return !d->only_pagemap && !d->only_pt && !d->pfn_differs;
}

/* Buffers of a comparison, all mapped before the first snapshot. */
struct bench {
	int fd;
	uint64_t top;
	struct snapshot pt, pm;
	struct holes holes;
	struct vmlab_pte *recs;
	uint64_t *buf;
};

#define RECS 4096
#define BUF 4096

static int bench_init(struct bench *b, int fd)
{
	int levels = vmlab_pt_levels(fd);

	if (levels < 0)
		return levels;
	b->fd = fd;
	b->top = vmlab_pt_task_size(fd);
	b->recs = mmap(NULL, RECS * sizeof(*b->recs) + BUF * sizeof(*b->buf),
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (b->recs == MAP_FAILED)
		return -errno;
	b->buf = (uint64_t *)(b->recs + RECS);
	if (snapshot_init(&b->pt) || snapshot_init(&b->pm))
		return -ENOMEM;
	return 0;
}

static void bench_free(struct bench *b)
{
	snapshot_free(&b->pt);
	snapshot_free(&b->pm);
	munmap(b->recs, RECS * sizeof(*b->recs) + BUF * sizeof(*b->buf));
}

/*
 * Compare pid's two views until they agree or TRIES tries: 0 with *d
 * empty on agreement, else the last difference; -errno if a read failed.
 * pagemap_fd < 0: pid is the caller, its own mm is queried.
 */
static int compare_views(struct bench *b, pid_t pid, int pagemap_fd, struct diff *d)
{
	int t, ret;

	for (t = 0; t < TRIES; t++) {
		ret = snapshot_pt(b->fd, pagemap_fd, b->top, &b->pt, b->recs, RECS);
		if (ret)
			return ret;
		ret = snapshot_pagemap(pid, b->top, &b->pm, &b->holes, b->buf, BUF);
		if (ret)
			return ret;
		if (b->pt.overflow || b->pm.overflow)
			return -EOVERFLOW;
		compare(&b->pt, &b->pm, &b->holes, d);
		if (diff_empty(d))
			return 0;
	}
	return 0;
}

/* ---- the pattern -------------------------------------------------------- */

#define NWRITTEN	8
#define NREAD		4
#define NUNTOUCHED	4
#define FILE_PAGES	4

/* Where the pattern is, shared between the process that makes it and the test. */
struct pattern {
	char *anon;		/* NWRITTEN written, NREAD read, NUNTOUCHED untouched */
	char *shared;		/* the file, MAP_SHARED: pages 0-1 read, 2-3 written */
	char *private;		/* the file, MAP_PRIVATE: pages 0-1 read, 2-3 written */
	char *thp;		/* NULL, or 2 MiB written in full (a PMD leaf) */
	char *thp_zero;		/* NULL, or 2 MiB read (the huge zero page) */
	pid_t child;		/* after fork: the child that broke some COW pages */
};

static char *map_anon(size_t len, int advice)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, advice);
	return p;
}

/* A 2 MiB-aligned range of 2 MiB asking for a huge page. */
static char *map_huge(void)
{
	char *raw = map_anon(2 * HPAGE, MADV_NORMAL), *p;

	if (!raw)
		return NULL;
	p = (char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, HPAGE, MADV_HUGEPAGE))
		return NULL;
	return p;
}

static void read_pages(const char *p, size_t pages)
{
	const volatile char *v = p;
	size_t i;

	for (i = 0; i < pages; i++)
		(void)v[i * PG];
}

static void write_pages(char *p, size_t pages, char c)
{
	volatile char *v = p;
	size_t i;

	for (i = 0; i < pages; i++)
		v[i * PG] = c;
}

/* A file of FILE_PAGES pages in /tmp, mapped shared and private: 0 or -1. */
static int map_file_twice(struct pattern *pat)
{
	char path[] = "/tmp/pagemap_test.XXXXXX";
	int f = mkstemp(path), i;

	if (f < 0)
		return -1;
	unlink(path);
	for (i = 0; i < FILE_PAGES; i++)
		if (pwrite(f, "f", 1, i * PG) != 1)
			return -1;
	if (ftruncate(f, FILE_PAGES * PG))
		return -1;
	pat->shared = mmap(NULL, FILE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	pat->private = mmap(NULL, FILE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
	close(f);
	return pat->shared == MAP_FAILED || pat->private == MAP_FAILED ? -1 : 0;
}

/* Make the pattern in this process: 0 or -1. */
static int make_pattern(struct pattern *pat, bool thp)
{
	memset(pat, 0, sizeof(*pat));
	pat->anon = map_anon((NWRITTEN + NREAD + NUNTOUCHED) * PG, MADV_NOHUGEPAGE);
	if (!pat->anon || map_file_twice(pat))
		return -1;
	write_pages(pat->anon, NWRITTEN, 1);
	read_pages(pat->anon + NWRITTEN * PG, NREAD);
	read_pages(pat->shared, 2);
	write_pages(pat->shared + 2 * PG, 2, 's');
	read_pages(pat->private, 2);
	write_pages(pat->private + 2 * PG, 2, 'p');
	if (!thp)
		return 0;
	pat->thp = map_huge();
	pat->thp_zero = map_huge();
	if (!pat->thp || !pat->thp_zero)
		return -1;
	memset(pat->thp, 1, HPAGE);
	read_pages(pat->thp_zero, HPAGE / PG);
	return 0;
}

/*
 * A process that makes the pattern in *pat (shared memory), says ready and
 * waits until *hold is closed. With fork_too it then forks a child that
 * writes the first half of the written pages and private file page 3 (its
 * own copies now), reads the shared file pages (which fork leaves out)
 * and waits likewise. Returns the process, or -1.
 */
static pid_t pattern_process(struct pattern *pat, bool thp, bool fork_too, int *hold)
{
	int ready[2], wait_end[2], want = fork_too ? 2 : 1;
	char c[2];
	pid_t pid;

	if (pipe(ready) || pipe(wait_end))
		return -1;
	pid = fork();
	if (pid != 0) {
		close(ready[1]);
		close(wait_end[0]);
		*hold = wait_end[1];
		/* Both say ready once they are set: the parent, then the child. */
		if (pid < 0 || read(ready[0], c, 1) != 1 || (want == 2 && read(ready[0], c, 1) != 1))
			pid = -1;
		close(ready[0]);
		return pid;
	}
	close(ready[0]);
	close(wait_end[1]);
	if (make_pattern(pat, thp))
		_exit(1);
	if (fork_too) {
		pid = fork();
		if (pid < 0)
			_exit(2);
		if (pid == 0) {
			write_pages(pat->anon, NWRITTEN / 2, 2);
			write_pages(pat->private + 3 * PG, 1, 'c');
			/* fork copies no PTEs of shared file mappings: fault them in */
			read_pages(pat->shared, FILE_PAGES);
		} else {
			pat->child = pid;	/* shared memory: the parent alone writes it */
		}
	}
	if (write(ready[1], "r", 1) != 1)
		_exit(3);
	(void)read(wait_end[0], c, 1);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	_exit(0);
}

static int open_pagemap(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	return open(path, O_RDONLY);
}

/* ---- the fixture -------------------------------------------------------- */

FIXTURE(pagemap) {
	int fd;
	struct bench b;
	struct pattern *pat;	/* shared with the pattern process */
};

FIXTURE_SETUP(pagemap)
{
	ASSERT_EQ(0, geteuid()) TH_LOG("PFNs show to root only");
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
	ASSERT_EQ(0, bench_init(&self->b, self->fd));
	self->pat = mmap(NULL, sizeof(*self->pat), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->pat);
}

FIXTURE_TEARDOWN(pagemap)
{
	munmap(self->pat, sizeof(*self->pat));
	bench_free(&self->b);
	close(self->fd);
}

/* PT_QUERY and pagemap agree on pid's present pages and their frames. */
static void expect_same_views(struct __test_metadata *_metadata, struct bench *b, pid_t pid,
			      int pagemap_fd, const char *who)
{
	struct diff d;

	ASSERT_EQ(0, compare_views(b, pid, pagemap_fd, &d)) TH_LOG("%s: snapshots", who);
	EXPECT_TRUE(diff_empty(&d))
		TH_LOG("%s: %zu pages present in pagemap only, %zu in PT_QUERY only, %zu with other PFNs; first: %s",
		       who, d.only_pagemap, d.only_pt, d.pfn_differs, d.first);
	TH_LOG("%s: %zu present pages agree; %zu more in VM_PFNMAP mappings (vvar), PT_QUERY only",
	       who, b->pm.n, d.pfnmap_only_pt);
	EXPECT_LT(0, b->pm.n);
}

static uint64_t pfn_at(struct __test_metadata *_metadata, const struct snapshot *s,
		       const char *addr, const char *what)
{
	const struct page *p = snapshot_find(s, (uintptr_t)addr);

	EXPECT_NE(NULL, p) TH_LOG("%s at %p not present", what, addr);
	return p ? p->pfn : 0;
}

/* The pattern shows: written pages have frames of their own, read ones the zero page, ... */
static void expect_pattern(struct __test_metadata *_metadata, const struct snapshot *s,
			   const struct pattern *pat)
{
	uint64_t zero = pfn_at(_metadata, s, pat->anon + NWRITTEN * PG, "read page");
	uint64_t pfns[NWRITTEN];
	int i, j;

	for (i = 0; i < NWRITTEN; i++) {
		pfns[i] = pfn_at(_metadata, s, pat->anon + i * PG, "written page");
		EXPECT_NE(zero, pfns[i]) TH_LOG("written page %d maps the zero page", i);
		for (j = 0; j < i; j++)
			EXPECT_NE(pfns[j], pfns[i]) TH_LOG("written pages %d and %d share a frame", j, i);
	}
	for (i = NWRITTEN; i < NWRITTEN + NREAD; i++)
		EXPECT_EQ(zero, pfn_at(_metadata, s, pat->anon + i * PG, "read page"));
	for (i = NWRITTEN + NREAD; i < NWRITTEN + NREAD + NUNTOUCHED; i++)
		EXPECT_EQ(NULL, snapshot_find(s, (uintptr_t)pat->anon + i * PG))
			TH_LOG("untouched page %d present", i);
	for (i = 0; i < FILE_PAGES; i++) {
		uint64_t sh = pfn_at(_metadata, s, pat->shared + i * PG, "shared file page");
		uint64_t pr = pfn_at(_metadata, s, pat->private + i * PG, "private file page");

		if (i < 2) {
			EXPECT_EQ(sh, pr) TH_LOG("read private page %d is not the page cache's", i);
		} else {
			EXPECT_NE(sh, pr) TH_LOG("written private page %d is not a copy", i);
		}
	}
}

/* Another process, walked through its pagemap fd. */
TEST_F(pagemap, other_process_via_pagemap_fd)
{
	int hold, pm;
	pid_t pid;

	pid = pattern_process(self->pat, false, false, &hold);
	ASSERT_LT(0, pid);
	pm = open_pagemap(pid);
	ASSERT_LE(0, pm);
	expect_same_views(_metadata, &self->b, pid, pm, "other process");
	expect_pattern(_metadata, &self->b.pt, self->pat);
	close(pm);
	close(hold);
	EXPECT_EQ(0, wait_exit(pid));
}

/* The caller itself, through its own mm (no pagemap fd). */
TEST_F(pagemap, own_address_space)
{
	ASSERT_EQ(0, make_pattern(self->pat, false));
	expect_same_views(_metadata, &self->b, getpid(), -1, "own mm");
	expect_pattern(_metadata, &self->b.pt, self->pat);
}

/* Huge pages: a written one (a PMD leaf) and a read one (the huge zero page). */
TEST_F(pagemap, huge_pages)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	struct vmlab_pt_query q;
	struct vmlab_pte rec;
	uint64_t first;
	int hold, pm, i;
	pid_t pid;

	if (!f)
		SKIP(return, "kernel without THP (CONFIG_TRANSPARENT_HUGEPAGE unset)");
	fclose(f);
	pid = pattern_process(self->pat, true, false, &hold);
	ASSERT_LT(0, pid);
	pm = open_pagemap(pid);
	ASSERT_LE(0, pm);
	memset(&q, 0, sizeof(q));
	q.flags = VMLAB_PT_PAGEMAP_FD;
	q.pagemap_fd = pm;
	q.start = (uintptr_t)self->pat->thp;
	q.end = q.start + PG;
	q.count = 1;
	q.entries = (uintptr_t)&rec;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_QUERY, &q));
	ASSERT_EQ(1, q.count);
	if (rec.level != VMLAB_LEVEL_PMD) {
		close(hold);
		wait_exit(pid);
		SKIP(return, "a written MADV_HUGEPAGE range got no huge page");
	}
	expect_same_views(_metadata, &self->b, pid, pm, "huge pages");
	expect_pattern(_metadata, &self->b.pt, self->pat);
	/* pagemap numbers a huge page's frames one by one; so does the expansion. */
	first = pfn_at(_metadata, &self->b.pm, self->pat->thp, "huge page");
	for (i = 1; i < (int)(HPAGE / PG); i++)
		EXPECT_EQ(first + i, pfn_at(_metadata, &self->b.pm, self->pat->thp + i * PG, "huge page"));
	pfn_at(_metadata, &self->b.pm, self->pat->thp_zero + HPAGE - PG, "read huge range");
	close(pm);
	close(hold);
	EXPECT_EQ(0, wait_exit(pid));
}

/* After fork: both processes agree with their pagemap; COW frames shared until written. */
TEST_F(pagemap, after_fork_parent_and_child)
{
	struct pattern *pat = self->pat;
	struct snapshot parent;
	int hold, pm, i;
	pid_t pid;

	ASSERT_EQ(0, snapshot_init(&parent));
	pid = pattern_process(pat, false, true, &hold);
	ASSERT_LT(0, pid);
	ASSERT_LT(0, pat->child);

	pm = open_pagemap(pid);
	ASSERT_LE(0, pm);
	expect_same_views(_metadata, &self->b, pid, pm, "parent after fork");
	expect_pattern(_metadata, &self->b.pt, pat);
	memcpy(parent.pages, self->b.pt.pages, self->b.pt.n * sizeof(*parent.pages));
	parent.n = self->b.pt.n;
	close(pm);

	pm = open_pagemap(pat->child);
	ASSERT_LE(0, pm);
	expect_same_views(_metadata, &self->b, pat->child, pm, "child after fork");
	expect_pattern(_metadata, &self->b.pt, pat);
	close(pm);

	for (i = 0; i < NWRITTEN; i++) {
		uint64_t a = pfn_at(_metadata, &parent, pat->anon + i * PG, "parent's page");
		uint64_t b = pfn_at(_metadata, &self->b.pt, pat->anon + i * PG, "child's page");

		if (i < NWRITTEN / 2) {
			EXPECT_NE(a, b) TH_LOG("page %d written by the child is still shared", i);
		} else {
			EXPECT_EQ(a, b) TH_LOG("page %d no one wrote after fork is not shared", i);
		}
	}
	for (i = 0; i < FILE_PAGES; i++)
		EXPECT_EQ(pfn_at(_metadata, &parent, pat->shared + i * PG, "parent's shared page"),
			  pfn_at(_metadata, &self->b.pt, pat->shared + i * PG, "child's shared page"))
			TH_LOG("shared file page %d: one page cache page", i);
	EXPECT_EQ(pfn_at(_metadata, &parent, pat->private + 2 * PG, "parent's private page"),
		  pfn_at(_metadata, &self->b.pt, pat->private + 2 * PG, "child's private page"));
	EXPECT_NE(pfn_at(_metadata, &parent, pat->private + 3 * PG, "parent's private page"),
		  pfn_at(_metadata, &self->b.pt, pat->private + 3 * PG, "child's private page"));
	snapshot_free(&parent);
	close(hold);
	EXPECT_EQ(0, wait_exit(pid));
}

TEST_HARNESS_MAIN
