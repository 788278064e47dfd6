// SPDX-License-Identifier: GPL-2.0
/*
 * VMLAB_IOC_THREADS and threadview: threads in known states (asleep on a
 * futex, spinning, exited but never joined, a zombie process) are reported
 * with exactly those TIDs and states, by the ioctl and by both threadview
 * sources; bad input gets clear errnos.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vl_arch.h"
#include "vm_util.h"

#define NSLEEP 3

static atomic_int futex_word;
static atomic_int stop_spin;
static atomic_int ntid;
static pid_t tids[NSLEEP + 2];	/* sleepers, spinner, exited */

static void record_tid(int slot, const char *name)
{
	tids[slot] = gettid();
	pthread_setname_np(pthread_self(), name);
	atomic_fetch_add(&ntid, 1);
}

static void *sleeper(void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "sleeper%ld", (long)arg);
	record_tid((int)(long)arg, name);
	while (!atomic_load(&futex_word))
		syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static void *spinner(void *arg)
{
	record_tid(NSLEEP, "spinner");
	while (!atomic_load(&stop_spin))
		vl_cpu_relax();
	return NULL;
}

static void *quitter(void *arg)
{
	record_tid(NSLEEP + 1, "quitter");
	return NULL;
}

/* First letter of the state in /proc/self/task/TID/stat, or 0 if gone. */
static char proc_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

static int wait_state(pid_t pid, pid_t tid, char want)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (proc_state(pid, tid) == want)
			return 0;
		usleep(5000);
	}
	return -1;
}

FIXTURE(threads) {
	int fd;
	pthread_t th[NSLEEP + 2];
	pid_t zombie;
};

FIXTURE_SETUP(threads)
{
	long i;

	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
	for (i = 0; i < NSLEEP; i++)
		ASSERT_EQ(0, pthread_create(&self->th[i], NULL, sleeper, (void *)i));
	ASSERT_EQ(0, pthread_create(&self->th[NSLEEP], NULL, spinner, NULL));
	ASSERT_EQ(0, pthread_create(&self->th[NSLEEP + 1], NULL, quitter, NULL));
	while (atomic_load(&ntid) < NSLEEP + 2)
		usleep(1000);
	for (i = 0; i < NSLEEP; i++)
		ASSERT_EQ(0, wait_state(getpid(), tids[i], 'S'));
	/* a thread that returned is gone from the kernel, joined or not */
	ASSERT_EQ(0, wait_state(getpid(), tids[NSLEEP + 1], 0));

	self->zombie = fork();
	ASSERT_LE(0, self->zombie);
	if (!self->zombie)
		_exit(0);
	ASSERT_EQ(0, wait_state(self->zombie, self->zombie, 'Z'));
}

FIXTURE_TEARDOWN(threads)
{
	int i;

	atomic_store(&futex_word, 1);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, NSLEEP, NULL, NULL, 0);
	atomic_store(&stop_spin, 1);
	for (i = 0; i < NSLEEP + 2; i++)
		pthread_join(self->th[i], NULL);
	waitpid(self->zombie, NULL, 0);
	close(self->fd);
}

static int get_threads(int fd, pid_t pid, void *buf, __u32 cap,
		       struct vmlab_threads *arg)
{
	memset(arg, 0, sizeof(*arg));
	arg->pid = pid;
	arg->count = cap;
	arg->entries = (uintptr_t)buf;
	return VMLAB_CALL(fd, VMLAB_IOC_THREADS, arg);
}

static const struct vmlab_thread_info *find_tid(const struct vmlab_thread_info *ti,
						unsigned int n, pid_t tid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ti[i].tid == tid)
			return &ti[i];
	return NULL;
}

