// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel counters: the ABI of VMLAB_IOC_CTR_*, exact results of the locked
 * and atomic modes under 4 processes x 8 threads, lost updates of the racy
 * mode, overflow, limits and destroy while in use.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vm_util.h"

#define PROCS		4
#define THREADS		8
/*
 * ADDs per counter for the exactness tests, shared by the 32 threads:
 * 1e6 in all (docs/counters.md says why not 1e6 per thread).
 * $VMLAB_CTR_OPS overrides it (make check's short stress lanes: 100000).
 */
#define OPS_DEFAULT	1000000
/*
 * Each hammer stops after EXACT_SECONDS even if not every ADD is done: on
 * PREEMPT_RT a contended mutex hands off at every unlock, a context switch
 * per operation (docs/counters.md). The harness timeout leaves room.
 */
#define EXACT_SECONDS	10
/*
 * The contention test widens the locked read-modify-write to 20 us (the
 * racy test's window), so the adders find the lock held even when the VM
 * runs its vCPUs in turn (single-threaded TCG, make check) rather than at
 * once: a lock held for 1 us was found held 5-57 times in 16000 ADDs there.
 */
#define CONTENTION_DELAY_NS	20000
#define CONTENTION_OPS		500
#define EXACT_TIMEOUT	120
#define CTR_MAX_PARAM	"/sys/module/vmlab/parameters/ctr_max"

static int ctr_stat(int fd, uint32_t id, struct vmlab_ctr_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->id = id;
	return VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, st);
}

/* "counters N" of debugfs vmlab/stats: counters the module holds, or -1. */
static long held_counters(void)
{
	FILE *f = fopen("/sys/kernel/debug/vmlab/stats", "r");
	char line[64];
	long n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "counters %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

static long ops_per_thread(void)
{
	const char *s = getenv("VMLAB_CTR_OPS");

	return (s ? atol(s) : OPS_DEFAULT) / (PROCS * THREADS);
}

FIXTURE(ctr) {
	int fd;
};

FIXTURE_SETUP(ctr)
{
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
}

FIXTURE_TEARDOWN(ctr)
{
	close(self->fd);
}

TEST_F(ctr, lifecycle)
{
	struct vmlab_ctr_stat st;
	long held = held_counters();
	int64_t v;
	uint32_t id;

	ASSERT_LE(0, held) TH_LOG("no counters line in debugfs vmlab/stats");
	ASSERT_EQ(0, ctr_new(self->fd, NULL, VMLAB_CTR_MUTEX, 0, 0, &id));
	EXPECT_LT(0, id);
	EXPECT_EQ(held + 1, held_counters());
	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, id, 5, &v));
	EXPECT_EQ(5, v);
	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, id, -7, &v));
	EXPECT_EQ(-2, v);
	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_GET, id, 0, &v));
	EXPECT_EQ(-2, v);
	ASSERT_EQ(0, ctr_stat(self->fd, id, &st));
	EXPECT_EQ(VMLAB_CTR_MUTEX, st.mode);
	EXPECT_EQ(-2, st.value);
	EXPECT_EQ(3, st.ops);
	EXPECT_EQ(0, st.contended);
	EXPECT_EQ(1, st.max_concurrency);
	EXPECT_EQ(0, st.name[0]);
	EXPECT_EQ(sizeof(st), st.size);

	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_RESET, id, 100, &v));
	EXPECT_EQ(100, v);
	ASSERT_EQ(0, ctr_stat(self->fd, id, &st));
	EXPECT_EQ(0, st.ops);
	EXPECT_EQ(100, st.value);

	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, id, 0, &v));
	EXPECT_EQ(100, v);
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_GET, id, 0, NULL));
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, id, 1, NULL));
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_RESET, id, 1, NULL));
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL));
	EXPECT_EQ(-ENOENT, ctr_stat(self->fd, id, &st));
	EXPECT_EQ(held, held_counters());
}

