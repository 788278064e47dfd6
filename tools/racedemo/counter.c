// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo counter: THREADS threads (in PROCS processes) each add 1 to one
 * counter OPS times, unsynchronised, atomically, under a pthread mutex or
 * spinlock, or through a vmlab kernel counter of each mode. Expected vs
 * actual is the number of lost updates.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvmlab.h"
#include "racedemo.h"

enum ctr_mode {
	M_NONE,
	M_ATOMIC,
	M_MUTEX,
	M_SPIN,
	M_KRACY,
	M_KATOMIC,
	M_KMUTEX,
	M_KSPIN,
	M_COUNT
};

static const char *const mode_names[M_COUNT] = {
	"none",	       "atomic",	"pthread-mutex", "spin",
	"kernel-racy", "kernel-atomic", "kernel-mutex",	 "kernel-spin",
};

static const unsigned int kernel_mode[M_COUNT] = {
	[M_KRACY] = VMLAB_CTR_RACY,
	[M_KATOMIC] = VMLAB_CTR_ATOMIC,
	[M_KMUTEX] = VMLAB_CTR_MUTEX,
	[M_KSPIN] = VMLAB_CTR_SPINLOCK,
};

#define IS_KERNEL(m) ((m) >= M_KRACY)

/* Lives in memory every process shares. */
struct ctr_shared {
	struct rd_barrier start;
	_Atomic long value;
	pthread_mutex_t mutex;
	pthread_spinlock_t spin;
	atomic_int errors;
};

struct ctr_cfg {
	enum ctr_mode mode;
	long threads, procs, ops;
	unsigned int delay_ns;
	long yield_every; /* user modes: yield inside every Nth update */
	const char *name; /* kernel: the counter to join, or NULL */
	uint32_t id; /* kernel counter */
	struct ctr_shared *sh;
};

struct ctr_thread {
	const struct ctr_cfg *cfg;
	int fd;
};

/*
 * counter = counter + 1 as a load and a store, yielding between them on
 * every yield_every-th update (0: never): the race, unless a lock is held.
 */
static void load_store(struct ctr_shared *sh, long i, long yield_every)
{
	long v = atomic_load_explicit(&sh->value, memory_order_relaxed);

	if (yield_every && (i + 1) % yield_every == 0)
		sched_yield();
	atomic_store_explicit(&sh->value, v + 1, memory_order_relaxed);
}

static void *ctr_thread_fn(void *arg)
{
	struct ctr_thread *t = arg;
	const struct ctr_cfg *cfg = t->cfg;
	struct ctr_shared *sh = cfg->sh;
	struct vmlab_ctr_op op = { .id = cfg->id, .delta = 1 };
	long i;

	rd_barrier_wait(&sh->start);
	for (i = 0; i < cfg->ops; i++) {
		switch (cfg->mode) {
		case M_NONE: /* no lock */
			load_store(sh, i, cfg->yield_every);
			break;
		case M_ATOMIC:
			atomic_fetch_add(&sh->value, 1);
			break;
		case M_MUTEX:
			pthread_mutex_lock(&sh->mutex);
			load_store(sh, i, cfg->yield_every);
			pthread_mutex_unlock(&sh->mutex);
			break;
		case M_SPIN:
			pthread_spin_lock(&sh->spin);
			load_store(sh, i, 0);
			pthread_spin_unlock(&sh->spin);
			break;
		default:
			if (VMLAB_CALL(t->fd, VMLAB_IOC_CTR_ADD, &op)) {
				atomic_fetch_add(&sh->errors, 1);
				return NULL;
			}
		}
	}
	return NULL;
}

/*
 * Start cfg->threads threads; with wait_start, this thread is one more
 * party of the start barrier and times the run. Elapsed seconds.
 */
static double ctr_threads(const struct ctr_cfg *cfg, int fd, bool wait_start)
{
	pthread_t tid[cfg->threads];
	struct ctr_thread t[cfg->threads];
	uint64_t t0 = 0;
	long i;

	for (i = 0; i < cfg->threads; i++) {
		t[i] = (struct ctr_thread){ cfg, fd };
		rd_thread(&tid[i], ctr_thread_fn, &t[i]);
	}
	if (wait_start) {
		rd_barrier_wait(&cfg->sh->start);
		t0 = vl_now_ns();
	}
	for (i = 0; i < cfg->threads; i++)
		pthread_join(tid[i], NULL);
	return (vl_now_ns() - t0) / 1e9;
}

