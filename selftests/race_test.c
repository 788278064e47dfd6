// SPDX-License-Identifier: GPL-2.0
/*
 * Races of the ioctls that look at an address space, a thread list or a
 * counter against the changes that free what they look at (issue 14):
 * munmap, mremap, mprotect, brk, MADV_DONTNEED, MADV_COLLAPSE, THP splits,
 * fork, the exit of the target, threads that come and go, counters
 * destroyed during ADD, and a copy-out that waits on a userfaultfd page.
 *
 * Every case has a fixed seed ($VMLAB_RACE_SEED) and runs for a bounded
 * time ($VMLAB_RACE_SECONDS, 3 s by default). It asserts what the ABI
 * promises: no errno but the documented ones, records in order and inside
 * the range, exact counter values, other processes never held up by a
 * blocked copy-out, and the module's debugfs stats as they were before. The
 * VM runner fails the run on any oops, KASAN report, WARN or taint.
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vm_util.h"
#include "race_util.h"
#include "vmlab_pt.h"

#define GIB	(1UL << 30)
/*
 * Address ranges the mutators own: 32 TiB is far below the kernel's mmap
 * area and far above the heap, and 512 GiB aligned, so a range mapped
 * there has page tables of its own at every level and munmap frees them.
 */
#define ARENA	0x200000000000UL
#define ARENA2	(ARENA + GIB)

/* How long another process may take for an ioctl while one waits on a page. */
#define BOUND_NS	2000000000ULL
#define RACE_TIMEOUT	120

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/* ---- racing threads ------------------------------------------------------ */

static void *racer_main(void *p)
{
	struct racer *r = p;

	r->fn(r);
	return NULL;
}

/* Start the racers, each with a random stream of its own: 0 or -errno. */
static int race_start(struct racer **rs, int n, atomic_bool *stop, unsigned int stream)
{
	int i, ret;

	atomic_store(stop, false);
	for (i = 0; i < n; i++) {
		rs[i]->stop = stop;
		rng_init(&rs[i]->rng, race_seed(), stream + i);
		ret = pthread_create(&rs[i]->tid, NULL, racer_main, rs[i]);
		if (ret) {
			atomic_store(stop, true);
			while (i--)
				pthread_join(rs[i]->tid, NULL);
			return -ret;
		}
	}
	return 0;
}

static void race_join(struct racer **rs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		pthread_join(rs[i]->tid, NULL);
}

/* Race for the case's time, then stop and join. */
static int race_for(struct racer **rs, int n, double seconds, unsigned int stream)
{
	atomic_bool stop;
	int ret = race_start(rs, n, &stop, stream);

	if (ret)
		return ret;
	sleep_ns(seconds * 1e9);
	atomic_store(&stop, true);
	race_join(rs, n);
	return 0;
}

static void log_ops(struct __test_metadata *_metadata, struct racer **rs, int n)
{
	char line[512];
	int i, len = 0;

	for (i = 0; i < n && len < (int)sizeof(line) - 64; i++)
		len += snprintf(line + len, sizeof(line) - len, "%s%s %ld", i ? ", " : "",
				rs[i]->name, rs[i]->ops);
	TH_LOG("seed %llu, operations: %s", (unsigned long long)race_seed(), line);
}

/* The seed and each racer's operations logged; every racer worked, and saw only what the ABI allows. */
static void expect_clean(struct __test_metadata *_metadata, struct racer **rs, int n)
{
	int i;

	log_ops(_metadata, rs, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, rs[i]->bad)
			TH_LOG("%s: %ld bad outcomes in %ld operations, the first: %s: %s",
			       rs[i]->name, rs[i]->bad, rs[i]->ops, rs[i]->first_bad,
			       rs[i]->first_err ? strerror(-rs[i]->first_err) : "wrong output");
		EXPECT_LT(0, rs[i]->ops) TH_LOG("%s never completed an operation", rs[i]->name);
	}
}

/* ---- walkers: PT_QUERY and PT_CLEAR_ACCESSED in a loop -------------------- */

struct walker {
	struct racer r;
	int fd;
	int pagemap_fd;		/* -1: the caller's own mm */
	uint64_t start, end;
	bool clear;		/* PT_CLEAR_ACCESSED instead of PT_QUERY */
	int gone;		/* -errno that means the target exited (ends the walker), or 0 */
	bool saw_gone;
};

#define WALK_RECS 16	/* small, so that most walks resume several times */

static const unsigned int walk_modes[] = {
	0, VMLAB_PT_RUNS, VMLAB_PT_LEVELS, VMLAB_PT_RUNS | VMLAB_PT_LEVELS,
};

static uint64_t level_size(unsigned int level)
{
	return level == VMLAB_LEVEL_PMD ? HPAGE : level == VMLAB_LEVEL_PUD ? GIB : PG;
}

/* Bytes a record stands for: nr entries of its level. */
static uint64_t record_span(const struct vmlab_pte *rec)
{
	return rec->nr * level_size(rec->level);
}

/*
 * What is wrong with the records of one PT_QUERY call over [from, end), or
 * NULL: leaves of a known level, aligned, in address order, each reaching
 * past from (a huge leaf may begin before it) and beginning before end.
 */
static const char *records_wrong(const struct vmlab_pte *recs, unsigned int n,
				 uint64_t from, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (recs[i].level < VMLAB_LEVEL_PTE || recs[i].level > VMLAB_LEVEL_PUD ||
		    !recs[i].nr)
			return "PT_QUERY: a record of no known level, or of no entries";
		if (recs[i].va & (level_size(recs[i].level) - 1))
			return "PT_QUERY: a record not aligned to its level";
		if (recs[i].va >= end || recs[i].va + record_span(&recs[i]) <= from)
			return "PT_QUERY: a record outside the range asked for";
		if (i && recs[i].va < recs[i - 1].va + record_span(&recs[i - 1]))
			return "PT_QUERY: records out of order or overlapping";
	}
	return NULL;
}

/*
 * One walk of the range, resumed until done: 0, -errno, or 1 with *wrong
 * set. Between two calls the address space may change, so each call's
 * records are checked against its own start.
 */
static int walk_query(struct walker *w, const char **wrong)
{
	struct vmlab_pte recs[WALK_RECS];
	struct vmlab_pt_query q;
	uint64_t from;
	int ret;

	memset(&q, 0, sizeof(q));
	if (w->pagemap_fd >= 0) {
		q.flags = VMLAB_PT_PAGEMAP_FD;
		q.pagemap_fd = w->pagemap_fd;
	}
	q.flags |= walk_modes[rng_below(&w->r.rng, 4)];
	q.start = w->start;
	q.end = w->end;
	while (q.start < q.end) {
		from = q.start;
		q.count = WALK_RECS;
		q.entries = (uintptr_t)recs;
		ret = VMLAB_CALL(w->fd, VMLAB_IOC_PT_QUERY, &q);
		if (ret)
			return ret;
		*wrong = "PT_QUERY: count or resume point wrong";
		/* Fewer records than room means the range is done. */
		if (q.count > WALK_RECS || (q.count < WALK_RECS && q.start != q.end) ||
		    q.start < from || q.start > q.end)
			return 1;
		*wrong = records_wrong(recs, q.count, from, q.end);
		if (*wrong)
			return 1;
	}
	return 0;
}

static int walk_clear(struct walker *w, const char **wrong)
{
	int64_t n = vmlab_pt_clear_accessed(w->fd, w->start, w->end);

	if (n < 0)
		return n;
	*wrong = "PT_CLEAR_ACCESSED: more entries cleared than pages in the range";
	return (uint64_t)n > (w->end - w->start) / PG ? 1 : 0;
}