/* Two unnamed creations are two counters; ids are never 0. */
TEST_F(ctr, unnamed_are_distinct)
{
	uint32_t a, b;

	ASSERT_EQ(0, ctr_new(self->fd, NULL, VMLAB_CTR_ATOMIC, 0, 0, &a));
	ASSERT_EQ(0, ctr_new(self->fd, NULL, VMLAB_CTR_ATOMIC, 0, 0, &b));
	EXPECT_NE(a, b);
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, a, 1, NULL));
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, a, 0, NULL));
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, b, 0, NULL));
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_GET, 0, 0, NULL));
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_GET, 0x7fffffff, 0, NULL));
	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_GET, 0xffffffff, 0, NULL));
}

/* Destroying id 0 must not let a later counter get the id 0. */
TEST_F(ctr, id_zero_is_never_given)
{
	uint32_t id;

	EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, 0, 0, NULL));
	ASSERT_EQ(0, ctr_new(self->fd, NULL, VMLAB_CTR_ATOMIC, 0, 0, &id));
	EXPECT_NE(0, id);
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL));
}

/* A name is shared by every opener: lookup-or-create, EXCL refuses. */
TEST_F(ctr, named_shared_across_files)
{
	struct vmlab_ctr_stat st;
	int fd2 = vmlab_open();
	uint32_t a, b;
	int64_t v;

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ctr_new(self->fd, "ctr_test.named", VMLAB_CTR_SPINLOCK, 0, 0, &a));
	ASSERT_EQ(0, ctr_new(fd2, "ctr_test.named", VMLAB_CTR_SPINLOCK, 0, 0, &b));
	EXPECT_EQ(a, b);
	EXPECT_EQ(-EEXIST, ctr_new(fd2, "ctr_test.named", VMLAB_CTR_SPINLOCK, 0,
				      VMLAB_CTR_EXCL, NULL));
	/* Joining with another mode or delay would be a different counter. */
	EXPECT_EQ(-EEXIST, ctr_new(fd2, "ctr_test.named", VMLAB_CTR_MUTEX, 0, 0, NULL));
	EXPECT_EQ(-EEXIST, ctr_new(fd2, "ctr_test.named", VMLAB_CTR_SPINLOCK, 10, 0, NULL));
	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, a, 40, NULL));
	ASSERT_EQ(0, ctr_op(fd2, VMLAB_IOC_CTR_ADD, b, 2, &v));
	EXPECT_EQ(42, v);
	ASSERT_EQ(0, ctr_stat(fd2, a, &st));
	EXPECT_STREQ("ctr_test.named", st.name);
	/* Closing a file does not destroy: counters belong to the module. */
	close(fd2);
	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_GET, a, 0, &v));
	EXPECT_EQ(42, v);
	ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, a, 0, NULL));
	/* The name is free again. */
	ASSERT_EQ(0, ctr_new(self->fd, "ctr_test.named", VMLAB_CTR_MUTEX, 0,
				VMLAB_CTR_EXCL, &b));
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, b, 0, NULL));
}

TEST_F(ctr, create_bad_inputs)
{
	struct vmlab_ctr_create cc;
	struct {
		const char *what;
		struct vmlab_ctr_create cc;
	} bad[] = {
		{ "unknown flag", { .flags = 2 } },
		{ "high flag", { .flags = 1U << 31 } },
		{ "EXCL without a name", { .flags = VMLAB_CTR_EXCL } },
		{ "mode = VMLAB_CTR_MODES", { .mode = VMLAB_CTR_MODES } },
		{ "mode = ~0", { .mode = ~0U } },
		{ "delay above the cap", { .mode = VMLAB_CTR_RACY,
					   .delay_ns = VMLAB_CTR_DELAY_MAX_NS + 1 } },
		{ "delay ~0", { .mode = VMLAB_CTR_MUTEX, .delay_ns = ~0U } },
		{ "atomic with a delay", { .mode = VMLAB_CTR_ATOMIC, .delay_ns = 1 } },
		{ "padding", { .pad = 1 } },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *what = bad[i].what;

		EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_CREATE, &bad[i].cc))
			TH_LOG("%s", what);
	}

	/* A name must be NUL-terminated inside its 32 bytes. */
	memset(&cc, 0, sizeof(cc));
	memset(cc.name, 'a', sizeof(cc.name));
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_CREATE, &cc));
	/* The cap itself is accepted. */
	memset(&cc, 0, sizeof(cc));
	cc.mode = VMLAB_CTR_RACY;
	cc.delay_ns = VMLAB_CTR_DELAY_MAX_NS;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_CREATE, &cc));
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, cc.id, 0, NULL));
	/* Too small a struct, and a bad pointer. */
	cc.size = 8;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_CTR_CREATE, &cc));
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_CTR_CREATE, (void *)16));
}

