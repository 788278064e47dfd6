// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifecycle under stress: 1,000 unload/reload cycles with the
 * device used in each (two opens, a region mapped twice, a counter counted
 * to 100); unload refused while a file is open, or while a region is
 * mapped with no file open, and allowed once they are gone; processes
 * killed mid-ioctl, mid-fault and while blocked on a counter's mutex leave
 * nothing behind in the module's accounting. VMLAB_LIFECYCLE_CYCLES (kernel
 * command line) overrides the cycle count; the module is /vmlab.ko.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vm_util.h"

#define MODULE_PATH "/vmlab.ko"
#define STATS "/sys/kernel/debug/vmlab/stats"
#define KILL_ROUNDS 20

static int unload(void)
{
	return syscall(SYS_delete_module, "vmlab", O_NONBLOCK) ? -errno : 0;
}

static int load(void)
{
	int ko = open(MODULE_PATH, O_RDONLY | O_CLOEXEC), ret;

	if (ko < 0)
		return -errno;
	ret = syscall(SYS_finit_module, ko, "", 0) ? -errno : 0;
	close(ko);
	return ret;
}

static int loaded(void)
{
	return !access("/sys/module/vmlab", F_OK) &&
	       !access("/dev/vmlab", F_OK);
}

static int attach(int fd, const char *name, uint64_t pages, uint32_t flags)
{
	struct vmlab_shm_attach a = { .flags = flags, .length = pages * PG };

	snprintf(a.name, sizeof(a.name), "lc%d%s", (int)getpid(), name);
	return VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &a);
}

static int unlink_region(int fd, const char *name)
{
	struct vmlab_shm_unlink u = { 0 };

	snprintf(u.name, sizeof(u.name), "lc%d%s", (int)getpid(), name);
	return VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
}

static int ctr_call(int fd, unsigned long cmd, uint32_t id, int64_t delta,
		    int64_t *value)
{
	struct vmlab_ctr_op op = { .id = id, .delta = delta };
	int ret = VMLAB_CALL(fd, cmd, &op);

	if (value)
		*value = op.value;
	return ret;
}

static int ctr_create(int fd, uint32_t mode, uint32_t delay, uint32_t *id)
{
	struct vmlab_ctr_create c = { .mode = mode, .delay_ns = delay };
	int ret = VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &c);

	*id = c.id;
	return ret;
}

/*
 * One cycle's use of the device: a region mapped through two files sees
 * the same bytes, a counter counts to 100, all is freed. 0, or which
 * step failed as a negative line number.
 */
static int use_device(void)
{
	int fd = vmlab_open(), fd2 = -1, ret = 0, i;
	char *p = MAP_FAILED, *q = MAP_FAILED;
	uint32_t id = 0;
	int64_t v = 0;

	if (fd < 0 || attach(fd, "r", 4, VMLAB_SHM_CREATE | VMLAB_SHM_EXCL))
		return -__LINE__;
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (i = 0; p != MAP_FAILED && i < 4; i++)
		p[i * PG] = (char)('a' + i);
	fd2 = vmlab_open();
	if (p == MAP_FAILED || fd2 < 0 || attach(fd2, "r", 0, 0))
		ret = -__LINE__;
	if (!ret)
		q = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd2, 0);
	for (i = 0; !ret && i < 4; i++)
		if (q == MAP_FAILED || q[i * PG] != 'a' + i)
			ret = -__LINE__;
	if (!ret && ctr_create(fd, VMLAB_CTR_MUTEX, 0, &id))
		ret = -__LINE__;
	for (i = 0; !ret && i < 100; i++)
		if (ctr_call(fd, VMLAB_IOC_CTR_ADD, id, 1, NULL))
			ret = -__LINE__;
	if (!ret && (ctr_call(fd, VMLAB_IOC_CTR_GET, id, 0, &v) || v != 100))
		ret = -__LINE__;
	if (!ret && (ctr_call(fd, VMLAB_IOC_CTR_DESTROY, id, 0, NULL) ||
		     unlink_region(fd, "r")))
		ret = -__LINE__;
	if (p != MAP_FAILED)
		munmap(p, 4 * PG);
	if (q != MAP_FAILED)
		munmap(q, 4 * PG);
	if (fd2 >= 0)
		close(fd2);
	close(fd);
	return ret;
}