/*
 * The shared memory of -P: a vmlab shared region if the module offers one,
 * else an anonymous MAP_SHARED mapping. *how says which.
 */
static struct ctr_shared *ctr_map(const char **how)
{
	struct vmlab_shm_attach at = { .flags = VMLAB_SHM_CREATE |
						VMLAB_SHM_EXCL,
				       .length = vl_page_size() };
	struct vmlab_shm_unlink ul = { 0 };
	void *p = MAP_FAILED;
	int fd = vmlab_open();

	if (fd >= 0) {
		snprintf(at.name, sizeof(at.name), "racedemo.%d",
			 (int)getpid());
		if (!VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &at)) {
			p = mmap(NULL, vl_page_size(), PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			/* The mapping keeps the region; the name is not needed. */
			memcpy(ul.name, at.name, sizeof(ul.name));
			VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &ul);
		}
		close(fd);
	}
	if (p != MAP_FAILED) {
		*how = "vmlab-shm";
		return p;
	}
	*how = "anonymous";
	p = mmap(NULL, vl_page_size(), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		vl_error("mmap: %s", strerror(errno));
		exit(VL_EXIT_FAIL);
	}
	return p;
}

static void ctr_shared_init(struct ctr_shared *sh, long parties)
{
	pthread_mutexattr_t ma;

	memset(sh, 0, sizeof(*sh));
	rd_barrier_init(&sh->start, parties);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->mutex, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_spin_init(&sh->spin, PTHREAD_PROCESS_SHARED);
}

/* Open the device for a kernel mode, or say clearly why it is not there. */
static int ctr_open_device(enum ctr_mode mode)
{
	int fd = vl_device_open();

	if (fd < 0)
		vl_error(
			"mode %s needs it; the user-space modes (none, atomic, "
			"pthread-mutex, spin) work without it",
			mode_names[mode]);
	return fd;
}

static int ctr_kernel_create(int fd, struct ctr_cfg *cfg, const char *name)
{
	struct vmlab_ctr_create cc = { .mode = kernel_mode[cfg->mode],
				       .delay_ns = cfg->delay_ns };
	int ret;

	if (name)
		snprintf(cc.name, sizeof(cc.name), "%s", name);
	ret = VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &cc);
	if (ret) {
		vl_error(
			"VMLAB_IOC_CTR_CREATE: %s%s", strerror(-ret),
			ret == -EEXIST ?
				" (the name exists with another mode or delay)" :
				"");
		return ret;
	}
	cfg->id = cc.id;
	return 0;
}

/* Run the threads, or the processes of -P: elapsed seconds. */
static double ctr_run(struct ctr_cfg *cfg, int fd)
{
	uint64_t t0;
	long p;

	if (cfg->procs == 1)
		return ctr_threads(cfg, fd, true);

	pid_t pids[cfg->procs];

	for (p = 0; p < cfg->procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			vl_error("fork: %s", strerror(errno));
			exit(VL_EXIT_FAIL);
		}
		if (pids[p] == 0) {
			/* Each process opens the device itself, as unrelated ones would. */
			int cfd = IS_KERNEL(cfg->mode) ? vmlab_open() : -1;

			if (IS_KERNEL(cfg->mode) && cfd < 0)
				_exit(1);
			ctr_threads(cfg, cfd, false);
			_exit(0);
		}
	}
	rd_barrier_wait(&cfg->sh->start);
	t0 = vl_now_ns();
	for (p = 0; p < cfg->procs; p++) {
		int st;

		if (waitpid(pids[p], &st, 0) != pids[p] || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			atomic_fetch_add(&cfg->sh->errors, 1);
	}
	return (vl_now_ns() - t0) / 1e9;
}