/* A CREATE whose id cannot be copied out leaves no counter behind. */
TEST_F(ctr, create_efault_leaves_nothing)
{
	long held = held_counters();
	struct vmlab_ctr_create *cc;

	cc = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cc);
	cc->size = sizeof(*cc);
	cc->mode = VMLAB_CTR_MUTEX;
	ASSERT_EQ(0, mprotect(cc, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_CTR_CREATE, cc));
	EXPECT_EQ(held, held_counters());
	munmap(cc, 4096);
}

TEST_F(ctr, op_bad_inputs)
{
	struct vmlab_ctr_stat st;
	struct vmlab_ctr_op op;
	uint32_t id;

	ASSERT_EQ(0, ctr_new(self->fd, NULL, VMLAB_CTR_MUTEX, 0, 0, &id));
	memset(&op, 0, sizeof(op));
	op.id = id;
	op.flags = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_ADD, &op));
	op.flags = 0;
	op.pad = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_RESET, &op));
	op.pad = 0;
	/* GET and DESTROY take no delta. */
	op.delta = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_GET, &op));
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_DESTROY, &op));
	/* value is output only: whatever it held is ignored. */
	op.delta = 0;
	op.value = 12345;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_GET, &op));
	EXPECT_EQ(0, op.value);
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_CTR_ADD, (void *)16));

	memset(&st, 0, sizeof(st));
	st.id = id;
	st.flags = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_STAT, &st));
	st.flags = 0;
	EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL));
}

/* Every mode wraps in two's complement, documented in docs/counters.md. */
TEST_F(ctr, overflow_wraps)
{
	unsigned int mode;

	for (mode = 0; mode < VMLAB_CTR_MODES; mode++) {
		uint32_t id;
		int64_t v;

		ASSERT_EQ(0, ctr_new(self->fd, NULL, mode, 0, 0, &id));
		ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_RESET, id, INT64_MAX, NULL));
		ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, id, 1, &v));
		EXPECT_EQ(INT64_MIN, v) TH_LOG("mode %u", mode);
		ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, id, -1, &v));
		EXPECT_EQ(INT64_MAX, v) TH_LOG("mode %u", mode);
		ASSERT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_ADD, id, INT64_MIN, &v));
		EXPECT_EQ(-1, v) TH_LOG("mode %u", mode);
		EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL));
	}
}

static int read_param(unsigned int *v)
{
	FILE *f = fopen(CTR_MAX_PARAM, "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%u", v);
	fclose(f);
	return n == 1 ? 0 : -EINVAL;
}