static void walker_run(struct racer *r)
{
	struct walker *w = (struct walker *)r;
	const char *what = w->clear ? "PT_CLEAR_ACCESSED" : "PT_QUERY", *wrong = NULL;
	int ret;

	while (racer_running(r)) {
		ret = w->clear ? walk_clear(w, &wrong) : walk_query(w, &wrong);
		if (!ret) {
			r->ops++;
		} else if (w->gone && ret == w->gone) {
			w->saw_gone = true;
			break;
		} else {
			racer_bad(r, ret > 0 ? wrong : what, ret > 0 ? 0 : ret);
		}
	}
}

static void walker_init(struct walker *w, const char *name, int fd, uint64_t start,
			uint64_t len, bool clear)
{
	memset(w, 0, sizeof(*w));
	w->r.name = name;
	w->r.fn = walker_run;
	w->fd = fd;
	w->pagemap_fd = -1;
	w->start = start;
	w->end = start + len;
	w->clear = clear;
}

/* The two walkers of most cases: PT_QUERY and PT_CLEAR_ACCESSED over one range. */
struct walkers {
	struct walker query, clear;
};

static void walkers_init(struct walkers *w, int fd, uint64_t start, uint64_t len)
{
	walker_init(&w->query, "PT_QUERY", fd, start, len, false);
	walker_init(&w->clear, "PT_CLEAR_ACCESSED", fd, start, len, true);
}

/* ---- mutators ----------------------------------------------------------- */

struct mutator {
	struct racer r;
	uint64_t base, len;
	int fd;			/* a memfd, for shared mappings */
	long done;		/* the case's own measure of work (e.g. collapses) */
};

static void mutator_init(struct mutator *m, const char *name, void (*fn)(struct racer *),
			 uint64_t base, uint64_t len)
{
	memset(m, 0, sizeof(*m));
	m->r.name = name;
	m->r.fn = fn;
	m->base = base;
	m->len = len;
	m->fd = -1;
}

static char *map_at(uint64_t addr, uint64_t len, int advice)
{
	char *p = mmap((void *)addr, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (p != (char *)addr) {	/* a kernel that takes the flag for a hint */
		munmap(p, len);
		errno = EADDRNOTAVAIL;
		return NULL;
	}
	/* Without THP (PREEMPT_RT) the advice is EINVAL, and moot. */
	if (advice)
		madvise(p, len, advice);
	return p;
}

/* The mutator's range mapped with advice, or NULL with the mmap failure noted. */
static char *mutator_map(struct mutator *m, int advice)
{
	char *p = map_at(m->base, m->len, advice);

	if (!p)
		racer_bad(&m->r, "mmap", -errno);
	return p;
}

/* Touch one byte every stride: a write where write is set, else a read. */
static void touch(char *p, uint64_t len, uint64_t stride, bool write)
{
	volatile char *v = p;
	uint64_t off;

	for (off = 0; off < len; off += stride) {
		if (write)
			v[off] = 1;
		else
			(void)v[off];
	}
}

/*
 * The reproducer: map, touch one byte per 2 MiB (a PTE table
 * each), unmap. munmap frees the tables after downgrading the mmap lock to
 * read, which walkers hold too. Reads map the zero page: the cheapest fault
 * that still allocates a table, so more unmaps fit in the time.
 */
static void map_touch_unmap(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	char *p;

	while (racer_running(r)) {
		p = mutator_map(m, MADV_NOHUGEPAGE);
		if (!p)
			return;
		touch(p, m->len, HPAGE, r->ops & 1);
		if (munmap(p, m->len))
			racer_bad(r, "munmap", -errno);
		r->ops++;
	}
}

/* Shrink in place, grow in place, move elsewhere, unmap: mremap's paths. */
static void mremap_cycle(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	uint64_t half = m->len / 2;
	char *p, *q;

	while (racer_running(r)) {
		p = mutator_map(m, MADV_NOHUGEPAGE);
		if (!p)
			return;
		touch(p, m->len, 16 * PG, true);
		if (mremap(p, m->len, half, 0) != p)
			racer_bad(r, "mremap shrink", -errno);
		if (mremap(p, half, m->len, 0) != p)
			racer_bad(r, "mremap grow", -errno);
		touch(p, m->len, 64 * PG, false);
		q = mremap(p, m->len, m->len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)ARENA2);
		if (q != (char *)ARENA2) {
			racer_bad(r, "mremap move", -errno);
			munmap(p, m->len);
			continue;
		}
		touch(q, m->len, 128 * PG, true);
		if (munmap(q, m->len))
			racer_bad(r, "munmap", -errno);
		r->ops++;
	}
}

/* Random page runs of a mapped range: read-only, none, back to writable. */
static void mprotect_cycle(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	static const int prots[] = { PROT_READ, PROT_NONE, PROT_READ | PROT_WRITE };
	uint64_t pages = m->len / PG, first, n;
	char *p;
	int i;

	while (racer_running(r)) {
		p = mutator_map(m, MADV_NOHUGEPAGE);
		if (!p)
			return;
		touch(p, m->len, 8 * PG, true);
		for (i = 0; i < 16 && racer_running(r); i++) {
			first = rng_below(&r->rng, pages);
			n = 1 + rng_below(&r->rng, pages - first);
			if (mprotect(p + first * PG, n * PG, prots[rng_below(&r->rng, 3)]) ||
			    mprotect(p + first * PG, n * PG, PROT_READ | PROT_WRITE))
				racer_bad(r, "mprotect", -errno);
			touch(p + first * PG, n * PG, 4 * PG, true);
		}
		if (munmap(p, m->len))
			racer_bad(r, "munmap", -errno);
		r->ops++;
	}
}

/* fork write-protects every private page of the walked process (COW). */
static void fork_exit_loop(struct racer *r)
{
	pid_t pid;

	while (racer_running(r)) {
		pid = fork();
		if (pid < 0) {
			racer_bad(r, "fork", -errno);
			return;
		}
		if (pid == 0)
			_exit(0);
		if (wait_exit(pid))
			racer_bad(r, "child exit", 0);
		r->ops++;
	}
}

/*
 * Huge pages made and split: mprotect of half a huge page and
 * MADV_DONTNEED of half of another split their PMDs (the latter under the
 * read lock), mprotect of a whole one changes the leaf in place.
 */
static void thp_split_cycle(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	char *p;

	while (racer_running(r)) {
		p = mutator_map(m, MADV_HUGEPAGE);
		if (!p)
			return;
		touch(p, m->len, HPAGE, true);
		if (mprotect(p, HPAGE / 2, PROT_READ))
			racer_bad(r, "mprotect half", -errno);
		if (madvise(p + HPAGE + HPAGE / 2, HPAGE / 2, MADV_DONTNEED))
			racer_bad(r, "MADV_DONTNEED half", -errno);
		if (mprotect(p + 2 * HPAGE, HPAGE, PROT_READ))
			racer_bad(r, "mprotect whole", -errno);
		touch(p + HPAGE, HPAGE, 32 * PG, true);
		if (munmap(p, m->len))
			racer_bad(r, "munmap", -errno);
		r->ops++;
	}
}

/*
 * The heap grows and shrinks by brk (shrinking frees tables after the lock
 * is downgraded, like munmap). brk is set by the raw syscall and always
 * returned to where it started, so the C library's idea of it stays true.
 */