static void counter_help(FILE *f)
{
	int m;

	fprintf(f,
		"Usage: racedemo [-J] counter [-t THREADS] [-n OPS] [-P PROCS]\n"
		"                 [-m MODE] [-d TIME] [-y N] [--name NAME]\n\n"
		"Every thread adds 1 to one shared counter OPS times; lost = expected - actual.\n"
		"Counts take k, M, G (powers of 1000): 100k, 1M.\n\n"
		"  -t, --threads N    threads per process (default 2, at most 1024)\n"
		"  -n, --ops N        additions per thread (default 1M)\n"
		"  -P, --procs N      processes (default 1, at most 256), sharing a vmlab\n"
		"                     shared region (or an anonymous MAP_SHARED mapping)\n"
		"                     or the kernel counter\n"
		"  -m, --mode MODE    one of:");
	for (m = 0; m < M_COUNT; m++)
		fprintf(f, " %s", mode_names[m]);
	fprintf(f,
		"\n                     (default none; kernel-* need %s)\n"
		"  -d, --delay TIME   kernel racy/mutex/spin: widening delay inside the\n"
		"                     read-modify-write, a duration (2us; at most %dns)\n"
		"  -y, --yield N      none, pthread-mutex: yield the CPU between load and\n"
		"                     store every Nth update, as a timer interrupt might\n"
		"      --name NAME    kernel: join (or create) the named counter\n"
		"  -J, --json         one JSON document\n"
		"  -V, --version      the version\n"
		"  -h, --help         this help\n",
		vl_device(), VMLAB_CTR_DELAY_MAX_NS);
}

static void counter_opt(int c, const char *arg, void *ctx)
{
	struct ctr_cfg *cfg = ctx;

	switch (c) {
	case 't':
		cfg->threads = (long)vl_opt_count("--threads", arg, 1, 1024);
		break;
	case 'n':
		cfg->ops = (long)vl_opt_count("--ops", arg, 1, 1000000000000);
		break;
	case 'P':
		cfg->procs = (long)vl_opt_count("--procs", arg, 1, 256);
		break;
	case 'm':
		cfg->mode = rd_pick("--mode", arg, mode_names, M_COUNT,
				    sizeof(mode_names[0]), "mode");
		break;
	case 'd':
		cfg->delay_ns = (unsigned int)vl_opt_duration(
			"--delay", arg, 0, VMLAB_CTR_DELAY_MAX_NS);
		break;
	case 'y':
		cfg->yield_every =
			(long)vl_opt_count("--yield", arg, 1, 1000000000000);
		break;
	default: /* --name */
		if (strlen(arg) >= VMLAB_NAME_MAX)
			vl_bad_arg("--name", arg, "too long");
		cfg->name = arg;
	}
}

static void counter_print(struct rd_opts *o, const struct ctr_cfg *cfg,
			  long expected, long actual, double secs,
			  const char *memory, const struct vmlab_ctr_stat *st)
{
	static const struct vl_col cols[] = {
		{ "mode", 0 },
		{ "processes", VL_NUM },
		{ "threads", VL_NUM },
		{ "ops", VL_NUM },
		{ "expected", VL_NUM },
		{ "actual", VL_NUM },
		{ "lost", VL_NUM },
		{ "seconds", VL_NUM },
		{ "ops_per_s", VL_NUM },
		{ "memory", 0 },
		/* kernel modes only: VMLAB_IOC_CTR_STAT */
		{ "contended", VL_NUM },
		{ "wait_ns_max", VL_NUM },
		{ "max_inside", VL_NUM },
	};
	struct libscols_table *tb = rd_table(o, "counter", cols, st ? 13 : 10);
	struct libscols_line *ln = rd_line(tb);

	scols_line_set_data(ln, 0, mode_names[cfg->mode]);
	vl_line_set_i64(ln, 1, cfg->procs);
	vl_line_set_i64(ln, 2, cfg->threads);
	vl_line_set_i64(ln, 3, cfg->ops);
	vl_line_set_i64(ln, 4, expected);
	vl_line_set_i64(ln, 5, actual);
	vl_line_set_i64(ln, 6, expected - actual);
	vl_line_set_fmt(ln, 7, "%.3f", secs);
	vl_line_set_fmt(ln, 8, "%.0f", expected / secs);
	scols_line_set_data(ln, 9, memory);
	if (st) {
		vl_line_set_u64(ln, 10, st->contended);
		vl_line_set_u64(ln, 11, st->wait_ns_max);
		vl_line_set_u64(ln, 12, st->max_concurrency);
	}
	rd_print(o, tb);
	if (expected != actual)
		rd_say(o,
		       "%ld of %ld updates lost: two of them read the same value and one\n"
		       "store overwrote the other (a race on counter = counter + 1).\n",
		       expected - actual, expected);
	else if (cfg->mode == M_NONE || cfg->mode == M_KRACY)
		rd_say(o,
		       "No update lost this time, but nothing prevents it: run again, or\n"
		       "with more threads (-t) or a delay (-d, kernel-racy).\n");
	else
		rd_say(o, "Exact: every read-modify-write ran alone (%s).\n",
		       mode_names[cfg->mode]);
}

