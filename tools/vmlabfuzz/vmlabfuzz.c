// SPDX-License-Identifier: GPL-2.0
/*
 * vmlabfuzz: throw random, malformed and racing calls at /dev/vmlab.
 *
 * Worker threads pick operations from a seeded generator: well-formed and
 * mutated ioctls of every command the module knows, random command numbers,
 * hostile pointers (NULL, unmapped, kernel, misaligned, ending in a guard
 * page, unmapped by another thread during the call), mmap/munmap/mremap/
 * mprotect/madvise on vmlab regions, fds closed under in-flight calls, and
 * short-lived children whose page tables and threads are queried while they
 * exit. Only /dev/vmlab and the fuzzer's own memory are touched: every name
 * it creates carries its own prefix, and what it created is removed at the
 * end. (The module's load/unload lifecycle is tested, not fuzzed:
 * selftests/lifecycle_stress_test.c.)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "table.h"

#define PG vl_page_size() /* the kernel's base page */
#define PG_MAX 65536UL /* the largest: arm64's 64 KiB */
#define MAX_THREADS 16
#define NFDS 16 /* /dev/vmlab fds shared by the workers */
#define NWIN 4 /* mapping windows per worker */
#define WIN_PAGES 32
#define WIN_SIZE (WIN_PAGES * PG)
#define MAP_MAX_PAGES 12 /* longest mapping placed in a window */
#define NVICTIM 8 /* pages any worker may unmap under a call */
#define SCRATCH_PAGES 4 /* per worker, followed by a guard page */
#define SCRATCH_SIZE (SCRATCH_PAGES * PG)
#define NREGIONS 8 /* region names per run */
#define NCOUNTERS 16 /* counter names per run */
#define MAX_IDS 64 /* counter ids known to this run */
#define ERRNO_SLOTS 134
#define CHILD_MAX_US 20000 /* a child still alive after this is killed */

#define KEY(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

enum {
	C_VERSION,
	C_SHM_ATTACH,
	C_SHM_UNLINK,
	C_SHM_STAT,
	C_SHM_LIST,
	C_PT_QUERY,
	C_PT_CLEAR,
	C_CTR_CREATE,
	C_CTR_ADD,
	C_CTR_GET,
	C_CTR_RESET,
	C_CTR_DESTROY,
	C_CTR_STAT,
	C_THREADS,
	NCMDS
};

static const struct {
	unsigned int cmd;
	const char *name;
	size_t size;
	/* creates, removes or changes an object: gets our names and ids only */
	int mutates;
} cmds[NCMDS] = {
	{ VMLAB_IOC_VERSION, "VERSION", sizeof(struct vmlab_version), 0 },
	{ VMLAB_IOC_SHM_ATTACH, "SHM_ATTACH", sizeof(struct vmlab_shm_attach),
	  1 },
	{ VMLAB_IOC_SHM_UNLINK, "SHM_UNLINK", sizeof(struct vmlab_shm_unlink),
	  1 },
	{ VMLAB_IOC_SHM_STAT, "SHM_STAT", sizeof(struct vmlab_shm_stat), 0 },
	{ VMLAB_IOC_SHM_LIST, "SHM_LIST", sizeof(struct vmlab_shm_list), 0 },
	{ VMLAB_IOC_PT_QUERY, "PT_QUERY", sizeof(struct vmlab_pt_query), 0 },
	{ VMLAB_IOC_PT_CLEAR_ACCESSED, "PT_CLEAR_ACCESSED",
	  sizeof(struct vmlab_pt_clear_accessed), 0 },
	{ VMLAB_IOC_CTR_CREATE, "CTR_CREATE", sizeof(struct vmlab_ctr_create),
	  1 },
	{ VMLAB_IOC_CTR_ADD, "CTR_ADD", sizeof(struct vmlab_ctr_op), 1 },
	{ VMLAB_IOC_CTR_GET, "CTR_GET", sizeof(struct vmlab_ctr_op), 0 },
	{ VMLAB_IOC_CTR_RESET, "CTR_RESET", sizeof(struct vmlab_ctr_op), 1 },
	{ VMLAB_IOC_CTR_DESTROY, "CTR_DESTROY", sizeof(struct vmlab_ctr_op),
	  1 },
	{ VMLAB_IOC_CTR_STAT, "CTR_STAT", sizeof(struct vmlab_ctr_stat), 0 },
	{ VMLAB_IOC_THREADS, "THREADS", sizeof(struct vmlab_threads), 0 },
};

enum { K_IOCTL, K_RANDOM, K_MM, K_VICTIM, K_FD, K_PROC, NKINDS };
static const char *const kind_names[NKINDS] = {
	"ioctl", "ioctl-random", "mm", "victim-unmap", "fd", "process",
};
/*
 * Weights out of 10000. Under TCG an ioctl costs ~15 us, an mm operation
 * ~1 ms (TLB shootdowns between vCPUs), a child ~80 ms: these keep a
 * million operations within two minutes there.
 */
static const unsigned int kind_weight[NKINDS] = { 6818, 2900, 120, 80, 80, 2 };

/* Counts, in a MAP_SHARED page so children add to them. */
struct shared {
	uint64_t claimed; /* operations started */
	uint64_t done; /* operations finished: the --ops budget */
	uint32_t stop;
	uint64_t kinds[NKINDS];
	uint64_t calls[NCMDS + 1]; /* [NCMDS]: numbers the module does not know */
	uint64_t errnos[ERRNO_SLOTS + 1]; /* [0]: success; last: larger errnos */
	uint64_t children;
	uint64_t killed;
};

struct window {
	char *base;
	size_t off, len; /* the mapping in it; len 0: none */
};