static int write_param(unsigned int v)
{
	FILE *f = fopen(CTR_MAX_PARAM, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%u\n", v) < 0;
	return fclose(f) || ret ? -EIO : 0;
}

/* ctr_max bounds how many counters exist; a destroy makes room again. */
TEST_F(ctr, limit_is_enospc)
{
	unsigned int saved, i, made = 0;
	uint32_t ids[8];
	int ret = 0;

	ASSERT_EQ(0, read_param(&saved));
	EXPECT_EQ(256, saved);
	ASSERT_EQ(0, write_param(4));
	for (i = 0; i < 8; i++) {
		ret = ctr_new(self->fd, NULL, VMLAB_CTR_ATOMIC, 0, 0, &ids[made]);
		if (ret)
			break;
		made++;
	}
	EXPECT_EQ(-ENOSPC, ret);
	EXPECT_GE(4, made);
	EXPECT_LT(0, made);
	/* A name that exists is still found at the limit. */
	if (made) {
		uint32_t again;

		EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, ids[--made], 0, NULL));
		EXPECT_EQ(0, ctr_new(self->fd, "ctr_test.limit", VMLAB_CTR_ATOMIC, 0,
					0, &ids[made]));
		EXPECT_EQ(0, ctr_new(self->fd, "ctr_test.limit", VMLAB_CTR_ATOMIC, 0,
					0, &again));
		EXPECT_EQ(ids[made], again);
		made++;
	}
	EXPECT_EQ(-ENOSPC, ctr_new(self->fd, NULL, VMLAB_CTR_ATOMIC, 0, 0, NULL));
	while (made)
		EXPECT_EQ(0, ctr_op(self->fd, VMLAB_IOC_CTR_DESTROY, ids[--made], 0, NULL));
	ASSERT_EQ(0, write_param(saved));
}

struct hammer {
	int fd;
	uint32_t id;
	long ops;
	uint64_t deadline_ns;
	long *done;		/* shared with the parent: ADDs that returned 0 */
	int err;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;
	struct vmlab_ctr_op op;
	long i;