static void brk_cycle(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	uint64_t grown, mid;

	while (racer_running(r)) {
		grown = m->base + m->len;
		if ((uint64_t)syscall(SYS_brk, grown) != grown) {
			racer_bad(r, "brk grow", -ENOMEM);
			return;
		}
		touch((char *)m->base, m->len, 32 * PG, r->ops & 1);
		mid = m->base + (rng_below(&r->rng, m->len / PG) * PG);
		if ((uint64_t)syscall(SYS_brk, mid) != mid)
			racer_bad(r, "brk shrink", -ENOMEM);
		if ((uint64_t)syscall(SYS_brk, m->base) != m->base)
			racer_bad(r, "brk shrink", -ENOMEM);
		r->ops++;
	}
}

/* Writes random pages of a mapped range. */
static void write_random_pages(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	volatile char *p = (char *)m->base;

	while (racer_running(r)) {
		p[rng_below(&r->rng, m->len / PG) * PG] = 1;
		r->ops++;
	}
}

/* Drops random runs of pages of a mapped range (zap under the read lock). */
static void dontneed_random(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	uint64_t pages = m->len / PG, first, n;

	while (racer_running(r)) {
		first = rng_below(&r->rng, pages);
		n = 1 + rng_below(&r->rng, pages - first);
		if (madvise((char *)m->base + first * PG, n * PG, MADV_DONTNEED))
			racer_bad(r, "MADV_DONTNEED", -errno);
		r->ops++;
	}
}

/* MADV_COLLAPSE: 0, or a transient failure (no huge page to be had now). */
static int collapse(char *p, uint64_t len)
{
	if (!madvise(p, len, MADV_COLLAPSE))
		return 0;
	return errno == EAGAIN || errno == ENOMEM ? 1 : -errno;
}

/*
 * Anonymous: huge pages split by a MADV_DONTNEED of one page each, then
 * collapsed back (new huge pages, the PTE tables freed).
 */
static void collapse_anon_cycle(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	uint64_t off;
	char *p;
	int ret;

	while (racer_running(r)) {
		p = mutator_map(m, MADV_HUGEPAGE);
		if (!p)
			return;
		touch(p, m->len, HPAGE, true);
		for (off = 0; off < m->len; off += HPAGE)
			madvise(p + off, PG, MADV_DONTNEED);
		ret = collapse(p, m->len);
		if (ret < 0)
			racer_bad(r, "MADV_COLLAPSE anon", ret);
		m->done += !ret;
		if (munmap(p, m->len))
			racer_bad(r, "munmap", -errno);
		r->ops++;
	}
}

/*
 * Shared memory (memfd, small pages): collapsed into huge pages of the
 * page cache, which retracts the PTE tables of every process mapping it
 * (6.5+: without their mmap locks), then punched out and refaulted small.
 */
static void collapse_shmem_cycle(struct racer *r)
{
	struct mutator *m = (struct mutator *)r;
	int ret;

	while (racer_running(r)) {
		touch((char *)m->base, m->len, PG, true);
		ret = collapse((char *)m->base, m->len);
		if (ret < 0)
			racer_bad(r, "MADV_COLLAPSE shmem", ret);
		m->done += !ret;
		if (fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, m->len))
			racer_bad(r, "fallocate punch hole", -errno);
		r->ops++;
	}
}

/* ---- helpers of the cases ----------------------------------------------- */

/* The level of the entry mapping addr in this process, 0 if none, or -errno. */
static int mapped_level(int fd, uint64_t addr)
{
	struct vmlab_pt_query q;
	struct vmlab_pte rec;
	int ret;

	memset(&q, 0, sizeof(q));
	q.start = addr & ~(PG - 1);
	q.end = q.start + PG;
	q.count = 1;
	q.entries = (uintptr_t)&rec;
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
	if (ret)
		return ret;
	return q.count ? (int)rec.level : 0;
}

/* Whether a written MADV_HUGEPAGE range gets a PMD leaf here; else why not. */
static bool thp_usable(int fd, const char **why)
{
	char *p;
	int level;

	if (!thp_enabled(why))
		return false;
	p = map_at(ARENA, HPAGE, MADV_HUGEPAGE);
	if (!p) {
		*why = "no room for a huge page at the arena";
		return false;
	}
	p[0] = 1;
	level = mapped_level(fd, (uintptr_t)p);
	munmap(p, HPAGE);
	if (level != VMLAB_LEVEL_PMD) {
		*why = "a written MADV_HUGEPAGE range got no huge page";
		return false;
	}
	return true;
}

/* ---- the fixture -------------------------------------------------------- */

FIXTURE(race) {
	int fd;
	char held[256];		/* debugfs stats before the case */
};

FIXTURE_SETUP(race)
{
	ASSERT_EQ(0, held_read(self->held, sizeof(self->held)))
		TH_LOG("cannot read %s", VMLAB_STATS_PATH);
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
}

/* Whatever the case did, the module holds nothing more than before it. */
FIXTURE_TEARDOWN(race)
{
	char now[256];

	close(self->fd);
	EXPECT_EQ(0, held_settle(self->held, now, sizeof(now)))
		TH_LOG("debugfs stats before:\n%s after:\n%s", self->held, now);
}

/*
 * Issue 14's reproducer, made dense: one thread maps a range at a fixed
 * place, touches a byte every 2 MiB and unmaps it, in a loop, while two
 * others run PT_QUERY and PT_CLEAR_ACCESSED over it. Today's walkers follow
 * tables that munmap frees under the read lock: 6.12-rt oopses, KASAN
 * reports a use-after-free.
 */
TEST_F_TIMEOUT(race, munmap_vs_query_and_clear, RACE_TIMEOUT)
{
	const uint64_t len = 256UL << 20;
	struct walkers w;
	struct mutator mapper;
	struct racer *rs[] = { &mapper.r, &w.query.r, &w.clear.r };

	mutator_init(&mapper, "map-touch-unmap", map_touch_unmap, ARENA, len);
	walkers_init(&w, self->fd, ARENA, len);
	ASSERT_EQ(0, race_for(rs, 3, 2 * race_seconds(), 1));
	expect_clean(_metadata, rs, 3);
}

/* mremap shrinking (frees tables, read lock), growing and moving tables. */
TEST_F_TIMEOUT(race, mremap_vs_walk, RACE_TIMEOUT)
{
	const uint64_t len = 8UL << 20;
	struct walkers w;
	struct mutator mover;
	struct racer *rs[] = { &mover.r, &w.query.r, &w.clear.r };

	mutator_init(&mover, "mremap", mremap_cycle, ARENA, len);
	walkers_init(&w, self->fd, ARENA, ARENA2 + len - ARENA);
	ASSERT_EQ(0, race_for(rs, 3, race_seconds(), 10));
	expect_clean(_metadata, rs, 3);
}

/* mprotect of random runs, and fork write-protecting everything, under walks. */
TEST_F_TIMEOUT(race, mprotect_and_fork_vs_walk, RACE_TIMEOUT)
{
	const uint64_t len = 4UL << 20;
	struct mutator prot, forker;
	struct walkers w;
	struct racer *rs[] = { &prot.r, &forker.r, &w.query.r, &w.clear.r };

	mutator_init(&prot, "mprotect", mprotect_cycle, ARENA, len);
	mutator_init(&forker, "fork", fork_exit_loop, 0, 0);
	walkers_init(&w, self->fd, ARENA, len);
	ASSERT_EQ(0, race_for(rs, 4, race_seconds(), 20));
	expect_clean(_metadata, rs, 4);
}