TEST_F(threads, ioctl_reports_known_states)
{
	struct vmlab_thread_info ti[16];
	const struct vmlab_thread_info *t;
	struct vmlab_threads arg;
	char name[16];
	int i;

	ASSERT_EQ(0, get_threads(self->fd, getpid(), ti, 16, &arg));
	/* main + sleepers + spinner; the quitter is not there */
	ASSERT_EQ(NSLEEP + 2, arg.total);
	ASSERT_EQ(NSLEEP + 2, arg.count);
	EXPECT_EQ(NULL, find_tid(ti, arg.count, tids[NSLEEP + 1]));

	t = find_tid(ti, arg.count, getpid());
	ASSERT_NE(NULL, t);
	/* the caller is on a CPU while it asks */
	EXPECT_EQ(0, t->state);
	EXPECT_EQ(VMLAB_STATE_RUNNING, t->state5);
	EXPECT_EQ(1, t->on_cpu);
	EXPECT_EQ(getpid(), t->tgid);
	EXPECT_EQ(0, t->user_sp);

	for (i = 0; i < NSLEEP; i++) {
		t = find_tid(ti, arg.count, tids[i]);
		ASSERT_NE(NULL, t) TH_LOG("sleeper %d (tid %d) missing", i, tids[i]);
		snprintf(name, sizeof(name), "sleeper%d", i);
		EXPECT_STREQ(name, t->comm);
		EXPECT_EQ(1, t->state);		/* S */
		EXPECT_EQ(VMLAB_STATE_WAITING, t->state5);
		EXPECT_EQ(0, t->on_cpu);
		EXPECT_LE(1, t->nvcsw);		/* it blocked at least once */
		EXPECT_EQ(getpid(), t->tgid);
	}
	t = find_tid(ti, arg.count, tids[NSLEEP]);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("spinner", t->comm);
	EXPECT_EQ(0, t->state);			/* R */
	EXPECT_TRUE(t->state5 == VMLAB_STATE_RUNNING || t->state5 == VMLAB_STATE_READY);
	EXPECT_EQ(t->on_cpu ? VMLAB_STATE_RUNNING : VMLAB_STATE_READY, t->state5);
	EXPECT_EQ(SCHED_OTHER, t->policy);
	EXPECT_EQ(20, t->prio);
	EXPECT_EQ(0, t->nice);
}

TEST_F(threads, zombie_is_finished)
{
	struct vmlab_thread_info ti[4];
	struct vmlab_threads arg;

	ASSERT_EQ(0, get_threads(self->fd, self->zombie, ti, 4, &arg));
	ASSERT_EQ(1, arg.count);
	EXPECT_EQ(self->zombie, ti[0].tid);
	EXPECT_EQ(6, ti[0].state);		/* Z */
	EXPECT_EQ(VMLAB_STATE_FINISHED, ti[0].state5);
}

TEST_F(threads, small_buffer_returns_needed_count)
{
	struct vmlab_thread_info ti[2];
	struct vmlab_threads arg;

	memset(ti, 0xa5, sizeof(ti));
	ASSERT_EQ(0, get_threads(self->fd, getpid(), ti, 2, &arg));
	EXPECT_EQ(2, arg.count);
	EXPECT_EQ(NSLEEP + 2, arg.total);
	EXPECT_EQ(getpid(), ti[0].tgid);
	EXPECT_EQ(0, ti[0].flags);	/* records are zeroed before filling */

	/* count 0 and no buffer: a size query */
	ASSERT_EQ(0, get_threads(self->fd, getpid(), NULL, 0, &arg));
	EXPECT_EQ(0, arg.count);
	EXPECT_EQ(NSLEEP + 2, arg.total);
}