static char *read_stats(void)
{
	static char buf[4][1024];
	static int next;
	char *b = buf[next++ % 4];
	int fd = open(STATS, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof(buf[0]) - 1);

	if (fd >= 0)
		close(fd);
	b[n > 0 ? n : 0] = '\0';
	return b;
}

/* The stats once they read want again, or after 5 s (exiting files close late). */
static char *stats_settle(const char *want)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	char *now = read_stats();
	int i;

	for (i = 0; i < 50 && strcmp(now, want); i++) {
		nanosleep(&ts, NULL);
		now = read_stats();
	}
	return now;
}

FIXTURE(lifecycle)
{
	int unused;
};

FIXTURE_SETUP(lifecycle)
{
	if (!loaded())
		ASSERT_EQ(0, load());
}

/* Whatever a test left, the next one starts with the module loaded. */
FIXTURE_TEARDOWN(lifecycle)
{
	if (!loaded())
		EXPECT_EQ(0, load());
}

TEST_F_TIMEOUT(lifecycle, unload_reload_cycles_with_the_device_used, 1800)
{
	const char *env = getenv("VMLAB_LIFECYCLE_CYCLES");
	long cycles = env ? strtol(env, NULL, 10) : 1000, i;
	time_t start = time(NULL);

	ASSERT_LT(0, cycles);
	for (i = 0; i < cycles; i++) {
		ASSERT_EQ(0, unload()) TH_LOG("cycle %ld: unload", i + 1);
		ASSERT_EQ(0, load()) TH_LOG("cycle %ld: load", i + 1);
		ASSERT_EQ(0, use_device())
		TH_LOG("cycle %ld: the use failed", i + 1);
	}
	TH_LOG("%ld cycles in %lds", cycles, (long)(time(NULL) - start));
}

TEST_F(lifecycle, unload_refused_while_a_file_is_open)
{
	int fd = vmlab_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, unload());
	EXPECT_TRUE(loaded());
	close(fd);
	EXPECT_EQ(0, unload());
	EXPECT_FALSE(loaded());
}

/* A child keeps a region mapped with its file closed until killed. */
static pid_t start_holder(int *ready)
{
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = vmlab_open();
		char *p;

		if (fd < 0 || attach(fd, "h", 2, VMLAB_SHM_CREATE))
			_exit(1);
		p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 0);
		if (p == MAP_FAILED)
			_exit(1);
		p[0] = p[PG] = 1;
		unlink_region(fd, "h");
		close(fd);
		/* Now the mapping alone keeps the region, and the module, alive. */
		if (write(pipefd[1], "h", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pipefd[1]);
	*ready = pipefd[0];
	return pid;
}

TEST_F(lifecycle, unload_refused_while_a_region_is_mapped_without_a_file)
{
	char c = 0;
	int ready;
	pid_t pid = start_holder(&ready);

	ASSERT_LT(0, pid);
	ASSERT_EQ(1, read(ready, &c, 1))
	TH_LOG("the holder did not map its region");
	close(ready);
	EXPECT_EQ(-EWOULDBLOCK, unload());
	EXPECT_TRUE(loaded());
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* The holder's mm goes a little after waitpid: retry for a second. */
	for (c = 0; c < 100 && unload(); c++)
		usleep(10000);
	EXPECT_FALSE(loaded())
	TH_LOG("unload refused once the mapping was gone");
	EXPECT_EQ(0, load());
}

enum exit_state { X_IOCTL, X_FAULT, X_MUTEX, NX };

struct exit_ctx {
	int fd;
	uint32_t id;
	char *map;
};

