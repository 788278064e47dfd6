// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo counter: THREADS threads (in PROCS processes) each add 1 to one
 * counter OPS times, unsynchronised, atomically, under a pthread mutex or
 * spinlock, or through a vmlab kernel counter of each mode. Expected vs
 * actual is the number of lost updates.
 */
#include <errno.h>
#include <getopt.h>
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
	uint32_t id; /* kernel counter */
	struct ctr_shared *sh;
};

struct ctr_thread {
	const struct ctr_cfg *cfg;
	int fd;
};

static void *ctr_thread_fn(void *arg)
{
	struct ctr_thread *t = arg;
	const struct ctr_cfg *cfg = t->cfg;
	struct ctr_shared *sh = cfg->sh;
	struct vmlab_ctr_op op = { .id = cfg->id, .delta = 1 };
	long i, v;

	rd_barrier_wait(&sh->start);
	for (i = 0; i < cfg->ops; i++) {
		switch (cfg->mode) {
		case M_NONE:
			/* counter = counter + 1 as load and store: no lock. */
			v = atomic_load_explicit(&sh->value,
						 memory_order_relaxed);
			if (cfg->yield_every && (i + 1) % cfg->yield_every == 0)
				sched_yield();
			atomic_store_explicit(&sh->value, v + 1,
					      memory_order_relaxed);
			break;
		case M_ATOMIC:
			atomic_fetch_add(&sh->value, 1);
			break;
		case M_MUTEX:
			pthread_mutex_lock(&sh->mutex);
			v = atomic_load_explicit(&sh->value,
						 memory_order_relaxed);
			if (cfg->yield_every && (i + 1) % cfg->yield_every == 0)
				sched_yield();
			atomic_store_explicit(&sh->value, v + 1,
					      memory_order_relaxed);
			pthread_mutex_unlock(&sh->mutex);
			break;
		case M_SPIN:
			pthread_spin_lock(&sh->spin);
			v = atomic_load_explicit(&sh->value,
						 memory_order_relaxed);
			atomic_store_explicit(&sh->value, v + 1,
					      memory_order_relaxed);
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
		if (pthread_create(&tid[i], NULL, ctr_thread_fn, &t[i])) {
			perror("racedemo counter: pthread_create");
			exit(1);
		}
	}
	if (wait_start) {
		rd_barrier_wait(&cfg->sh->start);
		t0 = rd_now_ns();
	}
	for (i = 0; i < cfg->threads; i++)
		pthread_join(tid[i], NULL);
	return (rd_now_ns() - t0) / 1e9;
}

/*
 * The shared memory of -p: a vmlab shared region if the module offers one,
 * else an anonymous MAP_SHARED mapping. *how says which.
 */
static struct ctr_shared *ctr_map(const char **how)
{
	struct vmlab_shm_attach at = {
		.flags = VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, .length = 4096
	};
	struct vmlab_shm_unlink ul = { 0 };
	void *p = MAP_FAILED;
	int fd = vmlab_open();

	if (fd >= 0) {
		snprintf(at.name, sizeof(at.name), "racedemo.%d",
			 (int)getpid());
		if (!VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &at)) {
			p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				 fd, 0);
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
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		perror("racedemo counter: mmap");
		exit(1);
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
	const char *dev = getenv("VMLAB_DEVICE");
	int fd = vmlab_open();

	if (fd < 0)
		fprintf(stderr,
			"racedemo counter: mode %s needs %s, which cannot be opened "
			"(%s): is the vmlab module loaded?\nThe user-space modes "
			"(none, atomic, pthread-mutex, spin) work without it.\n",
			mode_names[mode], dev ? dev : VMLAB_DEVICE,
			strerror(-fd));
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
		fprintf(stderr,
			"racedemo counter: VMLAB_IOC_CTR_CREATE: %s%s\n",
			strerror(-ret),
			ret == -EEXIST ?
				" (the name exists with another mode or delay)" :
				"");
		return ret;
	}
	cfg->id = cc.id;
	return 0;
}