TEST_F(threads, bad_input)
{
	struct vmlab_thread_info ti[8];
	struct vmlab_threads arg;
	void *hole;

	EXPECT_EQ(-EINVAL, get_threads(self->fd, 0, ti, 8, &arg));
	EXPECT_EQ(-EINVAL, get_threads(self->fd, -1, ti, 8, &arg));
	EXPECT_EQ(-EINVAL, get_threads(self->fd, INT32_MIN, ti, 8, &arg));
	EXPECT_EQ(-ESRCH, get_threads(self->fd, 0x3ffffff0, ti, 8, &arg));
	/* the reaped quitter's TID names no task any more */
	EXPECT_EQ(-ESRCH, get_threads(self->fd, tids[NSLEEP + 1], ti, 8, &arg));
	EXPECT_EQ(-EFAULT, get_threads(self->fd, getpid(), NULL, 8, &arg));

	/* a writable page followed by an inaccessible one */
	hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, mprotect((char *)hole + 4096, 4096, PROT_NONE));
	EXPECT_EQ(-EFAULT, get_threads(self->fd, getpid(), (char *)hole + 4096, 8, &arg));
	/* a buffer that runs into the hole: the copy fails */
	EXPECT_EQ(-EFAULT, get_threads(self->fd, getpid(),
				       (char *)hole + 4096 - sizeof(ti[0]), 8, &arg));
	munmap(hole, 8192);
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_THREADS, NULL));

	memset(&arg, 0, sizeof(arg));
	arg.pid = getpid();
	arg.flags = 1U << 7;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_THREADS, &arg));
	arg.flags = 0;
	arg.pad = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_THREADS, &arg));
	arg.pad = 0;
	arg.size = sizeof(arg) - 8;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_THREADS, &arg));
}

TEST_F(threads, regs_for_admin_only)
{
	struct vmlab_thread_info ti[16];
	const struct vmlab_thread_info *t;
	struct vmlab_threads arg;
	pthread_attr_t attr;
	size_t stack_size;
	void *stack;
	pid_t pid;

	memset(&arg, 0, sizeof(arg));
	arg.pid = getpid();
	arg.count = 16;
	arg.entries = (uintptr_t)ti;
	arg.flags = VMLAB_THREADS_REGS;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_THREADS, &arg));
	t = find_tid(ti, arg.count, tids[0]);
	ASSERT_NE(NULL, t);
	/* a sleeper's saved user SP lies in its own pthread stack */
	ASSERT_EQ(0, pthread_getattr_np(self->th[0], &attr));
	ASSERT_EQ(0, pthread_attr_getstack(&attr, &stack, &stack_size));
	pthread_attr_destroy(&attr);
	EXPECT_LE((uintptr_t)stack, t->user_sp);
	EXPECT_GT((uintptr_t)stack + stack_size, t->user_sp);
	EXPECT_NE(0, t->user_ip);
	EXPECT_GT(0x800000000000ULL << 9, t->user_ip);	/* a user address */

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (drop_privileges(UNPRIV_UID))
			_exit(10);
		arg.flags = VMLAB_THREADS_REGS;
		_exit(VMLAB_CALL(self->fd, VMLAB_IOC_THREADS, &arg) == -EPERM ? 0 : 11);
	}
	EXPECT_EQ(0, wait_exit(pid));
}

/* More threads than one RCU batch: every one reported once. */
static void *parked(void *arg)
{
	while (!atomic_load(&futex_word))
		syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

/* 15 s on the debug kernel, half the harness's default timeout of 30 s. */
TEST_F_TIMEOUT(threads, many_threads_all_reported, 120)
{
	enum { N = 700 };
	static pthread_t th[N];
	struct vmlab_thread_info *ti;
	struct vmlab_threads arg;
	pthread_attr_t attr;
	unsigned int i, j;
	int n = 0;

	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, thread_stack(64 * 1024)));
	for (i = 0; i < N; i++, n++)
		if (pthread_create(&th[i], &attr, parked, NULL))
			break;
	pthread_attr_destroy(&attr);
	ASSERT_EQ(N, n);

	ti = calloc(N + 64, sizeof(*ti));
	ASSERT_NE(NULL, ti);
	ASSERT_EQ(0, get_threads(self->fd, getpid(), ti, N + 64, &arg));
	EXPECT_EQ(N + NSLEEP + 2, arg.total);
	EXPECT_EQ(N + NSLEEP + 2, arg.count);
	for (i = 0; i < arg.count; i++)
		for (j = i + 1; j < arg.count; j++)
			ASSERT_NE(ti[i].tid, ti[j].tid) TH_LOG("tid %d twice", ti[i].tid);
	free(ti);

	atomic_store(&futex_word, 1);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
	for (i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	atomic_store(&futex_word, 0);
}