	memset(&op, 0, sizeof(op));
	op.id = h->id;
	op.delta = 1;
	for (i = 0; i < h->ops; i++) {
		int ret;

		if (i % 64 == 0 && now_ns() > h->deadline_ns)
			break;
		ret = VMLAB_CALL(h->fd, VMLAB_IOC_CTR_ADD, &op);
		if (ret) {
			h->err = ret;
			break;
		}
		__atomic_store_n(h->done, i + 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* One process: open its own file, join the counter by name, run THREADS. */
static int hammer_process(const char *name, unsigned int mode, unsigned int delay_ns,
			  long ops, uint64_t deadline_ns, long *done)
{
	struct hammer h[THREADS];
	pthread_t tids[THREADS];
	int fd = vmlab_open(), i, bad = 0;
	uint32_t id;

	if (fd < 0 || ctr_new(fd, name, mode, delay_ns, 0, &id))
		return 10;
	for (i = 0; i < THREADS; i++) {
		h[i] = (struct hammer){ .fd = fd, .id = id, .ops = ops,
					.deadline_ns = deadline_ns, .done = &done[i] };
		if (pthread_create(&tids[i], NULL, hammer_thread, &h[i]))
			return 11;
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(tids[i], NULL);
		bad |= h[i].err != 0;
	}
	close(fd);
	return bad ? 12 : 0;
}

/*
 * PROCS x THREADS adders of +1, each stopping after ops ADDs or at the
 * time limit, whichever comes first. Returns the counter's stats and, in
 * *done, how many ADDs returned 0: the value the counter must hold.
 */
static int run_hammer(struct __test_metadata *_metadata, int fd, unsigned int mode,
		      unsigned int delay_ns, long ops, int seconds,
		      struct vmlab_ctr_stat *st, long long *done)
{
	uint64_t deadline = now_ns() + seconds * 1000000000ULL;
	char name[VMLAB_NAME_MAX];
	pid_t pids[PROCS];
	long *counts;
	uint32_t id;
	int i, ret = -1;

	counts = mmap(NULL, PROCS * THREADS * sizeof(long), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		return -1;
	memset(counts, 0, PROCS * THREADS * sizeof(long));
	snprintf(name, sizeof(name), "ctr_test.hammer%u", mode);
	if (ctr_new(fd, name, mode, delay_ns, VMLAB_CTR_EXCL, &id))
		goto out;
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(hammer_process(name, mode, delay_ns, ops, deadline,
					     &counts[i * THREADS]));
	}
	for (i = 0; i < PROCS; i++)
		EXPECT_EQ(0, wait_exit(pids[i])) TH_LOG("process %d", i);
	*done = 0;
	for (i = 0; i < PROCS * THREADS; i++)
		*done += counts[i];
	if (ctr_stat(fd, id, st))
		goto out;
	ret = ctr_op(fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL);
out:
	munmap(counts, PROCS * THREADS * sizeof(long));
	return ret;
}

static void check_exact(struct __test_metadata *_metadata, int fd, unsigned int mode)
{
	long ops = ops_per_thread();
	long long planned = (long long)PROCS * THREADS * ops, done;
	struct vmlab_ctr_stat st;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, run_hammer(_metadata, fd, mode, 0, ops, EXACT_SECONDS, &st, &done));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Every ADD that succeeded is in the value, not one more or less. */
	EXPECT_EQ(done, st.value);
	EXPECT_EQ(done, st.ops);
	/* Enough of them for the exactness to mean something. */
	EXPECT_LE(PROCS * THREADS * 100, done);
	/* The lock let one caller at a time into the read-modify-write. */
	if (mode != VMLAB_CTR_ATOMIC)
		EXPECT_EQ(1, st.max_concurrency);
	TH_LOG("mode %u: %lld of %lld planned ADDs in %.1f s, value %lld, contended %llu, wait max %llu ns",
	       mode, done, planned, t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (long long)st.value, (unsigned long long)st.contended,
	       (unsigned long long)st.wait_ns_max);
}

TEST_F_TIMEOUT(ctr, exact_mutex, EXACT_TIMEOUT)
{
	check_exact(_metadata, self->fd, VMLAB_CTR_MUTEX);
}

TEST_F_TIMEOUT(ctr, exact_atomic, EXACT_TIMEOUT)
{
	check_exact(_metadata, self->fd, VMLAB_CTR_ATOMIC);
}

TEST_F_TIMEOUT(ctr, exact_spinlock, EXACT_TIMEOUT)
{
	check_exact(_metadata, self->fd, VMLAB_CTR_SPINLOCK);
}

/* 32 adders on 2 CPUs find a lock held for 20 us, and the waits are counted. */
static void check_contention(struct __test_metadata *_metadata, int fd, unsigned int mode)
{
	struct vmlab_ctr_stat st;
	long long done;

	ASSERT_EQ(0, run_hammer(_metadata, fd, mode, CONTENTION_DELAY_NS, CONTENTION_OPS,
				EXACT_SECONDS, &st, &done));
	EXPECT_EQ(done, st.value);
	EXPECT_EQ(1, st.max_concurrency);
	EXPECT_LT(0, st.contended);
	EXPECT_LT(0, st.wait_ns_max);
	EXPECT_LE(st.wait_ns_max, st.wait_ns_total);
	TH_LOG("mode %u: %lld ADDs, contended %llu, wait max %llu ns", mode, done,
	       (unsigned long long)st.contended, (unsigned long long)st.wait_ns_max);
}

TEST_F_TIMEOUT(ctr, contention_mutex, EXACT_TIMEOUT)
{
	check_contention(_metadata, self->fd, VMLAB_CTR_MUTEX);
}

TEST_F_TIMEOUT(ctr, contention_spinlock, EXACT_TIMEOUT)
{
	check_contention(_metadata, self->fd, VMLAB_CTR_SPINLOCK);
}

/*
 * The racy mode with a 20 us window between load and store: with 4x8
 * adders on 2 CPUs, two of them overlap and one update is lost.
 */
TEST_F_TIMEOUT(ctr, racy_loses_updates, EXACT_TIMEOUT)
{
	long ops = 500;
	long long expected;
	struct vmlab_ctr_stat st;

	ASSERT_EQ(0, run_hammer(_metadata, self->fd, VMLAB_CTR_RACY, 20000, ops, EXACT_SECONDS,
				&st, &expected));
	EXPECT_LE(PROCS * THREADS * 100, expected);
	EXPECT_EQ(expected, st.ops);
	EXPECT_GT(expected, st.value);
	EXPECT_LE(2, st.max_concurrency);
	EXPECT_EQ(0, st.contended);
	TH_LOG("racy: %lld of %lld, %lld lost, up to %u inside at once",
	       (long long)st.value, expected, expected - (long long)st.value,
	       st.max_concurrency);
}

struct destroyer {
	int fd;
	uint32_t id;
	atomic_bool added;	/* one ADD returned 0 */
	atomic_int err;		/* what ended the loop */
};

static void *add_until_gone(void *arg)
{
	struct destroyer *d = arg;
	struct vmlab_ctr_op op;

	memset(&op, 0, sizeof(op));
	op.id = d->id;
	op.delta = 1;
	while (!(d->err = VMLAB_CALL(d->fd, VMLAB_IOC_CTR_ADD, &op)))
		atomic_store(&d->added, true);
	return NULL;
}

/* Destroying a counter under busy adders (some waiting for its lock). */
TEST_F(ctr, destroy_while_in_use)
{
	unsigned int mode;

	for (mode = 0; mode < VMLAB_CTR_MODES; mode++) {
		unsigned int delay = mode == VMLAB_CTR_ATOMIC ? 0 : 2000;
		struct destroyer d[THREADS];
		pthread_t tids[THREADS];
		struct vmlab_ctr_op op;
		int i;

		ASSERT_EQ(0, ctr_new(self->fd, NULL, mode, delay, 0, &d[0].id));
		for (i = 0; i < THREADS; i++) {
			d[i] = (struct destroyer){ .fd = self->fd, .id = d[0].id };
			ASSERT_EQ(0, pthread_create(&tids[i], NULL, add_until_gone, &d[i]));
		}
		/* Every adder is in its loop before the counter goes away. */
		for (i = 0; i < THREADS; i++)
			while (!atomic_load(&d[i].added) && !atomic_load(&d[i].err))
				usleep(1000);
		memset(&op, 0, sizeof(op));
		op.id = d[0].id;
		ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_CTR_DESTROY, &op));
		for (i = 0; i < THREADS; i++) {
			pthread_join(tids[i], NULL);
			EXPECT_EQ(-ENOENT, atomic_load(&d[i].err)) TH_LOG("mode %u thread %d", mode, i);
		}
		EXPECT_LT(0, op.value);
		EXPECT_EQ(-ENOENT, ctr_op(self->fd, VMLAB_IOC_CTR_GET, d[0].id, 0, NULL));
	}
}

/* Counters left behind are freed by rmmod; a reload starts empty. */
TEST(unload_frees_counters)
{
	uint32_t id;
	int fd;

	fd = vmlab_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ctr_new(fd, "ctr_test.left", VMLAB_CTR_MUTEX, 0, 0, &id));
	ASSERT_EQ(0, ctr_op(fd, VMLAB_IOC_CTR_ADD, id, 7, NULL));
	ASSERT_EQ(0, ctr_new(fd, NULL, VMLAB_CTR_SPINLOCK, 0, 0, NULL));
	close(fd);
	if (access("/vmlab.ko", R_OK))
		SKIP(return, "no /vmlab.ko to reload");
	ASSERT_EQ(0, system("rmmod vmlab && insmod /vmlab.ko"));
	fd = vmlab_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOENT, ctr_op(fd, VMLAB_IOC_CTR_GET, id, 0, NULL));
	ASSERT_EQ(0, ctr_new(fd, "ctr_test.left", VMLAB_CTR_MUTEX, 0, VMLAB_CTR_EXCL, &id));
	EXPECT_EQ(0, ctr_op(fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL));
	close(fd);
}

TEST_HARNESS_MAIN