TEST_F_TIMEOUT(race, thp_split_vs_walk, RACE_TIMEOUT)
{
	const uint64_t len = 4 * HPAGE;
	struct walkers w;
	struct mutator splitter;
	struct racer *rs[] = { &splitter.r, &w.query.r, &w.clear.r };
	const char *why = NULL;

	if (!thp_usable(self->fd, &why))
		SKIP(return, "%s", why);
	mutator_init(&splitter, "THP split", thp_split_cycle, ARENA, len);
	walkers_init(&w, self->fd, ARENA, len);
	ASSERT_EQ(0, race_for(rs, 3, race_seconds(), 30));
	expect_clean(_metadata, rs, 3);
}

TEST_F_TIMEOUT(race, brk_vs_walk, RACE_TIMEOUT)
{
	const uint64_t len = 8UL << 20;
	uint64_t base = syscall(SYS_brk, 0);
	struct walkers w;
	struct mutator heap;
	struct racer *rs[] = { &heap.r, &w.query.r, &w.clear.r };

	ASSERT_NE(0, base);
	mutator_init(&heap, "brk", brk_cycle, base, len);
	walkers_init(&w, self->fd, base & ~(HPAGE - 1), len + HPAGE);
	ASSERT_EQ(0, race_for(rs, 3, race_seconds(), 40));
	EXPECT_EQ(base, (uint64_t)syscall(SYS_brk, 0)) TH_LOG("the heap is back where it was");
	expect_clean(_metadata, rs, 3);
}

/* MADV_DONTNEED zaps under the read lock (and frees empty tables on 6.13+). */
TEST_F_TIMEOUT(race, madv_dontneed_vs_walk, RACE_TIMEOUT)
{
	const uint64_t len = 8UL << 20;
	struct mutator writer, zapper;
	struct walkers w;
	struct racer *rs[] = { &writer.r, &zapper.r, &w.query.r, &w.clear.r };
	char *p = map_at(ARENA, len, MADV_NOHUGEPAGE);

	ASSERT_NE(NULL, p) TH_LOG("map the arena: %s", strerror(errno));
	mutator_init(&writer, "write", write_random_pages, ARENA, len);
	mutator_init(&zapper, "MADV_DONTNEED", dontneed_random, ARENA, len);
	walkers_init(&w, self->fd, ARENA, len);
	ASSERT_EQ(0, race_for(rs, 4, race_seconds(), 50));
	expect_clean(_metadata, rs, 4);
	munmap(p, len);
}

/* A process that keeps faulting in the pages of a shared mapping, till killed. */
static void read_forever(char *p, uint64_t len)
{
	for (;;) {
		touch(p, len, PG, false);
		usleep(1000);
	}
}

/* /proc/PID/pagemap of pid: fd, or -errno. */
static int open_pagemap(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * MADV_COLLAPSE of anonymous memory and of shared memory that a child maps
 * too, while the tables being replaced are walked: ours directly, the
 * child's through its pagemap fd.
 */
TEST_F_TIMEOUT(race, madv_collapse_vs_walk, RACE_TIMEOUT)
{
	const uint64_t len = 2 * HPAGE;
	struct walker child_query;
	struct walkers w;
	struct mutator anon, shmem;
	struct racer *rs[] = { &anon.r, &w.query.r, &w.clear.r, &child_query.r, &shmem.r };
	const char *why = NULL;
	int mfd, ret, n = 5;
	char *sh, *probe;
	pid_t child;

	if (!thp_usable(self->fd, &why))
		SKIP(return, "%s", why);
	probe = map_at(ARENA, HPAGE, MADV_HUGEPAGE);
	ASSERT_NE(NULL, probe);
	touch(probe, HPAGE, PG, true);
	madvise(probe, PG, MADV_DONTNEED);
	ret = collapse(probe, HPAGE);
	munmap(probe, HPAGE);
	if (ret == -EINVAL)
		SKIP(return, "MADV_COLLAPSE: EINVAL (kernel before 6.1 or without it)");

	mfd = memfd_create("race_collapse", MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, len));
	sh = mmap((void *)ARENA2, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
		  mfd, 0);
	ASSERT_EQ((void *)ARENA2, sh);
	/*
	 * Before 6.5 (6.1 here) shmem collapses only where shmem_enabled
	 * allows huge pages; that path frees tables under the write lock
	 * anyway. Race the anonymous collapse alone there.
	 */
	touch(sh, len, PG, true);
	if (collapse(sh, len) == -EINVAL) {
		TH_LOG("MADV_COLLAPSE of shmem: EINVAL here (shmem_enabled), anonymous memory only");
		n = 4;
	}
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		read_forever(sh, len);

	mutator_init(&anon, "MADV_COLLAPSE anon", collapse_anon_cycle, ARENA, len);
	mutator_init(&shmem, "MADV_COLLAPSE shmem", collapse_shmem_cycle, ARENA2, len);
	shmem.fd = mfd;
	walkers_init(&w, self->fd, ARENA, ARENA2 + len - ARENA);
	walker_init(&child_query, "PT_QUERY child", self->fd, ARENA2, len, false);
	child_query.pagemap_fd = open_pagemap(child);
	EXPECT_LE(0, child_query.pagemap_fd);
	if (child_query.pagemap_fd >= 0)
		EXPECT_EQ(0, race_for(rs, n, race_seconds(), 60));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	TH_LOG("collapses: anon %ld of %ld, shmem %ld of %ld", anon.done, anon.r.ops,
	       shmem.done, shmem.r.ops);
	expect_clean(_metadata, rs, n);
	EXPECT_LT(0, anon.done + shmem.done) TH_LOG("not one collapse succeeded");
	close(child_query.pagemap_fd);
	munmap(sh, len);
	close(mfd);
}

/* ---- the target exits while it is walked through its pagemap fd --------- */

struct thread_lister {
	struct racer r;
	int fd;
	pid_t pid;
	int gone;		/* -errno that means the target exited, or 0 */
	unsigned int min_count;	/* records every snapshot must hold */
	const pid_t *must;	/* TIDs every snapshot must hold, sorted */
	unsigned int nmust;
	struct vmlab_thread_info *recs;
	unsigned int cap;
	char why[96];		/* a wrong snapshot, described */
	char first_wrong[96];	/* the first one */
};

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/*
 * One snapshot is consistent: this group's threads, each once, the stable
 * ones all in. NULL, or what is wrong (in t->why, with the values).
 */
static const char *snapshot_wrong(struct thread_lister *t, const struct vmlab_threads *arg,
				  pid_t *tids)
{
	unsigned int i;

	if (arg->count > t->cap || arg->count > arg->total)
		return "THREADS: count above capacity or total";
	if (arg->count < t->min_count)
		return "THREADS: fewer records than threads that never exit";
	for (i = 0; i < arg->count; i++) {
		if (t->recs[i].tgid != t->pid || t->recs[i].tid <= 0) {
			snprintf(t->why, sizeof(t->why),
				 "THREADS: record %u of %u is tid %d tgid %d, not a thread of %d",
				 i, arg->count, t->recs[i].tid, t->recs[i].tgid, t->pid);
			return t->why;
		}
		if (t->recs[i].state5 > VMLAB_STATE_FINISHED)
			return "THREADS: state5 out of range";
		tids[i] = t->recs[i].tid;
	}
	qsort(tids, arg->count, sizeof(*tids), cmp_pid);
	for (i = 1; i < arg->count; i++) {
		if (tids[i] == tids[i - 1]) {
			snprintf(t->why, sizeof(t->why), "THREADS: tid %d twice in %u records",
				 tids[i], arg->count);
			return t->why;
		}
	}
	for (i = 0; i < t->nmust; i++)
		if (!bsearch(&t->must[i], tids, arg->count, sizeof(*tids), cmp_pid))
			return "THREADS: a thread that never exits is missing";
	return NULL;
}