struct worker {
	int idx;
	int in_child;
	int ioctl_only; /* the extra thread of a child */
	uint64_t rng;
	char *scratch; /* SCRATCH_SIZE, then a guard page */
	char *spare; /* the same, for a child's extra thread */
	char *victim; /* private: only this worker's calls use it */
	struct window win[NWIN];
	pid_t child; /* being queried by a K_PROC operation */
	int child_pagemap;
	pthread_t thread;
};

static struct {
	uint64_t seed, ops, duration_ns;
	int threads, json;
} opt = { .ops = 100000, .duration_ns = 60 * VL_NSEC_PER_SEC, .threads = 4 };

static struct shared *sh;
static struct worker workers[MAX_THREADS];
static int fds[NFDS];
static char *victims[NVICTIM];
static char *readonly_page;
static uint32_t ids[MAX_IDS];
static char prefix[16];
static double deadline;
static int self_pagemap, devnull, self_status;

static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;

/* ---- helpers --------------------------------------------------------- */

static uint64_t rnd(struct worker *w)
{
	/* xorshift64*: fast, and each worker's stream is fixed by the seed */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 2685821657736338717ULL;
}

static uint64_t below(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

static int chance(struct worker *w, unsigned int percent)
{
	return below(w, 100) < percent;
}

static double now(void)
{
	return (double)vl_now_ns() / 1e9;
}

static void count_add(uint64_t *c, uint64_t n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

static int stopped(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

/* Take one operation from the budget: 0 once the run is over. */
static int claim(void)
{
	uint64_t n;

	if (stopped())
		return 0;
	n = __atomic_fetch_add(&sh->claimed, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&sh->done, __ATOMIC_RELAXED) >= opt.ops ||
	    ((n & 63) == 0 && now() > deadline)) {
		__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
		return 0;
	}
	return 1;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (fault_armed) {
		fault_armed = 0;
		siglongjmp(fault_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read or write one byte that may fault (SIGSEGV/SIGBUS): 0 or -1. */
static int touch(volatile char *p, int write, char val)
{
	if (sigsetjmp(fault_jmp, 0))
		return -1;
	fault_armed = 1;
	if (write)
		*p = val;
	else
		(void)*p;
	fault_armed = 0;
	return 0;
}

/* Copy into memory that another thread may unmap: 0 or -1. */
static int guarded_copy(char *dst, const void *src, size_t n)
{
	if (sigsetjmp(fault_jmp, 0))
		return -1;
	fault_armed = 1;
	memcpy(dst, src, n);
	fault_armed = 0;
	return 0;
}

static void *map_anon(void *addr, size_t len, int prot, int extra)
{
	return mmap(addr, len, prot,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra, -1, 0);
}

/*
 * After munmap, mremap or a failed MAP_FIXED, fill whatever became a hole
 * in [addr, addr + len) with PROT_NONE again, page by page, never replacing
 * a mapping: the fuzzer's windows stay its own, so a later MAP_FIXED there
 * cannot hit memory that something else placed.
 */
static void fill_holes(char *addr, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += PG)
		map_anon(addr + i, PG, PROT_NONE, MAP_FIXED_NOREPLACE);
}

static void record(int idx, int ret)
{
	int e = ret < 0 ? -ret : 0;

	count_add(&sh->calls[idx], 1);
	count_add(&sh->errnos[e < ERRNO_SLOTS ? e : ERRNO_SLOTS], 1);
}

static int cmd_index(unsigned int cmd)
{
	int i;

	for (i = 0; i < NCMDS; i++)
		if (KEY(cmds[i].cmd) == KEY(cmd))
			return i;
	return NCMDS;
}

static int do_ioctl(int fd, unsigned int cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg) < 0 ? -errno : 0;

	record(cmd_index(cmd), ret);
	return ret;
}

static int pick_fd(struct worker *w)
{
	int slot = below(w, NFDS);
	int fd = __atomic_load_n(&fds[slot], __ATOMIC_RELAXED);

	int old = -1;

	if (fd < 0) {
		fd = vmlab_open();
		if (fd < 0)
			return fd;
		if (!__atomic_compare_exchange_n(&fds[slot], &old, fd, 0,
						 __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED)) {
			close(fd);
			fd = old;
		}
	}
	return fd;
}

static void region_name(struct worker *w, char *name)
{
	snprintf(name, VMLAB_NAME_MAX, "%sr%u", prefix,
		 (unsigned int)below(w, NREGIONS));
}

/* Counter names fix mode and delay, so a later CREATE of the name joins it. */
static void counter_name(struct worker *w, char *name, uint32_t *mode,
			 uint32_t *delay)
{
	unsigned int i = below(w, NCOUNTERS);

	snprintf(name, VMLAB_NAME_MAX, "%sc%u", prefix, i);
	*mode = i % VMLAB_CTR_MODES;
	*delay = (i / VMLAB_CTR_MODES) * 250;
}

static void add_id(uint32_t id)
{
	int i;

	for (i = 0; i < MAX_IDS; i++) {
		uint32_t zero = 0;

		if (__atomic_compare_exchange_n(&ids[i], &zero, id, 0,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return;
	}
}

/* Forget an id before destroying it, so no other worker picks it after. */
static void drop_id(uint32_t id)
{
	int i;

	for (i = 0; i < MAX_IDS; i++) {
		uint32_t v = id;

		__atomic_compare_exchange_n(&ids[i], &v, 0, 0, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
	}
}

static int known_id(uint32_t id)
{
	int i;

	for (i = 0; i < MAX_IDS; i++)
		if (id && __atomic_load_n(&ids[i], __ATOMIC_RELAXED) == id)
			return 1;
	return 0;
}

/* An id that is ours, or one that cannot be anybody's. */
static uint32_t pick_id(struct worker *w)
{
	switch (below(w, 8)) {
	case 0:
		return 0;
	case 1:
		return 0x7fffffff - below(w, 16);
	case 2:
		return 0x80000000u | (uint32_t)rnd(w);
	default:
		return __atomic_load_n(&ids[below(w, MAX_IDS)],
				       __ATOMIC_RELAXED);
	}
}

/* ---- pointers and ranges ----------------------------------------------- */

/*
 * An argument or output pointer for n bytes. Kinds whose memory is shared
 * between workers are refused for commands that change objects, so nothing
 * but the caller can write the names and ids those carry.
 */
static char *pick_ptr(struct worker *w, size_t n, int mutates, int *safe)
{
	char *scratch = w->ioctl_only ? w->spare : w->scratch;
	unsigned int k = below(w, 100);

	*safe = 0;
	if (k < 55 || (mutates && k < 80)) {
		*safe = 1;
		return scratch + (n < SCRATCH_SIZE ?
					  below(w, (SCRATCH_SIZE - n) / 8) * 8 :
					  0);
	}
	if (k < 62)
		return scratch + below(w, SCRATCH_SIZE - 1) +
		       1; /* misaligned */
	if (k < 68)
		return scratch + SCRATCH_SIZE -
		       below(w, n + 1); /* into the guard */
	if (k < 76)
		return w->victim + below(w, PG / 8) * 8;
	if (k < 80)
		return NULL;
	if (mutates)
		return (char *)(uintptr_t)(0xffff888000000000ULL +
					   below(w, 1 << 20) * 8);
	switch (k % 10) {
	case 0:
		return (char *)(uintptr_t)0xffffffff81000000ULL; /* kernel text */
	case 1:
		return (char *)(uintptr_t)0x8000000000000000ULL; /* non-canonical */
	case 2:
		return (char *)(uintptr_t)(0x1000 +
					   below(w, 16) *
						   8); /* low, unmapped */
	case 3:
		return readonly_page + below(w, PG / 8) * 8;
	case 4:
		return (char *)(uintptr_t)0xffffffffff600000ULL; /* vsyscall page */
	default:
		return victims[below(w, NVICTIM)] + below(w, PG / 8) * 8;
	}
}

static void pick_range(struct worker *w, __u64 *start, __u64 *end)
{
	struct window *win = &w->win[below(w, NWIN)];
	uint64_t b = (uintptr_t)win->base;
	int dummy;

	switch (below(w, 10)) {
	case 0:
		*start = 0;
		*end = chance(w, 50) ? 1ULL << 47 : 1ULL << 56;
		break;
	case 1:
		*start = (uintptr_t)victims[below(w, NVICTIM)];
		*end = *start + PG * (1 + below(w, 2));
		break;
	case 2:
		*start = ((uintptr_t)&dummy & ~(PG - 1)) - 4 * PG;
		*end = *start + 8 * PG;
		break;
	case 3:
		*start = rnd(w);
		*end = rnd(w);
		break;
	case 4:
		*start = 0xffff800000000000ULL;
		*end = *start + below(w, 64) * PG;
		break;
	case 5:
		*start = b + below(w, WIN_SIZE); /* unaligned */
		*end = *start + below(w, WIN_SIZE);
		break;
	case 6:
		*start = b + WIN_SIZE;
		*end = b; /* reversed */
		break;
	default:
		*start = b + below(w, WIN_PAGES) * PG;
		*end = *start + (1 + below(w, WIN_PAGES)) * PG;
		break;
	}
}

static int pick_pagemap_fd(struct worker *w, int with_flag)
{
	if (!with_flag)
		return chance(w, 95) ? 0 : (int)rnd(w);
	switch (below(w, 10)) {
	case 0:
		return devnull;
	case 1:
		return self_status;
	case 2:
		return -1;
	case 3:
		return pick_fd(w);
	case 4:
		return (int)below(w, 1024);
	default:
		return w->child_pagemap >= 0 && chance(w, 70) ?
			       w->child_pagemap :
			       self_pagemap;
	}
}

static pid_t pick_pid(struct worker *w)
{
	switch (below(w, 12)) {
	case 0:
		return 0;
	case 1:
		return -1;
	case 2:
		return 1;
	case 3:
		return 2;
	case 4:
		return INT_MAX;
	case 5:
		return INT_MIN;
	case 6:
		return 1 + below(w, 40000);
	case 7:
		return gettid();
	default:
		return w->child > 0 ? w->child : getpid();
	}
}

/* ---- ioctl arguments --------------------------------------------------- */

/* Put our own names and ids into an argument that changes objects. */
static void sanitize(struct worker *w, int ci, void *arg)
{
	switch (ci) {
	case C_SHM_ATTACH:
		region_name(w, ((struct vmlab_shm_attach *)arg)->name);
		break;
	case C_SHM_UNLINK:
		region_name(w, ((struct vmlab_shm_unlink *)arg)->name);
		break;
	case C_CTR_CREATE: {
		struct vmlab_ctr_create *c = arg;
		uint32_t mode, delay;

		counter_name(w, c->name, &mode, &delay);
		break;
	}
	case C_CTR_ADD:
	case C_CTR_RESET:
	case C_CTR_DESTROY: {
		struct vmlab_ctr_op *op = arg;

		if (!known_id(op->id))
			op->id = pick_id(w);
		break;
	}
	}
}

/* Point the output array of command ci (if it has one) at out. */
static void set_entries(int ci, void *arg, char *out)
{
	if (ci == C_SHM_LIST)
		((struct vmlab_shm_list *)arg)->entries = (uintptr_t)out;
	else if (ci == C_PT_QUERY)
		((struct vmlab_pt_query *)arg)->entries = (uintptr_t)out;
	else if (ci == C_THREADS)
		((struct vmlab_threads *)arg)->entries = (uintptr_t)out;
}

/* A well-formed argument for command ci; *out and *outsz for its output array. */
static void build(struct worker *w, int ci, void *arg, char **out,
		  size_t *outsz)
{
	size_t rec = 0;
	uint32_t count = below(w, 65);
	int safe;

	memset(arg, 0, cmds[ci].size);
	*(uint32_t *)arg = cmds[ci].size;
	switch (ci) {
	case C_SHM_ATTACH: {
		struct vmlab_shm_attach *a = arg;
		static const uint32_t fl[] = { 0, VMLAB_SHM_CREATE,
					       VMLAB_SHM_CREATE |
						       VMLAB_SHM_EXCL,
					       VMLAB_SHM_EXCL, 4 };

		a->flags = fl[below(w, 5)];
		a->length = chance(w, 85) ? (1 + below(w, 8)) * PG :
					    rnd(w) >> below(w, 64);
		region_name(w, a->name);
		break;
	}
	case C_SHM_UNLINK:
		region_name(w, ((struct vmlab_shm_unlink *)arg)->name);
		break;
	case C_SHM_STAT:
		if (chance(w, 50))
			region_name(w, ((struct vmlab_shm_stat *)arg)->name);
		break;
	case C_SHM_LIST:
		count %= 17;
		((struct vmlab_shm_list *)arg)->count = count;
		rec = sizeof(struct vmlab_shm_info);
		break;
	case C_PT_QUERY: {
		struct vmlab_pt_query *q = arg;

		q->flags = below(w, 4);
		if (chance(w, 3))
			q->flags = rnd(w);
		q->pagemap_fd =
			pick_pagemap_fd(w, q->flags & VMLAB_PT_PAGEMAP_FD);
		q->count = count;
		pick_range(w, &q->start, &q->end);
		rec = sizeof(struct vmlab_pte);
		break;
	}
	case C_PT_CLEAR: {
		struct vmlab_pt_clear_accessed *c = arg;

		pick_range(w, &c->start, &c->end);
		break;
	}
	case C_CTR_CREATE: {
		struct vmlab_ctr_create *c = arg;

		counter_name(w, c->name, &c->mode, &c->delay_ns);
		if (chance(w, 10))
			c->flags = VMLAB_CTR_EXCL;
		if (chance(w, 5))
			c->mode = below(w, 8);
		if (chance(w, 5))
			c->delay_ns = VMLAB_CTR_DELAY_MAX_NS + below(w, 2);
		break;
	}
	case C_CTR_ADD:
	case C_CTR_GET:
	case C_CTR_RESET:
	case C_CTR_DESTROY: {
		struct vmlab_ctr_op *op = arg;

		op->id = ci == C_CTR_GET && chance(w, 20) ? below(w, 300) :
							    pick_id(w);
		if (ci == C_CTR_ADD || ci == C_CTR_RESET)
			op->delta = chance(w, 80) ? (int64_t)below(w, 5) - 2 :
						    (int64_t)rnd(w);
		break;
	}
	case C_CTR_STAT:
		((struct vmlab_ctr_stat *)arg)->id =
			chance(w, 50) ? pick_id(w) : below(w, 300);
		break;
	case C_THREADS: {
		struct vmlab_threads *t = arg;

		t->flags = chance(w, 30) ? VMLAB_THREADS_REGS : 0;
		t->pid = pick_pid(w);
		count %= 33;
		t->count = count;
		rec = sizeof(struct vmlab_thread_info);
		break;
	}
	}
	*out = NULL;
	*outsz = rec * count;
	if (rec) {
		*out = pick_ptr(w, *outsz, 0, &safe);
		set_entries(ci, arg, *out);
	}
}

/* A size field other than the struct's own, now and then. */
static uint32_t pick_size(struct worker *w, uint32_t size, char *arg,
			  size_t room)
{
	switch (below(w, 20)) {
	case 0:
		return 0;
	case 1:
		return size - 4;
	case 2:
		return 4;
	case 3: /* newer caller: zeroed tail */
		if (room >= size + 16) {
			memset(arg + size, 0, 16);
			return size + 16;
		}
		return size;
	case 4: /* newer caller: a non-zero tail */
		if (room >= size + 8) {
			memset(arg + size, 0, 8);
			arg[size + below(w, 8)] = 1;
			return size + 8;
		}
		return size;
	case 5: /* the largest size accepted, and one past it */
		if (room >= PG + 8) {
			memset(arg + size, 0, PG + 8 - size);
			return PG + 8 * below(w, 2);
		}
		return size;
	case 6:
		return (uint32_t)rnd(w);
	default:
		return size;
	}
}

static void mutate(struct worker *w, char *arg, size_t size)
{
	unsigned int n = 1 + below(w, 3);

	while (n--) {
		size_t off = 4 + below(w, size - 4);

		switch (below(w, 3)) {
		case 0:
			arg[off] ^= 1 << below(w, 8);
			break;
		case 1:
			arg[off] = rnd(w);
			break;
		default:
			memset(arg + (off & ~3UL), 0xff,
			       off + 4 <= size ? 4 : 1);
			break;
		}
	}
}

/* ---- operations ---------------------------------------------------------- */

/* A known command, well formed or slightly broken. */
static void op_ioctl(struct worker *w)
{
	char buf[PG_MAX + 64] __attribute__((aligned(8)));
	const size_t room = PG + 64; /* of buf: the largest size + 64 */
	int ci = below(w, NCMDS), fd, ret, safe = 1;
	uint32_t size = cmds[ci].size;
	unsigned int cmd = cmds[ci].cmd;
	char *out, *arg = w->ioctl_only ? w->spare : w->scratch;
	size_t outsz;

	fd = pick_fd(w);
	if (fd < 0)
		return;
	build(w, ci, buf, &out, &outsz);
	if (chance(w, 20)) {
		mutate(w, buf, size);
		/*
		 * Not the output pointer: one flipped bit could aim the
		 * kernel's records at a live stack of ours. pick_ptr gives
		 * the hostile ones, each ending in a guard page.
		 */
		set_entries(ci, buf, out);
	}
	if (cmds[ci].mutates)
		sanitize(w, ci, buf);
	if (chance(w, 15)) {
		size = pick_size(w, size, buf, room);
		memcpy(buf, &size, sizeof(size));
	}
	if (chance(w, 10))
		cmd = (cmd & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		      ((uint32_t)below(w, _IOC_SIZEMASK + 1) << _IOC_SIZESHIFT);
	if (chance(w, 15))
		arg = pick_ptr(w, cmds[ci].size, cmds[ci].mutates, &safe);
	if (arg && guarded_copy(arg, buf, size <= room ? size : cmds[ci].size))
		safe = 0;
	if (ci == C_CTR_DESTROY)
		drop_id(((struct vmlab_ctr_op *)buf)->id);
	ret = do_ioctl(fd, cmd, arg);
	if (!ret && ci == C_CTR_CREATE && safe)
		add_id(((struct vmlab_ctr_create *)arg)->id);
}

/* Random command numbers, sizes and bytes. */
static void op_random(struct worker *w)
{
	char buf[512] __attribute__((aligned(8)));
	unsigned int cmd;
	int ci, fd, safe;
	size_t i, len = 8 + below(w, sizeof(buf) - 8);
	char *arg;

	switch (below(w, 10)) {
	case 0:
	case 1:
		cmd = rnd(w);
		break;
	case 2:
	case 3:
		cmd = _IOC(below(w, 4), VMLAB_IOC_MAGIC, below(w, 256),
			   below(w, 1024));
		break;
	default:
		cmd = cmds[below(w, NCMDS)].cmd ^
		      ((uint32_t)rnd(w) & 0xffff0000u);
		break;
	}
	ci = cmd_index(cmd);
	fd = pick_fd(w);
	if (fd < 0)
		return;
	for (i = 0; i < len; i++)
		buf[i] = rnd(w);
	if (ci < NCMDS) {
		uint32_t size = pick_size(w, cmds[ci].size, buf, sizeof(buf));

		memcpy(buf, &size, 4);
		if (chance(w,
			   50)) /* zero the rest now and then: deeper paths */
			memset(buf + 4, 0, cmds[ci].size - 4);
		if (cmds[ci].mutates)
			sanitize(w, ci, buf);
	}
	if (ci < NCMDS && cmds[ci].mutates && chance(w, 70))
		arg = w->ioctl_only ? w->spare : w->scratch;
	else if (chance(w, 10))
		arg = (char *)(uintptr_t)(rnd(w) | (1ULL << 63));
	else
		arg = pick_ptr(w, len, ci < NCMDS && cmds[ci].mutates, &safe);
	if (arg && (uintptr_t)arg < (1ULL << 56))
		guarded_copy(arg, buf, len);
	do_ioctl(fd, cmd, arg);
}

static void mm_map(struct worker *w, struct window *win)
{
	static const int prots[] = { PROT_READ | PROT_WRITE,
				     PROT_READ | PROT_WRITE,
				     PROT_READ,
				     PROT_WRITE,
				     PROT_NONE,
				     PROT_READ | PROT_EXEC };
	size_t off = below(w, WIN_PAGES - MAP_MAX_PAGES) * PG;
	size_t len = (1 + below(w, MAP_MAX_PAGES)) * PG;
	off_t pgoff = chance(w, 80) ? 0 : (off_t)below(w, 10) * PG;
	int flags = (chance(w, 80) ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED;
	int fd = pick_fd(w);
	void *p;

	if (fd < 0)
		return;
	if (chance(w, 40)) {
		struct vmlab_shm_attach a = { .flags = VMLAB_SHM_CREATE,
					      .length =
						      (1 + below(w, 8)) * PG };

		region_name(w, a.name);
		record(C_SHM_ATTACH, VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &a));
	}
	if (chance(w, 3))
		pgoff = (off_t)(rnd(w) & ~(PG - 1) & INT64_MAX);
	p = mmap(win->base + off, len, prots[below(w, 6)], flags, fd, pgoff);
	if (p == MAP_FAILED) {
		fill_holes(win->base + off, len);
		return;
	}
	win->off = off;
	win->len = len;
}

static void mm_unmap(struct window *win, size_t off, size_t len)
{
	munmap(win->base + off, len);
	fill_holes(win->base + off, len);
}

static void mm_remap(struct worker *w, struct window *win)
{
	size_t len = (1 + below(w, MAP_MAX_PAGES)) * PG;
	size_t to = below(w, WIN_PAGES - MAP_MAX_PAGES) * PG;
	int flags = MREMAP_MAYMOVE | MREMAP_FIXED;
	void *p;

	/* The kernel refuses overlapping moves; keep inside the window. */
	if (to < win->off + win->len && win->off < to + len)
		return;
	if (chance(w, 10)) {
		flags |= MREMAP_DONTUNMAP;
		len = win->len;
	}
	p = mremap(win->base + win->off, win->len, len, flags, win->base + to);
	if (p == MAP_FAILED) {
		fill_holes(win->base + to, len);
		return;
	}
	if (flags & MREMAP_DONTUNMAP)
		munmap(win->base + win->off, win->len);
	fill_holes(win->base + win->off, win->len);
	win->off = to;
	win->len = len;
}

static void op_mm(struct worker *w)
{
	static const int advice[] = {
		MADV_DONTNEED,	 MADV_WILLNEED,	     MADV_NORMAL,
		MADV_RANDOM,	 MADV_SEQUENTIAL,    MADV_DONTFORK,
		MADV_DOFORK,	 MADV_HUGEPAGE,	     MADV_NOHUGEPAGE,
		MADV_COLD,	 MADV_PAGEOUT,	     MADV_FREE,
		MADV_REMOVE,	 MADV_DONTDUMP,	     MADV_WIPEONFORK,
		MADV_KEEPONFORK, MADV_POPULATE_READ, MADV_POPULATE_WRITE,
		MADV_MERGEABLE
	};
	struct window *win = &w->win[below(w, NWIN)];
	size_t off, len;
	unsigned int i, n;

	if (!win->len) {
		mm_map(w, win);
		return;
	}
	/* a sub-range of the mapping, sometimes past its end */
	off = win->off + below(w, win->len / PG) * PG;
	len = (1 + below(w, (win->off + win->len - off) / PG + 1)) * PG;
	if (off + len > WIN_SIZE)
		len = WIN_SIZE - off;
	switch (below(w, 10)) {
	case 0:
		mm_unmap(win, win->off, win->len);
		win->len = 0;
		break;
	case 1:
		mm_unmap(win, off, len);
		break;
	case 2:
		mm_remap(w, win);
		break;
	case 3:
		mprotect(win->base + off, len, below(w, 8));
		break;
	case 4:
		madvise(win->base + off, len,
			advice[below(w, sizeof(advice) / sizeof(advice[0]))]);
		break;
	case 5:
		msync(win->base + off, len,
		      chance(w, 50) ? MS_SYNC : MS_ASYNC | MS_INVALIDATE);
		break;
	default:
		/* and a page past the mapping, but never past the window */
		len = win->len + PG <= WIN_SIZE - win->off ? win->len + PG :
							     win->len;
		n = 1 + below(w, 16);
		for (i = 0; i < n; i++)
			touch(win->base + win->off + below(w, len),
			      chance(w, 60), rnd(w));
		break;
	}
}

/* Unmap, remap or protect a page that calls of other workers may be using. */
static void op_victim(struct worker *w)
{
	char *v;

	if (chance(w, 50)) {
		v = victims[below(w, NVICTIM)];
	} else {
		struct worker *o = &workers[below(w, opt.threads)];

		v = o->victim;
	}
	switch (below(w, 6)) {
	case 0:
		munmap(v, PG);
		sched_yield();
		map_anon(v, PG, PROT_READ | PROT_WRITE, MAP_FIXED_NOREPLACE);
		break;
	case 1:
		map_anon(v, PG, PROT_NONE, MAP_FIXED);
		break;
	case 2:
		map_anon(v, PG, PROT_READ | PROT_WRITE, MAP_FIXED);
		break;
	case 3:
		mprotect(v, PG, PROT_READ);
		break;
	case 4:
		mprotect(v, PG, PROT_READ | PROT_WRITE);
		break;
	default:
		madvise(v, PG, MADV_DONTNEED);
		break;
	}
}

/* fd into slot, closing what was there (other workers may be using it). */
static void put_fd(int slot, int fd)
{
	int old = __atomic_exchange_n(&fds[slot], fd, __ATOMIC_RELAXED);

	if (old >= 0)
		close(old);
}

/* Close an fd other workers may be calling through; open, dup. */
static void op_fd(struct worker *w)
{
	int slot = below(w, NFDS), fd;

	switch (below(w, 4)) {
	case 0:
	case 1:
		put_fd(slot, -1);
		return;
	case 2:
		fd = open(vl_device(),
			  (chance(w, 80) ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		break;
	default:
		fd = pick_fd(w);
		fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 3) : -1;
		break;
	}
	if (fd >= 0)
		put_fd(slot, fd);
}

static void do_op(struct worker *w, int kind);

static void *child_helper(void *p)
{
	struct worker *w = p;

	while (claim()) {
		do_op(w, chance(w, 70) ? K_IOCTL : K_RANDOM);
		count_add(&sh->done, 1);
	}
	return NULL;
}

/* The body of a short-lived child: exit at once, or work, maybe in two threads. */
static __attribute__((noreturn)) void child_main(struct worker *w)
{
	static struct worker helper;
	unsigned int n = below(w, 300);
	pthread_t t;

	w->in_child = 1;
	w->child = -1;
	w->child_pagemap = -1;
	if (chance(w, 30))
		_exit(0);
	if (chance(w, 50)) {
		helper = *w;
		helper.ioctl_only = 1;
		helper.victim =
			helper.spare; /* the child's own thread uses w->victim */
		helper.rng ^= 0x9e3779b97f4a7c15ULL;
		pthread_create(&t, NULL, child_helper, &helper);
	}
	while (n-- && claim()) {
		do_op(w, below(w, K_PROC));
		count_add(&sh->done, 1);
	}
	_exit(0);
}

/* Fork a child, query it while it runs and exits, then once it is gone. */
static void op_proc(struct worker *w)
{
	double until = now() + below(w, CHILD_MAX_US) / 1e6;
	char path[64];
	pid_t pid;
	int status, exited = 0;

	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0)
		child_main(w);
	count_add(&sh->children, 1);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	w->child = pid;
	w->child_pagemap = open(path, O_RDONLY | O_CLOEXEC);
	while (!exited && now() < until && claim()) {
		do_op(w, K_IOCTL);
		count_add(&sh->done, 1);
		exited = waitpid(pid, &status, WNOHANG) == pid;
	}
	if (!exited) {
		kill(pid, SIGKILL);
		count_add(&sh->killed, 1);
		waitpid(pid, &status, 0);
	}
	/* The mm and the threads are gone now: the calls must say so. */
	{
		struct vmlab_pt_query q = { .flags = VMLAB_PT_PAGEMAP_FD,
					    .pagemap_fd = w->child_pagemap,
					    .start = 0,
					    .end = 1ULL << 47 };
		struct vmlab_threads t = { .pid = pid };
		int fd = pick_fd(w);

		if (fd >= 0 && w->child_pagemap >= 0)
			record(C_PT_QUERY,
			       VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q));
		if (fd >= 0)
			record(C_THREADS,
			       VMLAB_CALL(fd, VMLAB_IOC_THREADS, &t));
	}
	if (w->child_pagemap >= 0)
		close(w->child_pagemap);
	w->child_pagemap = -1;
	w->child = -1;
}

static void do_op(struct worker *w, int kind)
{
	count_add(&sh->kinds[kind], 1);
	switch (kind) {
	case K_IOCTL:
		op_ioctl(w);
		break;
	case K_RANDOM:
		op_random(w);
		break;
	case K_MM:
		op_mm(w);
		break;
	case K_VICTIM:
		op_victim(w);
		break;
	case K_FD:
		op_fd(w);
		break;
	default:
		op_proc(w);
		break;
	}
}

static int pick_kind(struct worker *w)
{
	unsigned int r = below(w, 10000), k;

	for (k = 0; k < NKINDS - 1; k++) {
		if (r < kind_weight[k])
			return k;
		r -= kind_weight[k];
	}
	return K_PROC;
}

static void *worker_main(void *p)
{
	struct worker *w = p;

	while (claim()) {
		do_op(w, pick_kind(w));
		count_add(&sh->done, 1);
	}
	return NULL;
}

/* ---- setup, cleanup, report ---------------------------------------------- */

static int setup_worker(struct worker *w, int idx)
{
	char *pages;
	int i;

	w->idx = idx;
	w->rng = opt.seed * 0x9e3779b97f4a7c15ULL +
		 (uint64_t)idx * 0xbf58476d1ce4e5b9ULL + 1;
	w->child = -1;
	w->child_pagemap = -1;
	/*
	 * scratch | guard | spare | guard | victim | guard: the kernel or a
	 * copy running past a buffer faults instead of reaching other memory.
	 */
	pages = map_anon(NULL, 2 * SCRATCH_SIZE + 4 * PG,
			 PROT_READ | PROT_WRITE, 0);
	if (pages == MAP_FAILED)
		return -1;
	w->scratch = pages;
	w->spare = pages + SCRATCH_SIZE + PG;
	w->victim = w->spare + SCRATCH_SIZE + PG;
	mprotect(w->scratch + SCRATCH_SIZE, PG, PROT_NONE);
	mprotect(w->spare + SCRATCH_SIZE, PG, PROT_NONE);
	mprotect(w->victim + PG, PG, PROT_NONE);
	for (i = 0; i < NWIN; i++) {
		w->win[i].base = map_anon(NULL, WIN_SIZE, PROT_NONE, 0);
		if (w->win[i].base == MAP_FAILED)
			return -1;
	}
	return 0;
}

static int setup(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	int i;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -1;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	snprintf(prefix, sizeof(prefix), "vfz%d", (int)getpid());
	for (i = 0; i < NFDS; i++)
		fds[i] = -1;
	for (i = 0; i < NVICTIM; i++) {
		victims[i] = map_anon(NULL, 2 * PG, PROT_READ | PROT_WRITE, 0);
		if (victims[i] == MAP_FAILED)
			return -1;
		mprotect(victims[i] + PG, PG, PROT_NONE); /* guard */
	}
	readonly_page = map_anon(NULL, 2 * PG, PROT_READ, 0);
	self_pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	self_status = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (readonly_page == MAP_FAILED)
		return -1;
	for (i = 0; i < opt.threads; i++)
		if (setup_worker(&workers[i], i))
			return -1;
	return 0;
}

static int ours(const char *name)
{
	size_t n = strlen(prefix);

	return !strncmp(name, prefix, n) && (name[n] == 'r' || name[n] == 'c' ||
					     name[n] == 'h' || name[n] == 'x');
}

/* Unlink every region name of this run; the regions go once unmapped. */
static unsigned int cleanup_regions(int fd)
{
	struct vmlab_shm_list l = { 0 };
	struct vmlab_shm_unlink u;
	struct vmlab_shm_info *info;
	unsigned int i, n = 0, total;

	if (VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l))
		return 0;
	total = l.total + 1;
	info = calloc(total, sizeof(*info));
	if (!info)
		return 0;
	memset(&l, 0, sizeof(l));
	l.count = total;
	l.entries = (uintptr_t)info;
	if (VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l))
		l.count = 0;
	for (i = 0; i < l.count; i++) {
		if (!ours(info[i].name))
			continue;
		memset(&u, 0, sizeof(u));
		memcpy(u.name, info[i].name, VMLAB_NAME_MAX);
		if (!VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u))
			n++;
	}
	free(info);
	return n;
}

/*
 * Counters outlive the files that made them, and some of this run's cannot
 * be told apart from others': anonymous ones made by a forked child, or
 * whose id went to a buffer another thread unmapped. So the run notes which
 * ids exist before it starts, and at the end destroys every counter that
 * appeared while it ran. Ids are allocated lowest-free, so a scan up to
 * twice the module's limit sees them all.
 */
static uint8_t *counters_before;
static unsigned int counter_scan_limit = 4096;

static int counter_exists(int fd, uint32_t id)
{
	struct vmlab_ctr_stat st;

	memset(&st, 0, sizeof(st));
	st.id = id;
	return !VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, &st);
}

static int snapshot_counters(int fd)
{
	FILE *f = fopen("/sys/module/vmlab/parameters/ctr_max", "r");
	unsigned int id, limit;

	if (f) {
		if (fscanf(f, "%u", &limit) == 1)
			counter_scan_limit = limit * 2 + 64;
		fclose(f);
	}
	counters_before = calloc(counter_scan_limit + 1, 1);
	if (!counters_before)
		return -1;
	for (id = 1; id <= counter_scan_limit;
	     id++) /* the ABI: ids start at 1 */
		counters_before[id] = counter_exists(fd, id);
	return 0;
}

static unsigned int cleanup_counters(int fd)
{
	struct vmlab_ctr_op op;
	unsigned int id, n = 0;

	for (id = 1; id <= counter_scan_limit; id++) {
		if (counters_before[id] || !counter_exists(fd, id))
			continue;
		memset(&op, 0, sizeof(op));
		op.id = id;
		if (!VMLAB_CALL(fd, VMLAB_IOC_CTR_DESTROY, &op))
			n++;
	}
	free(counters_before);
	return n;
}

static void add_row(struct libscols_table *tb, const char *section,
		    const char *name, uint64_t value)
{
	struct libscols_line *ln = vl_line(tb, NULL);

	if (!ln)
		return;
	scols_line_set_data(ln, 0, section);
	scols_line_set_data(ln, 1, name);
	vl_line_set_u64(ln, 2, value);
}

static int report(double secs, unsigned int regions, unsigned int counters)
{
	static const struct vl_col cols[] = {
		{ "section", 0 },
		{ "name", 0 },
		{ "count", VL_NUM },
	};
	struct libscols_table *tb = VL_TABLE("vmlabfuzz", opt.json, cols);
	struct vl_doc doc;
	char name[32];
	int i;

	if (!tb)
		return -ENOMEM;
	add_row(tb, "run", "seed", opt.seed);
	add_row(tb, "run", "threads", opt.threads);
	add_row(tb, "run", "milliseconds", (uint64_t)(secs * 1000));
	add_row(tb, "run", "ops", sh->done);
	add_row(tb, "run", "children", sh->children);
	add_row(tb, "run", "children-killed", sh->killed);
	add_row(tb, "cleanup", "regions-unlinked", regions);
	add_row(tb, "cleanup", "counters-destroyed", counters);
	for (i = 0; i < NKINDS; i++)
		add_row(tb, "op", kind_names[i], sh->kinds[i]);
	for (i = 0; i <= NCMDS; i++)
		add_row(tb, "ioctl", i < NCMDS ? cmds[i].name : "unknown",
			sh->calls[i]);
	for (i = 0; i <= ERRNO_SLOTS; i++) {
		const char *en = i ? strerrorname_np(i) : "success";

		if (!sh->errnos[i])
			continue;
		if (i == ERRNO_SLOTS || !en) {
			snprintf(name, sizeof(name),
				 i == ERRNO_SLOTS ? "other" : "errno-%d", i);
			en = name;
		}
		add_row(tb, "errno", en, sh->errnos[i]);
	}
	vl_doc_init(&doc, opt.json);
	i = vl_doc_add(&doc, tb);
	return i ? i : vl_doc_end(&doc);
}

static int run_fuzz(void)
{
	unsigned int regions, counters;
	double start;
	int i, fd;

	fd = vl_device_open();
	if (fd < 0)
		return VL_EXIT_FAIL;
	if (setup() || snapshot_counters(fd)) {
		perror("vmlabfuzz: setup");
		return 1;
	}
	fprintf(stderr,
		"vmlabfuzz: seed %" PRIu64 " (reproduce with --seed %" PRIu64
		"), %d threads, up to %" PRIu64 " ops or %.0f s\n",
		opt.seed, opt.seed, opt.threads, opt.ops,
		(double)opt.duration_ns / 1e9);
	start = now();
	deadline = start + (double)opt.duration_ns / 1e9;
	for (i = 0; i < opt.threads; i++)
		if (pthread_create(&workers[i].thread, NULL, worker_main,
				   &workers[i])) {
			fprintf(stderr, "vmlabfuzz: cannot create threads\n");
			sh->stop = 1;
			opt.threads = i;
		}
	for (i = 0; i < opt.threads; i++)
		pthread_join(workers[i].thread, NULL);
	for (i = 0; i < NFDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (i = 0; i < opt.threads; i++) {
		int j;

		for (j = 0; j < NWIN; j++)
			munmap(workers[i].win[j].base, WIN_SIZE);
	}
	regions = cleanup_regions(fd);
	counters = cleanup_counters(fd);
	close(fd);
	return report(now() - start, regions, counters) ? VL_EXIT_FAIL : 0;
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmlabfuzz [OPTIONS]\n"
		"\n"
		"Fuzz the device from several threads and processes, then print a summary.\n"
		"\n"
		"Options:\n"
		"  -s, --seed N          seed of the generator (default: from the clock)\n"
		"  -n, --ops N           stop after N operations (default 100k; a count:\n"
		"                        k = 1000, M = 10^6)\n"
		"  -d, --duration TIME   stop after TIME (default 60s; units ns, us, ms,\n"
		"                        s, min; a bare number is seconds)\n"
		"  -j, --threads N       worker threads, 1..%d (default 4)\n"
		"  -J, --json            one JSON document\n"
		"  -V, --version         version\n"
		"  -h, --help            this help\n"
		"\nExit status: 0 done, 1 failed (device, setup), 2 bad usage.\n",
		MAX_THREADS);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, seeded = 0;

	vl_init(argv, "vmlabfuzz");
	while ((c = getopt_long(argc, argv, "s:n:d:j:JVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			opt.seed = vl_opt_uint("--seed", optarg, 0, UINT64_MAX);
			seeded = 1;
			break;
		case 'n':
			opt.ops = vl_opt_count("--ops", optarg, 1, UINT64_MAX);
			break;
		case 'd':
			opt.duration_ns =
				vl_opt_duration("--duration", optarg, 1000000,
						86400 * VL_NSEC_PER_SEC);
			break;
		case 'j':
			opt.threads = (int)vl_opt_uint("--threads", optarg, 1,
						       MAX_THREADS);
			break;
		case 'J':
			opt.json = 1;
			break;
		default:
			vl_other_option(c, usage);
		}
	}
	if (optind != argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
	if (!seeded)
		opt.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	snprintf(prefix, sizeof(prefix), "vfz%d", (int)getpid());
	return run_fuzz();
}