/* Run the threads, or the processes of -p: elapsed seconds. */
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
			perror("racedemo counter: fork");
			exit(1);
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
	t0 = rd_now_ns();
	for (p = 0; p < cfg->procs; p++) {
		int st;

		if (waitpid(pids[p], &st, 0) != pids[p] || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			atomic_fetch_add(&cfg->sh->errors, 1);
	}
	return (rd_now_ns() - t0) / 1e9;
}

static void counter_help(FILE *f)
{
	int m;

	fprintf(f,
		"usage: racedemo [--json] counter [-t THREADS] [-n OPS] [-p PROCS]\n"
		"                 [-m MODE] [-d NS] [--name NAME]\n\n"
		"Every thread adds 1 to one shared counter OPS times; lost = expected - actual.\n\n"
		"  -t, --threads N    threads per process (default 2)\n"
		"  -n, --ops N        additions per thread (default 1e6)\n"
		"  -p, --procs N      processes, sharing a vmlab shared region (or an\n"
		"                     anonymous MAP_SHARED mapping) or the kernel counter\n"
		"  -m, --mode MODE    one of:");
	for (m = 0; m < M_COUNT; m++)
		fprintf(f, " %s", mode_names[m]);
	fprintf(f,
		"\n                     (default none; kernel-* need /dev/vmlab)\n"
		"  -d, --delay NS     kernel racy/mutex/spin: widening delay inside the\n"
		"                     read-modify-write (max %d)\n"
		"  -y, --yield N      none, pthread-mutex: yield the CPU between load and\n"
		"                     store every Nth update, as a timer interrupt might\n"
		"      --name NAME    kernel: join (or create) the named counter\n"
		"      --json         JSON output\n"
		"  -h, --help         this help\n",
		VMLAB_CTR_DELAY_MAX_NS);
}

static int parse_mode(const char *s, enum ctr_mode *mode)
{
	int m;

	for (m = 0; m < M_COUNT; m++) {
		if (!strcmp(s, mode_names[m])) {
			*mode = m;
			return 0;
		}
	}
	return -1;
}