static void list_threads(struct racer *r)
{
	struct thread_lister *t = (struct thread_lister *)r;
	struct vmlab_threads arg;
	pid_t *tids = calloc(t->cap, sizeof(*tids));
	const char *wrong;
	int ret;

	if (!tids) {
		racer_bad(r, "calloc", -ENOMEM);
		return;
	}
	while (racer_running(r)) {
		memset(&arg, 0, sizeof(arg));
		arg.pid = t->pid;
		arg.count = t->cap;
		arg.entries = (uintptr_t)t->recs;
		if (rng_below(&r->rng, 2))
			arg.flags = VMLAB_THREADS_REGS;
		ret = VMLAB_CALL(t->fd, VMLAB_IOC_THREADS, &arg);
		if (t->gone && ret == t->gone)
			break;
		if (ret) {
			racer_bad(r, "THREADS", ret);
			continue;
		}
		r->ops++;
		wrong = snapshot_wrong(t, &arg, tids);
		if (wrong) {
			/* wrong may be t->why, which the next bad snapshot rewrites */
			if (!r->bad)
				snprintf(t->first_wrong, sizeof(t->first_wrong), "%s", wrong);
			racer_bad(r, t->first_wrong, 0);
		}
	}
	free(tids);
}

static int thread_lister_init(struct thread_lister *t, const char *name, int fd, pid_t pid,
			      unsigned int cap)
{
	memset(t, 0, sizeof(*t));
	t->r.name = name;
	t->r.fn = list_threads;
	t->fd = fd;
	t->pid = pid;
	t->cap = cap;
	t->recs = calloc(cap, sizeof(*t->recs));
	return t->recs ? 0 : -ENOMEM;
}

/*
 * A target that maps, says it is ready, and once told to go, maps and
 * unmaps for a short, seeded while, then exits.
 */
static void short_lived_target(int ready, int go, uint64_t lifetime_ns)
{
	const uint64_t len = 2UL << 20;
	char *p = map_at(ARENA, len, MADV_NOHUGEPAGE);
	uint64_t end;
	char c;

	if (!p)
		_exit(1);
	touch(p, len, 4 * PG, true);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		_exit(2);
	end = now_ns() + lifetime_ns;
	while (now_ns() < end) {
		munmap(p, len);
		p = map_at(ARENA, len, MADV_NOHUGEPAGE);
		if (!p)
			_exit(3);
		touch(p, len, 16 * PG, true);
	}
	_exit(0);
}

struct round_totals {
	long rounds, gone_seen;
	struct racer sum[3];
	char first_bad[3][128];	/* the racers' own strings go with their round */
};

static void add_totals(struct round_totals *t, struct racer **rs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		t->sum[i].name = rs[i]->name;
		t->sum[i].ops += rs[i]->ops;
		if (rs[i]->bad && !t->sum[i].bad) {
			snprintf(t->first_bad[i], sizeof(t->first_bad[i]), "%s", rs[i]->first_bad);
			t->sum[i].first_bad = t->first_bad[i];
			t->sum[i].first_err = rs[i]->first_err;
		}
		t->sum[i].bad += rs[i]->bad;
	}
}

/* One child's life: walked and listed from birth to reaping, then -ESRCH. */
static void target_round(struct __test_metadata *_metadata, int fd, uint64_t top,
			 struct rng *rng, struct round_totals *totals)
{
	struct walker whole, region;
	struct thread_lister lister;
	struct racer *rs[] = { &whole.r, &region.r, &lister.r };
	const char *wrong = NULL;
	int pipefd[2], go[2], pm;
	atomic_bool stop;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[0]);
		close(go[1]);
		short_lived_target(pipefd[1], go[0], rng_below(rng, 30) * 1000000ULL);
	}
	close(pipefd[1]);
	close(go[0]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	close(pipefd[0]);
	pm = open_pagemap(pid);
	ASSERT_LE(0, pm) TH_LOG("open pagemap of a live child: %s", strerror(-pm));

	walker_init(&whole, "PT_QUERY whole space", fd, 0, top, false);
	walker_init(&region, "PT_QUERY region", fd, ARENA, 2UL << 20, false);
	whole.pagemap_fd = region.pagemap_fd = pm;
	whole.gone = region.gone = -ESRCH;
	ASSERT_EQ(0, thread_lister_init(&lister, "THREADS", fd, pid, 8));
	lister.gone = -ESRCH;
	ASSERT_EQ(0, race_start(rs, 3, &stop, 70 + totals->rounds * 3));
	ASSERT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	EXPECT_EQ(0, wait_exit(pid));
	atomic_store(&stop, true);
	race_join(rs, 3);
	/* Reaped: the mm is gone for good. */
	EXPECT_EQ(-ESRCH, walk_query(&region, &wrong));
	add_totals(totals, rs, 3);
	totals->gone_seen += whole.saw_gone + region.saw_gone;
	totals->rounds++;
	free(lister.recs);
	close(pm);
}

TEST_F_TIMEOUT(race, target_exits_during_pagemap_walk, RACE_TIMEOUT)
{
	uint64_t end = now_ns() + race_seconds() * 1e9;
	uint64_t top = vmlab_pt_task_size(self->fd);
	struct round_totals totals;
	struct racer *rs[3];
	struct rng rng;
	int i;

	memset(&totals, 0, sizeof(totals));
	rng_init(&rng, race_seed(), 69);
	while (now_ns() < end)
		target_round(_metadata, self->fd, top, &rng, &totals);
	for (i = 0; i < 3; i++)
		rs[i] = &totals.sum[i];
	TH_LOG("%ld targets, %ld walks ended by their exit", totals.rounds, totals.gone_seen);
	expect_clean(_metadata, rs, 3);
	EXPECT_LE(1, totals.gone_seen) TH_LOG("no walk was under way when its target exited");
}

/* ---- threads created and exiting during VMLAB_IOC_THREADS --------------- */

/*
 * The module walks a group in batches of 256 and holds the last thread of
 * a batch across a reschedule. The target has 255 threads that stay
 * (leader included), so the 256th, the one held, is always one that is
 * about to exit: new threads are created and exit as fast as they can.
 */
#define STABLE_THREADS	255
#define THREADS_CAP	1024

/* The TIDs of the parked threads, shared with the parent. */
struct stable_board {
	atomic_int claimed;	/* tids[] slots taken */
	atomic_int written;	/* tids[] slots filled: the parent may read them */
	pid_t tids[STABLE_THREADS];
};

static void board_add(struct stable_board *board, pid_t tid)
{
	board->tids[atomic_fetch_add(&board->claimed, 1)] = tid;
	atomic_fetch_add(&board->written, 1);
}

struct park_arg {
	struct stable_board *board;
	int hold;		/* never written: read blocks until the process dies */
};