/* ---- threadview ---------------------------------------------------------- */

struct row {
	int pid, spid;
	char stat[8], state[12], cmd[16];
};

/* Run threadview --json and parse its rows: count, or -1. */
static int threadview_rows(const char *source, pid_t pid, struct row *rows, int max,
			   char *src_out)
{
	char cmd[256], line[256];
	int n = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "threadview --source=%s -p %d --json -o pid,spid,stat,state,cmd", source, pid);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");

		if (sscanf(p, "\"source\": \"%15[^\"]\"", src_out) == 1)
			continue;
		if (!strncmp(p, "\"pid\":", 6) && n + 1 < max) {
			n++;
			memset(&rows[n], 0, sizeof(rows[n]));
			rows[n].pid = atoi(p + 6);
		} else if (n >= 0 && !strncmp(p, "\"spid\":", 7)) {
			rows[n].spid = atoi(p + 7);
		} else if (n >= 0) {
			sscanf(p, "\"stat\": \"%7[^\"]\"", rows[n].stat);
			sscanf(p, "\"state\": \"%11[^\"]\"", rows[n].state);
			sscanf(p, "\"cmd\": \"%15[^\"]\"", rows[n].cmd);
		}
	}
	if (pclose(f))
		return -1;
	return n + 1;
}

static const struct row *find_row(const struct row *rows, int n, int spid)
{
	int i;

	for (i = 0; i < n; i++)
		if (rows[i].spid == spid)
			return &rows[i];
	return NULL;
}

TEST_F(threads, threadview_json_both_sources_agree)
{
	struct row io[16], pr[16];
	const struct row *r, *q;
	char src_io[16] = "", src_pr[16] = "";
	int nio, npr, i;

	nio = threadview_rows("ioctl", getpid(), io, 16, src_io);
	npr = threadview_rows("proc", getpid(), pr, 16, src_pr);
	EXPECT_STREQ("ioctl", src_io);
	EXPECT_STREQ("proc", src_pr);
	ASSERT_EQ(NSLEEP + 2, nio);
	ASSERT_EQ(nio, npr);
	EXPECT_EQ(NULL, find_row(io, nio, tids[NSLEEP + 1]));
	for (i = 0; i < NSLEEP; i++) {
		r = find_row(io, nio, tids[i]);
		ASSERT_NE(NULL, r);
		EXPECT_EQ('S', r->stat[0]);
		EXPECT_STREQ("Waiting", r->state);
		EXPECT_EQ(getpid(), r->pid);
	}
	r = find_row(io, nio, tids[NSLEEP]);
	ASSERT_NE(NULL, r);
	EXPECT_EQ('R', r->stat[0]);
	EXPECT_TRUE(!strcmp(r->state, "Running") || !strcmp(r->state, "Ready"));
	EXPECT_STREQ("spinner", r->cmd);
	/* the main thread waits for threadview in waitpid */
	r = find_row(io, nio, getpid());
	ASSERT_NE(NULL, r);
	EXPECT_EQ('S', r->stat[0]);

	for (i = 0; i < nio; i++) {
		q = find_row(pr, npr, io[i].spid);
		ASSERT_NE(NULL, q) TH_LOG("tid %d only in the ioctl's view", io[i].spid);
		EXPECT_EQ(io[i].pid, q->pid);
		EXPECT_STREQ(io[i].stat, q->stat);
		EXPECT_STREQ(io[i].cmd, q->cmd);
	}
}