int cmd_counter(int argc, char **argv, struct rd_opts *o)
{
	enum { O_NAME = 256 };
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "ops", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'P' },
		{ "mode", required_argument, NULL, 'm' },
		{ "delay", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, O_NAME },
		{ "yield", required_argument, NULL, 'y' },
		{ 0 }
	};
	static const struct rd_cmdline cl = { "t:n:P:m:d:y:", longopts,
					      counter_help, counter_opt };
	struct ctr_cfg cfg = {
		.mode = M_NONE, .threads = 2, .procs = 1, .ops = 1000000
	};
	struct vmlab_ctr_stat st = { 0 };
	const char *memory = "threads";
	long expected, actual, before = 0;
	double secs;
	int fd = -1;

	rd_getopt(argc, argv, &cl, &cfg, o);
	if (!IS_KERNEL(cfg.mode) && (cfg.delay_ns || cfg.name))
		vl_usage_error("--delay and --name are for the kernel modes");
	if (cfg.yield_every && cfg.mode != M_NONE && cfg.mode != M_MUTEX)
		vl_usage_error(
			"--yield is for the none and pthread-mutex modes");
	if (cfg.mode == M_KATOMIC && cfg.delay_ns)
		vl_usage_error("--delay: an atomic add has no window to widen");

	if (IS_KERNEL(cfg.mode)) {
		fd = ctr_open_device(cfg.mode);
		if (fd < 0 || ctr_kernel_create(fd, &cfg, cfg.name))
			return 1;
		st.id = cfg.id;
		if (VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, &st))
			return 1;
		before = st.value;
	}
	cfg.sh = cfg.procs > 1 && !IS_KERNEL(cfg.mode) ?
			 ctr_map(&memory) :
			 mmap(NULL, vl_page_size(), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cfg.sh == MAP_FAILED) {
		vl_error("mmap: %s", strerror(errno));
		return 1;
	}
	if (IS_KERNEL(cfg.mode))
		memory = "kernel";
	ctr_shared_init(cfg.sh, cfg.procs * cfg.threads + 1);

	expected = cfg.procs * cfg.threads * cfg.ops;
	secs = ctr_run(&cfg, fd);
	if (atomic_load(&cfg.sh->errors)) {
		vl_error("%d thread(s) or process(es) failed",
			 atomic_load(&cfg.sh->errors));
		return 1;
	}
	if (IS_KERNEL(cfg.mode)) {
		if (VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, &st))
			return 1;
		actual = st.value - before;
		if (!cfg.name) {
			struct vmlab_ctr_op op = { .id = cfg.id };

			VMLAB_CALL(fd, VMLAB_IOC_CTR_DESTROY, &op);
		}
		close(fd);
	} else {
		actual = atomic_load(&cfg.sh->value);
	}
	rd_say(o, "%ld process(es) x %ld thread(s) x %ld additions, mode %s:\n",
	       cfg.procs, cfg.threads, cfg.ops, mode_names[cfg.mode]);
	counter_print(o, &cfg, expected, actual, secs, memory,
		      IS_KERNEL(cfg.mode) ? &st : NULL);
	return 0;
}