static void *park(void *p)
{
	struct park_arg *a = p;
	char c;

	board_add(a->board, gettid());
	while (read(a->hold, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void *quit(void *arg)
{
	return NULL;
}

static void churning_target(struct stable_board *board, int ready)
{
	struct park_arg arg = { .board = board };
	pthread_attr_t attr;
	int hold[2], i;
	pthread_t t;

	if (pipe(hold) || pthread_attr_init(&attr) ||
	    pthread_attr_setstacksize(&attr, thread_stack(64 << 10)) ||
	    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED))
		_exit(1);
	arg.hold = hold[0];
	board_add(board, getpid());
	for (i = 1; i < STABLE_THREADS; i++)
		if (pthread_create(&t, &attr, park, &arg))
			_exit(2);
	while (atomic_load(&board->written) < STABLE_THREADS)
		sched_yield();
	if (write(ready, "r", 1) != 1)
		_exit(3);
	for (;;)
		if (pthread_create(&t, &attr, quit, NULL))
			sched_yield();
}

TEST_F_TIMEOUT(race, threads_vs_thread_churn, RACE_TIMEOUT)
{
	struct stable_board *board;
	struct thread_lister a, b;
	struct racer *rs[] = { &a.r, &b.r };
	pid_t stable[STABLE_THREADS];
	int ready[2];
	pid_t pid;
	char c;

	board = mmap(NULL, sizeof(*board), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	ASSERT_NE(MAP_FAILED, board);
	memset(board, 0, sizeof(*board));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		churning_target(board, ready[1]);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("the target could not start its threads");
	close(ready[0]);
	memcpy(stable, board->tids, sizeof(stable));
	qsort(stable, STABLE_THREADS, sizeof(*stable), cmp_pid);
	ASSERT_LT(0, stable[0]) TH_LOG("a parked thread's TID was read before it was written");

	ASSERT_EQ(0, thread_lister_init(&a, "THREADS a", self->fd, pid, THREADS_CAP));
	ASSERT_EQ(0, thread_lister_init(&b, "THREADS b", self->fd, pid, THREADS_CAP));
	a.min_count = b.min_count = STABLE_THREADS;
	a.must = b.must = stable;
	a.nmust = b.nmust = STABLE_THREADS;
	EXPECT_EQ(0, race_for(rs, 2, race_seconds(), 80));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	expect_clean(_metadata, rs, 2);
	free(a.recs);
	free(b.recs);
	munmap(board, sizeof(*board));
}

/* ---- counters destroyed during ADD -------------------------------------- */

#define NCTR	8
#define DESTROY_EVERY	200	/* ADDs between two destroys */

struct ctr_board {
	int fd;
	uint32_t id[NCTR];
	atomic_bool doomed[NCTR];	/* DESTROY issued */
	atomic_llong added[NCTR];	/* deltas of ADDs that returned 0 */
	atomic_llong counted[NCTR];	/* ADDs and GETs that returned 0: the ops stat */
	long long before[NCTR];		/* added[] when DESTROY was issued */
	long long final[NCTR];		/* the value DESTROY returned */
	atomic_long adds;		/* ADDs issued, whatever their outcome */
};

struct ctr_racer {
	struct racer r;
	struct ctr_board *b;
};

/* -ENOENT is the answer for a destroyed counter, and only for one. */
static void ctr_outcome(struct racer *r, struct ctr_board *b, int i, int ret,
			const char *what)
{
	if (ret == -ENOENT && atomic_load(&b->doomed[i]))
		return;
	racer_bad(r, what, ret);
}

static void ctr_adder(struct racer *r)
{
	struct ctr_racer *c = (struct ctr_racer *)r;
	struct ctr_board *b = c->b;
	int64_t delta;
	int i, ret;

	while (racer_running(r)) {
		i = rng_below(&r->rng, NCTR);
		delta = 1 + rng_below(&r->rng, 7);
		ret = ctr_op(b->fd, VMLAB_IOC_CTR_ADD, b->id[i], delta, NULL);
		atomic_fetch_add(&b->adds, 1);
		if (!ret) {
			atomic_fetch_add(&b->added[i], delta);
			atomic_fetch_add(&b->counted[i], 1);
		} else {
			ctr_outcome(r, b, i, ret, "CTR_ADD");
		}
		r->ops++;
	}
}

static void ctr_reader(struct racer *r)
{
	struct ctr_racer *c = (struct ctr_racer *)r;
	struct ctr_board *b = c->b;
	struct vmlab_ctr_stat st;
	int i, ret;

	while (racer_running(r)) {
		i = rng_below(&r->rng, NCTR);
		if (rng_below(&r->rng, 2)) {
			ret = ctr_op(b->fd, VMLAB_IOC_CTR_GET, b->id[i], 0, NULL);
			if (!ret)
				atomic_fetch_add(&b->counted[i], 1);
		} else {
			memset(&st, 0, sizeof(st));
			st.id = b->id[i];
			ret = VMLAB_CALL(b->fd, VMLAB_IOC_CTR_STAT, &st);
		}
		if (ret)
			ctr_outcome(r, b, i, ret, "CTR_GET/CTR_STAT");
		r->ops++;
	}
}

/* Destroys half of the counters, in a seeded order, at seeded points of the run. */
static void ctr_destroyer(struct racer *r)
{
	struct ctr_racer *c = (struct ctr_racer *)r;
	struct ctr_board *b = c->b;
	int order[NCTR], i, j, t, ret;
	long due;
	int64_t v = 0;

	for (i = 0; i < NCTR; i++)
		order[i] = i;
	for (i = NCTR - 1; i > 0; i--) {
		j = rng_below(&r->rng, i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < NCTR / 2 && racer_running(r); i++) {
		/* Counted in ADDs, not seconds: as many on a debug kernel as on any other. */
		due = (i + 1) * DESTROY_EVERY + rng_below(&r->rng, DESTROY_EVERY);
		while (atomic_load(&b->adds) < due && racer_running(r))
			sleep_ns(1000000);
		if (!racer_running(r))
			break;
		j = order[i];
		atomic_store(&b->doomed[j], true);
		b->before[j] = atomic_load(&b->added[j]);
		ret = ctr_op(b->fd, VMLAB_IOC_CTR_DESTROY, b->id[j], 0, &v);
		if (ret)
			racer_bad(r, "CTR_DESTROY", ret);
		b->final[j] = v;
		r->ops++;
	}
}

TEST_F_TIMEOUT(race, ctr_destroy_during_add, RACE_TIMEOUT)
{
	static const unsigned int modes[] = { VMLAB_CTR_MUTEX, VMLAB_CTR_SPINLOCK, VMLAB_CTR_ATOMIC };
	struct ctr_racer add[4], reader, destroyer;
	struct racer *rs[] = { &add[0].r, &add[1].r, &add[2].r, &add[3].r, &reader.r,
			       &destroyer.r };
	struct vmlab_ctr_stat st;
	struct ctr_board b;
	int i;

	memset(&b, 0, sizeof(b));
	b.fd = self->fd;
	for (i = 0; i < NCTR; i++) {
		unsigned int mode = modes[i % 3];

		/* A delay inside the lock keeps ADDs in flight when DESTROY comes. */
		ASSERT_EQ(0, ctr_new(self->fd, NULL, mode, mode == VMLAB_CTR_ATOMIC ? 0 : 5000, 0, &b.id[i]));
	}
	memset(add, 0, sizeof(add));
	memset(&reader, 0, sizeof(reader));
	memset(&destroyer, 0, sizeof(destroyer));
	for (i = 0; i < 4; i++) {
		add[i].r.name = "CTR_ADD";
		add[i].r.fn = ctr_adder;
		add[i].b = &b;
	}
	reader.r.name = "CTR_GET/STAT";
	reader.r.fn = ctr_reader;
	reader.b = &b;
	destroyer.r.name = "CTR_DESTROY";
	destroyer.r.fn = ctr_destroyer;
	destroyer.b = &b;
	ASSERT_EQ(0, race_for(rs, 6, race_seconds(), 90));
	expect_clean(_metadata, rs, 6);

	for (i = 0; i < NCTR; i++) {
		if (atomic_load(&b.doomed[i])) {
			/* DESTROY saw every ADD that returned before it, and no phantom. */
			EXPECT_LE(b.before[i], b.final[i]) TH_LOG("counter %d", i);
			EXPECT_GE(atomic_load(&b.added[i]), b.final[i]) TH_LOG("counter %d", i);
			EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_GET, b.id[i], 0, NULL));
			continue;
		}
		memset(&st, 0, sizeof(st));
		st.id = b.id[i];
		ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_STAT, &st));
		EXPECT_EQ(atomic_load(&b.added[i]), st.value) TH_LOG("survivor %d: exact sum", i);
		EXPECT_EQ(atomic_load(&b.counted[i]), (long long)st.ops) TH_LOG("survivor %d", i);
		EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, b.id[i], 0, NULL));
	}
	EXPECT_EQ(NCTR / 2, destroyer.r.ops) TH_LOG("destroys done in the time");
}