/* The register columns carry the architecture's names: SP and IP, arm64 SP and PC. */
TEST_F(threads, threadview_names_the_registers)
{
	char cmd[128], out[1024], sp[8] = "", ip[8] = "";

	snprintf(cmd, sizeof(cmd), "threadview -q -o sp,ip -p %d", getpid());
	ASSERT_EQ(0, run_output(cmd, out, sizeof(out))) TH_LOG("%s", cmd);
	ASSERT_EQ(2, sscanf(out, "%7s %7s", sp, ip)) TH_LOG("%s", out);
	EXPECT_STREQ("SP", sp);
	EXPECT_STREQ(VL_ARCH_ID == VMLAB_ARCH_ARM64 ? "PC" : "IP", ip) TH_LOG("built for arch %d", VL_ARCH_ID);
}

TEST_F(threads, threadview_zombie)
{
	struct row rows[4];
	char src[16];

	ASSERT_EQ(1, threadview_rows("ioctl", self->zombie, rows, 4, src));
	EXPECT_EQ('Z', rows[0].stat[0]);
	EXPECT_STREQ("Finished", rows[0].state);
	ASSERT_EQ(1, threadview_rows("proc", self->zombie, rows, 4, src));
	EXPECT_EQ('Z', rows[0].stat[0]);
	EXPECT_STREQ("Finished", rows[0].state);
}

TEST_F(threads, threadview_bad_usage)
{
	EXPECT_EQ(2 << 8, system("threadview -p 0 2>/dev/null"));
	EXPECT_EQ(2 << 8, system("threadview -o nosuchcol 2>/dev/null"));
	EXPECT_EQ(1 << 8, system("threadview -q -p 1073741808 2>/dev/null"));
}

/* ---- threadtrace ----------------------------------------------------------- */

/*
 * threadpark -l 1 starts one thread that sleeps 10 ms, computes, then
 * returns: threadtrace must see it pass through the lecture's whole cycle.
 */
TEST(threadtrace_sees_the_life_cycle)
{
	static const char *const want[] = {
		"Init", "Ready", "Running", "Waiting", "Ready", "Running", "Finished",
	};
	char line[512], state[16], first[16] = "", last[16] = "";
	unsigned int matched = 0, steps = 0;
	int tid = 0, life_tid = -1, in_timeline = 0;
	FILE *f;

	/* CO-RE needs the running kernel's BTF; the debug kernel has none. */
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		SKIP(return, "no /sys/kernel/btf/vmlinux: this kernel has no BTF for BPF CO-RE");
	f = popen("threadtrace --json -- threadpark -l 1", "r");
	ASSERT_NE(NULL, f);
	/* The threads come first (tid, comm), then the timeline (tid, state). */
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");

		if (!strncmp(p, "\"timeline\": [", 13)) {
			in_timeline = 1;
		} else if (sscanf(p, "\"tid\": %d", &tid) == 1) {
			continue;
		} else if (!in_timeline && strstr(p, "\"comm\": \"life0\"")) {
			life_tid = tid;
		} else if (in_timeline && tid == life_tid &&
			   sscanf(p, "\"state\": \"%15[^\"]\"", state) == 1) {
			if (!steps++)
				strcpy(first, state);
			strcpy(last, state);
			if (matched < 7 && !strcmp(state, want[matched]))
				matched++;
		}
	}
	ASSERT_EQ(0, pclose(f));
	EXPECT_STREQ("Init", first);
	EXPECT_STREQ("Finished", last);
	EXPECT_EQ(7, matched) TH_LOG("only %u of the 7 states in order (%u steps)", matched, steps);
}

TEST(threadtrace_bad_usage)
{
	EXPECT_EQ(2 << 8, system("threadtrace 2>/dev/null"));
	EXPECT_EQ(2 << 8, system("threadtrace -p 0 2>/dev/null"));
	EXPECT_EQ(2 << 8, system("threadtrace -p 1 -- true 2>/dev/null"));
}

TEST_HARNESS_MAIN