static void counter_print(const struct rd_opts *o, const struct ctr_cfg *cfg,
			  long expected, long actual, double secs,
			  const char *memory, const struct vmlab_ctr_stat *st)
{
	static const struct rd_col cols[] = {
		{ "mode", SCOLS_JSON_STRING },
		{ "processes", SCOLS_JSON_NUMBER },
		{ "threads", SCOLS_JSON_NUMBER },
		{ "ops", SCOLS_JSON_NUMBER },
		{ "expected", SCOLS_JSON_NUMBER },
		{ "actual", SCOLS_JSON_NUMBER },
		{ "lost", SCOLS_JSON_NUMBER },
		{ "seconds", SCOLS_JSON_NUMBER },
		{ "ops_per_s", SCOLS_JSON_NUMBER },
		{ "memory", SCOLS_JSON_STRING },
		/* kernel modes only: VMLAB_IOC_CTR_STAT */
		{ "contended", SCOLS_JSON_NUMBER },
		{ "wait_ns_max", SCOLS_JSON_NUMBER },
		{ "max_inside", SCOLS_JSON_NUMBER },
	};
	struct libscols_table *t = rd_table("counter", cols, st ? 13 : 10);

	if (st)
		rd_row(t,
		       "%s|%ld|%ld|%ld|%ld|%ld|%ld|%.3f|%.0f|%s|%llu|%llu|%u",
		       mode_names[cfg->mode], cfg->procs, cfg->threads,
		       cfg->ops, expected, actual, expected - actual, secs,
		       expected / secs, memory,
		       (unsigned long long)st->contended,
		       (unsigned long long)st->wait_ns_max,
		       st->max_concurrency);
	else
		rd_row(t, "%s|%ld|%ld|%ld|%ld|%ld|%ld|%.3f|%.0f|%s",
		       mode_names[cfg->mode], cfg->procs, cfg->threads,
		       cfg->ops, expected, actual, expected - actual, secs,
		       expected / secs, memory);
	rd_print(o, &t, 1);
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
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "ops", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "delay", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'N' },
		{ "yield", required_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct ctr_cfg cfg = {
		.mode = M_NONE, .threads = 2, .procs = 1, .ops = 1000000
	};
	struct vmlab_ctr_stat st = { 0 };
	const char *name = NULL, *memory = "threads";
	long expected, actual, before = 0, delay;
	double secs;
	int c, fd = -1;

	while ((c = getopt_long(argc, argv, "t:n:p:m:d:y:Jh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 't':
			if (rd_parse_count(optarg, &cfg.threads) ||
			    cfg.threads > 1024)
				return rd_usage_error(
					"counter", "threads must be 1..1024");
			break;
		case 'n':
			if (rd_parse_count(optarg, &cfg.ops))
				return rd_usage_error(
					"counter", "bad operation count '%s'",
					optarg);
			break;
		case 'p':
			if (rd_parse_count(optarg, &cfg.procs) ||
			    cfg.procs > 256)
				return rd_usage_error(
					"counter", "processes must be 1..256");
			break;
		case 'm':
			if (parse_mode(optarg, &cfg.mode))
				return rd_usage_error(
					"counter", "unknown mode '%s'", optarg);
			break;
		case 'd':
			delay = atol(optarg);
			if (delay < 0 || delay > VMLAB_CTR_DELAY_MAX_NS)
				return rd_usage_error("counter",
						      "delay must be 0..%d ns",
						      VMLAB_CTR_DELAY_MAX_NS);
			cfg.delay_ns = delay;
			break;
		case 'N':
			name = optarg;
			break;
		case 'y':
			if (rd_parse_count(optarg, &cfg.yield_every))
				return rd_usage_error("counter",
						      "bad yield interval '%s'",
						      optarg);
			break;
		case 'J':
			o->json = true;
			break;
		case 'h':
			counter_help(stdout);
			return 0;
		default:
			counter_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return rd_usage_error("counter", "unexpected argument '%s'",
				      argv[optind]);
	if (!IS_KERNEL(cfg.mode) && (cfg.delay_ns || name))
		return rd_usage_error("counter",
				      "-d and --name are for the kernel modes");
	if (name && strlen(name) >= VMLAB_NAME_MAX)
		return rd_usage_error("counter", "names have at most %d bytes",
				      VMLAB_NAME_MAX - 1);
	if (cfg.yield_every && cfg.mode != M_NONE && cfg.mode != M_MUTEX)
		return rd_usage_error(
			"counter",
			"-y is for the none and pthread-mutex modes");
	if (cfg.mode == M_KATOMIC && cfg.delay_ns)
		return rd_usage_error(
			"counter", "an atomic add has no window to widen (-d)");

	if (IS_KERNEL(cfg.mode)) {
		fd = ctr_open_device(cfg.mode);
		if (fd < 0 || ctr_kernel_create(fd, &cfg, name))
			return 1;
		st.id = cfg.id;
		if (VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, &st))
			return 1;
		before = st.value;
	}
	cfg.sh = cfg.procs > 1 && !IS_KERNEL(cfg.mode) ?
			 ctr_map(&memory) :
			 mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cfg.sh == MAP_FAILED) {
		perror("racedemo counter: mmap");
		return 1;
	}
	if (IS_KERNEL(cfg.mode))
		memory = "kernel";
	ctr_shared_init(cfg.sh, cfg.procs * cfg.threads + 1);

	expected = cfg.procs * cfg.threads * cfg.ops;
	secs = ctr_run(&cfg, fd);
	if (atomic_load(&cfg.sh->errors)) {
		fprintf(stderr,
			"racedemo counter: %d thread(s) or process(es) failed\n",
			atomic_load(&cfg.sh->errors));
		return 1;
	}
	if (IS_KERNEL(cfg.mode)) {
		if (VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, &st))
			return 1;
		actual = st.value - before;
		if (!name) {
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