/* ---- a copy-out waiting on a userfaultfd page --------------------------- */

/* A page of ours, written, then write-protected by a userfaultfd we hold. */
struct wp_page {
	int uffd;
	char *page;
};

static int wp_page_init(struct wp_page *w, const void *content, size_t len)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_THREAD_ID,
	};
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .mode = UFFDIO_WRITEPROTECT_MODE_WP };

	w->page = NULL;
	w->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (w->uffd < 0)
		return -errno;
	if (ioctl(w->uffd, UFFDIO_API, &api))
		goto fail;
	w->page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->page == MAP_FAILED) {
		w->page = NULL;
		goto fail;
	}
	memset(w->page, 0, PG);
	memcpy(w->page, content, len);
	reg.range.start = wp.range.start = (uintptr_t)w->page;
	reg.range.len = wp.range.len = PG;
	if (ioctl(w->uffd, UFFDIO_REGISTER, &reg) || ioctl(w->uffd, UFFDIO_WRITEPROTECT, &wp))
		goto fail;
	return 0;
fail:
	{
		int err = -errno;

		if (w->page)
			munmap(w->page, PG);
		close(w->uffd);
		return err;
	}
}

/* Serve the faults late: lift the protection, which wakes the waiters. */
static int wp_page_release(struct wp_page *w)
{
	struct uffdio_writeprotect wp = { .mode = 0 };

	wp.range.start = (uintptr_t)w->page;
	wp.range.len = PG;
	return ioctl(w->uffd, UFFDIO_WRITEPROTECT, &wp) ? -errno : 0;
}

/* Wait until n threads wait on a write to the page, or the deadline: how many do. */
static int wp_wait_faults(struct wp_page *w, int n, uint64_t deadline)
{
	struct pollfd pfd = { .fd = w->uffd, .events = POLLIN };
	pid_t seen[8];
	struct uffd_msg msg;
	int nseen = 0, i;

	while (nseen < n && nseen < 8 && now_ns() < deadline) {
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		if (read(w->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT ||
		    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
			continue;
		for (i = 0; i < nseen && seen[i] != (pid_t)msg.arg.pagefault.feat.ptid; i++)
			;
		if (i == nseen)
			seen[nseen++] = msg.arg.pagefault.feat.ptid;
	}
	return nseen;
}

/* Why a userfaultfd cannot write-protect here, or NULL if it can. */
static const char *uffd_wp_unsupported(void)
{
	struct wp_page w;
	int ret = wp_page_init(&w, "", 0);

	if (ret == -ENOSYS)
		return "kernel without userfaultfd (CONFIG_USERFAULTFD unset)";
	if (ret == -EINVAL)
		return "userfaultfd without write-protect on anonymous memory";
	if (ret)
		return "userfaultfd refused";
	munmap(w.page, PG);
	close(w.uffd);
	return NULL;
}

/* An ioctl whose output lands in the protected page, run in a thread. */
struct blocked_call {
	int fd;
	unsigned long cmd;
	void *arg;
	int ret;
	pthread_t tid;
};

static void *blocked_call_main(void *p)
{
	struct blocked_call *c = p;

	c->ret = raw_ioctl(c->fd, c->cmd, c->arg);
	return NULL;
}

/* What the second process reports for each of its ioctls. */
struct probe_result {
	int op;
	int ret;
	uint64_t ns;
};

enum { PROBE_QUERY_SELF, PROBE_QUERY_OTHER, PROBE_THREADS_OTHER, PROBE_CTR_CREATE, PROBE_OPS };

static const char *const probe_names[] = {
	"PT_QUERY of itself", "PT_QUERY of the blocked process (pagemap fd)",
	"THREADS of the blocked process", "CTR_CREATE and CTR_DESTROY",
};

static int probe_op(int fd, int op, pid_t other, uint64_t other_addr)
{
	struct vmlab_thread_info ti[4];
	struct vmlab_threads th;
	struct vmlab_pt_query q;
	struct vmlab_pte rec;
	uint32_t id;
	int ret, pm;

	memset(&q, 0, sizeof(q));
	q.count = 1;
	q.entries = (uintptr_t)&rec;
	switch (op) {
	case PROBE_QUERY_SELF:
		q.start = (uintptr_t)&rec & ~(PG - 1);
		q.end = q.start + PG;
		return VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
	case PROBE_QUERY_OTHER:
		pm = open_pagemap(other);
		if (pm < 0)
			return pm;
		q.flags = VMLAB_PT_PAGEMAP_FD;
		q.pagemap_fd = pm;
		q.start = other_addr;
		q.end = other_addr + PG;
		ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
		close(pm);
		return ret ? ret : q.count == 1 ? 0 : -ENODATA;
	case PROBE_THREADS_OTHER:
		memset(&th, 0, sizeof(th));
		th.pid = other;
		th.count = 4;
		th.entries = (uintptr_t)ti;
		return VMLAB_CALL(fd, VMLAB_IOC_THREADS, &th);
	default:
		ret = ctr_new(fd, NULL, VMLAB_CTR_MUTEX, 0, 0, &id);
		return ret ? ret : ctr_op(fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL);
	}
}

/*
 * The second process: on "go", each ioctl in turn (those that need no
 * global lock first), each result reported as soon as it is known.
 */
static void probe_process(int go, int results, pid_t other, uint64_t other_addr)
{
	struct probe_result res;
	int fd = vmlab_open();
	uint64_t t0;
	char c;

	if (fd < 0 || read(go, &c, 1) != 1)
		_exit(0);
	for (res.op = 0; res.op < PROBE_OPS; res.op++) {
		t0 = now_ns();
		res.ret = probe_op(fd, res.op, other, other_addr);
		res.ns = now_ns() - t0;
		if (write(results, &res, sizeof(res)) != sizeof(res))
			_exit(1);
	}
	_exit(0);
}

/* Read the probe's results until all are in or the deadline: how many arrived. */
static int probe_collect(int results, struct probe_result *res, int have, uint64_t deadline)
{
	struct pollfd pfd = { .fd = results, .events = POLLIN };
	int left;

	while (have < PROBE_OPS) {
		left = deadline > now_ns() ? (deadline - now_ns()) / 1000000 : 0;
		if (poll(&pfd, 1, left) <= 0 ||
		    read(results, &res[have], sizeof(*res)) != sizeof(*res))
			break;
		have++;
	}
	return have;
}

/*
 * Three ioctls of this process wait to write their output to a page a
 * userfaultfd protects: CTR_CREATE (its argument), PT_QUERY (its records)
 * and THREADS (its records). Meanwhile another process's CTR_CREATE,
 * PT_QUERY (of itself and of us) and THREADS (of us) must complete within
 * 2 s: a waiting copy-out must hold no lock others need. Then the faults
 * are served, late, and the waiting calls complete with their output.
 */
TEST_F_TIMEOUT(race, uffd_blocked_copy_out_others_proceed, RACE_TIMEOUT)
{
	struct vmlab_ctr_create cc = { .size = sizeof(cc), .mode = VMLAB_CTR_MUTEX };
	struct vmlab_threads th = { .size = sizeof(th) };
	struct vmlab_pt_query q = { .size = sizeof(q) };
	struct probe_result res[PROBE_OPS];
	struct blocked_call calls[3];
	int go[2], results[2], i, got, faulted;
	const char *why = uffd_wp_unsupported();
	struct wp_page w;
	uint64_t t0;
	pid_t probe;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, wp_page_init(&w, &cc, sizeof(cc)));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(results));
	probe = fork();
	ASSERT_LE(0, probe);
	if (probe == 0) {
		close(go[1]);
		close(results[0]);
		probe_process(go[0], results[1], getppid(), (uintptr_t)w.page);
	}
	close(go[0]);
	close(results[1]);

	q.start = (uintptr_t)w.page;
	q.end = q.start + PG;
	q.count = 8;
	q.entries = (uintptr_t)(w.page + 1024);
	th.pid = getpid();
	th.count = 4;
	th.entries = (uintptr_t)(w.page + 2048);
	_Static_assert(4 * sizeof(struct vmlab_thread_info) <= 2048, "records fit the page");
	calls[0] = (struct blocked_call){ .fd = self->fd, .cmd = VMLAB_IOC_CTR_CREATE, .arg = w.page };
	calls[1] = (struct blocked_call){ .fd = self->fd, .cmd = VMLAB_IOC_PT_QUERY, .arg = &q };
	calls[2] = (struct blocked_call){ .fd = self->fd, .cmd = VMLAB_IOC_THREADS, .arg = &th };
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&calls[i].tid, NULL, blocked_call_main, &calls[i]));
	faulted = wp_wait_faults(&w, 3, now_ns() + BOUND_NS);
	EXPECT_EQ(3, faulted) TH_LOG("the three copy-outs should wait on the page");

	t0 = now_ns();
	ASSERT_EQ(1, write(go[1], "g", 1));
	got = probe_collect(results[0], res, 0, t0 + BOUND_NS);
	for (i = 0; i < got; i++) {
		EXPECT_EQ(0, res[i].ret) TH_LOG("%s: %s", probe_names[res[i].op], strerror(-res[i].ret));
		EXPECT_GT(BOUND_NS, res[i].ns) TH_LOG("%s took %.2f s", probe_names[res[i].op],
						     res[i].ns / 1e9);
	}
	EXPECT_EQ(PROBE_OPS, got)
		TH_LOG("%s of another process did not complete within %.0f s while our copy-outs wait",
		       probe_names[got < PROBE_OPS ? got : 0], BOUND_NS / 1e9);

	/* Served late: the waiting calls finish, with their output. */
	ASSERT_EQ(0, wp_page_release(&w));
	for (i = 0; i < 3; i++)
		pthread_join(calls[i].tid, NULL);
	EXPECT_EQ(0, calls[0].ret) TH_LOG("CTR_CREATE: %s", strerror(-calls[0].ret));
	memcpy(&cc, w.page, sizeof(cc));
	EXPECT_LT(0, cc.id);
	if (!calls[0].ret)
		EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, cc.id, 0, NULL));
	EXPECT_EQ(0, calls[1].ret) TH_LOG("PT_QUERY: %s", strerror(-calls[1].ret));
	EXPECT_EQ(1, q.count);
	EXPECT_EQ((uintptr_t)w.page, ((struct vmlab_pte *)(w.page + 1024))->va);
	EXPECT_EQ(0, calls[2].ret) TH_LOG("THREADS: %s", strerror(-calls[2].ret));
	EXPECT_LE(4, th.count) TH_LOG("main and three callers");

	/* What the probe had left to do completes now. */
	got = probe_collect(results[0], res, got, now_ns() + 10 * BOUND_NS);
	EXPECT_EQ(PROBE_OPS, got);
	EXPECT_EQ(0, wait_exit(probe));
	close(go[1]);
	close(results[0]);
	munmap(w.page, PG);
	close(w.uffd);
}