static void *exit_thread(void *p)
{
	struct exit_ctx *x = p;
	struct vmlab_thread_info ti[8];
	struct vmlab_pte pte[64];

	for (;;) {
		struct vmlab_pt_query q = { .start = 0,
					    .end = 1ULL << 47,
					    .count = 64,
					    .entries = (uintptr_t)pte };
		struct vmlab_threads t = { .pid = getpid(),
					   .count = 8,
					   .entries = (uintptr_t)ti };

		if (x->id) {
			ctr_call(x->fd, VMLAB_IOC_CTR_ADD, x->id, 1, NULL);
			continue;
		}
		VMLAB_CALL(x->fd, VMLAB_IOC_PT_QUERY, &q);
		VMLAB_CALL(x->fd, VMLAB_IOC_THREADS, &t);
	}
	return NULL;
}

/* Busy in the state st until killed. */
static void __attribute__((noreturn))
exit_child(enum exit_state st, struct exit_ctx *x)
{
	pthread_t t;
	int i;

	if (st == X_FAULT) {
		/* Fault the region in, drop it, again: most time is in the fault path. */
		for (;;) {
			for (i = 0; i < 64; i++)
				x->map[i * PG] = (char)i;
			madvise(x->map, 64 * PG, MADV_DONTNEED);
		}
	}
	if (st == X_IOCTL)
		x->id = 0;
	for (i = 0; i < 3; i++)
		pthread_create(&t, NULL, exit_thread, x);
	exit_thread(x);
	_exit(0);
}

TEST_F(lifecycle, killed_processes_leave_nothing_behind)
{
	struct exit_ctx x = { .fd = -1 };
	struct vmlab_ctr_stat cs = { 0 };
	unsigned int seed = 1, i;
	char before[1024];
	int st, status;
	int64_t v;
	pid_t pid;

	snprintf(before, sizeof(before), "%s", read_stats());
	ASSERT_NE(0, before[0]) TH_LOG("no %s", STATS);
	x.fd = vmlab_open(); /* after the stats: they count open files */
	ASSERT_LE(0, x.fd);
	ASSERT_EQ(0, attach(x.fd, "x", 64, VMLAB_SHM_CREATE));
	x.map = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, x.fd,
		     0);
	ASSERT_NE(MAP_FAILED, x.map);
	ASSERT_EQ(0, ctr_create(x.fd, VMLAB_CTR_MUTEX, VMLAB_CTR_DELAY_MAX_NS,
				&x.id));
	for (st = 0; st < NX; st++) {
		for (i = 0; i < KILL_ROUNDS; i++) {
			pid = fork();
			ASSERT_LE(0, pid);
			if (pid == 0)
				exit_child(st, &x);
			usleep(1000 + rand_r(&seed) % 9000);
			kill(pid, SIGKILL);
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			ASSERT_TRUE(WIFSIGNALED(status));
		}
	}
	/*
	 * The counter survived its users' deaths, unlocked: it still counts,
	 * past what the killed children added.
	 */
	EXPECT_EQ(0, ctr_call(x.fd, VMLAB_IOC_CTR_ADD, x.id, 1, &v));
	EXPECT_LE(1, v);
	cs.id = x.id;
	EXPECT_EQ(0, VMLAB_CALL(x.fd, VMLAB_IOC_CTR_STAT, &cs));
	TH_LOG("counter at %lld, its mutex found held %llu times", (long long)v,
	       (unsigned long long)cs.contended);
	EXPECT_EQ(0, ctr_call(x.fd, VMLAB_IOC_CTR_DESTROY, x.id, 0, NULL));
	EXPECT_EQ(0, unlink_region(x.fd, "x"));
	munmap(x.map, 64 * PG);
	close(x.fd);
	EXPECT_STREQ(before, stats_settle(before));
	EXPECT_EQ(0, unload());
	EXPECT_EQ(0, load());
}

TEST_HARNESS_MAIN