/* A child whose CTR_CREATE waits forever on its argument page; it says so on the pipe. */
static void never_served_child(int faulted)
{
	struct vmlab_ctr_create cc = { .size = sizeof(cc), .mode = VMLAB_CTR_MUTEX };
	struct blocked_call call;
	struct wp_page w;
	int fd = vmlab_open();

	if (fd < 0 || wp_page_init(&w, &cc, sizeof(cc)))
		_exit(1);
	call = (struct blocked_call){ .fd = fd, .cmd = VMLAB_IOC_CTR_CREATE, .arg = w.page };
	if (pthread_create(&call.tid, NULL, blocked_call_main, &call))
		_exit(2);
	if (wp_wait_faults(&w, 1, now_ns() + BOUND_NS) != 1 || write(faulted, "f", 1) != 1)
		_exit(3);
	pthread_join(call.tid, NULL);
	_exit(4);	/* never: nobody serves the fault */
}

static void *create_and_destroy(void *p)
{
	struct blocked_call *c = p;
	uint32_t id;

	c->ret = ctr_new(c->fd, NULL, VMLAB_CTR_ATOMIC, 0, 0, &id);
	if (!c->ret)
		c->ret = ctr_op(c->fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL);
	return NULL;
}

/*
 * Nobody ever serves the fault: our own CTR_CREATE still completes within
 * the bound, and once the waiting process is killed, the counter its call
 * made is gone (the teardown checks the stats).
 */
TEST_F_TIMEOUT(race, uffd_never_served_then_killed, RACE_TIMEOUT)
{
	struct blocked_call mine = { .fd = self->fd };
	struct timespec until;
	const char *why = uffd_wp_unsupported();
	int faulted[2], status, joined;
	uint64_t t0;
	pid_t child;
	char c;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, pipe(faulted));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(faulted[0]);
		never_served_child(faulted[1]);
	}
	close(faulted[1]);
	ASSERT_EQ(1, read(faulted[0], &c, 1)) TH_LOG("the child's copy-out did not wait on its page");

	t0 = now_ns();
	ASSERT_EQ(0, pthread_create(&mine.tid, NULL, create_and_destroy, &mine));
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BOUND_NS / 1000000000ULL;
	joined = pthread_timedjoin_np(mine.tid, NULL, &until);
	EXPECT_EQ(0, joined) TH_LOG("our CTR_CREATE waited %.1f s on another process's fault",
				    (now_ns() - t0) / 1e9);
	ASSERT_EQ(0, kill(child, SIGKILL));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (joined)
		pthread_join(mine.tid, NULL);
	EXPECT_EQ(0, mine.ret) TH_LOG("CTR_CREATE/DESTROY: %s", strerror(-mine.ret));
	close(faulted[0]);
}

/* Whether name is in the comma-separated list. */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/*
 * $VMLAB_RACE_CASES (names, comma separated; from the kernel command line
 * in the VM) runs only those cases: on a kernel that the first case
 * crashes, each of the others can still be seen.
 */
int main(int argc, char **argv)
{
	const char *only = getenv("VMLAB_RACE_CASES");
	struct __fixture_metadata *f;
	struct __test_metadata *t, *next;

	for (f = __fixture_list; only && f; f = f->next) {
		for (t = f->tests; t; t = next) {
			next = t->next;
			if (listed(only, t->name))
				continue;
			if (t == f->tests) {
				f->tests = next;
				if (next)
					next->prev = t->prev;
			} else {
				t->prev->next = next;
				if (next)
					next->prev = t->prev;
				else
					f->tests->prev = t->prev;
			}
		}
	}
	return test_harness_run(argc, argv);
}
