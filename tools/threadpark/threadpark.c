// SPDX-License-Identifier: GPL-2.0
/*
 * threadpark: a process whose threads sit in known states, for the
 * threadview and threadtrace demos, tests and benchmark: sleepers blocked
 * on a futex, spinners, yielders (always runnable, but giving the CPU up
 * with sched_yield), threads that exit without being joined, a zombie
 * child, and "lifecycle" threads that sleep briefly, run, then finish.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"
#include "vl_arch.h"

static atomic_int release_word;
static atomic_int stop_spin;
static int fifo; /* -F: spinners and yielders run SCHED_FIFO */

/* Roles in the order they are started (and counted in n[]). */
enum { SLEEP, SPIN, QUIT, LIFE, YIELD, NROLES };

/*
 * SCHED_FIFO has no time slice: such a thread leaves the CPU only when it
 * blocks, yields or a higher priority comes. Spinners and yielders are
 * made FIFO at their creation: one that switched itself once running
 * would keep a normal-priority peer on its CPU from ever running to do
 * the same.
 */
static void sched_attr(pthread_attr_t *attr, int policy, int priority)
{
	struct sched_param sp = { .sched_priority = priority };

	pthread_attr_setinheritsched(attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(attr, policy);
	pthread_attr_setschedparam(attr, &sp);
}

/*
 * Under -F the main thread runs SCHED_FIFO at priority 2, above its
 * workers: it creates them all, and stops them when --time is up, at once,
 * even on a CPU they hold. A normal-priority main thread would wait for
 * the kernel's RT throttling (up to a second) at each of those steps. The
 * other roles are made normal explicitly, not inherited from it. Without
 * the privilege, the workers' creation says so.
 */
static void fifo_main(pthread_attr_t *attr)
{
	struct sched_param sp = { .sched_priority = 2 };

	sched_setscheduler(0, SCHED_FIFO, &sp);
	sched_attr(attr, SCHED_OTHER, 0);
}

/* Thread K of role ROLE; a FIFO one that may not be FIFO is said, and made. */
static int make_thread(pthread_t *th, pthread_attr_t *attr,
		       pthread_attr_t *fattr, int role, void *(*fn)(void *),
		       long k)
{
	bool rt = fifo && (role == SPIN || role == YIELD);
	int err = pthread_create(th, rt ? fattr : attr, fn, (void *)k);

	if (err == EPERM && rt) {
		fprintf(stderr, "threadpark: SCHED_FIFO: %s\n", strerror(err));
		err = pthread_create(th, attr, fn, (void *)k);
	}
	return err;
}

static void name_self(const char *role, long i)
{
	char name[16];

	snprintf(name, sizeof(name), "%s%ld", role, i);
	pthread_setname_np(pthread_self(), name);
}

static void *sleeper(void *arg)
{
	name_self("sleeper", (long)arg);
	while (!atomic_load(&release_word))
		syscall(SYS_futex, &release_word, FUTEX_WAIT_PRIVATE, 0, NULL,
			NULL, 0);
	return NULL;
}

static void *spinner(void *arg)
{
	name_self("spinner", (long)arg);
	while (!atomic_load(&stop_spin))
		vl_cpu_relax();
	return NULL;
}

/* Running -> Ready by its own choice, again and again: never Waiting. */
static void *yielder(void *arg)
{
	name_self("yielder", (long)arg);
	while (!atomic_load(&stop_spin))
		sched_yield();
	return NULL;
}

static void *quitter(void *arg)
{
	name_self("quitter", (long)arg);
	return NULL;
}

/* Init -> Ready -> Running -> Waiting (10 ms) -> Ready -> Running -> Finished
 */
static void *lifecycle(void *arg)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	volatile unsigned long n = 0;

	name_self("life", (long)arg);
	nanosleep(&ts, NULL);
	while (n < 1000000)
		n++;
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: threadpark [options]\n"
		"\n"
		"Start threads in known states and keep them there; print the PID and\n"
		"what was started. Counts take k (1000): 10k.\n"
		"\n"
		"  -s, --sleep N      N threads asleep on a futex (Waiting)\n"
		"  -r, --spin N       N threads spinning (Ready/Running), at most 64\n"
		"  -y, --yield N      N threads calling sched_yield in a loop, at most "
		"64\n"
		"  -F, --fifo         spinners and yielders run SCHED_FIFO (priority 1,\n"
		"                     the main thread 2)\n"
		"  -x, --exit N       N threads that return at once and are never "
		"joined\n"
		"  -z, --zombie       also fork a child that exits and is never waited "
		"for\n"
		"  -l, --life N       N threads that sleep 10 ms, compute, then finish\n"
		"  -t, --time TIME    keep the threads TIME, a duration: 30s, 500ms (a "
		"bare\n"
		"                     number is seconds; default: until a signal; with\n"
		"                     only -l: until they finish)\n"
		"  -S, --stack SIZE   thread stack size, 16K to 64M (default 64K)\n"
		"  -J, --json         what was started as one JSON document\n"
		"  -V, --version      the version\n"
		"  -h, --help         this help\n");
}

static void on_signal(int sig)
{
	(void)sig;
}

/* What was started: a line of text, or the JSON document. */
static int report(bool json, const long n[NROLES], pid_t zpid)
{
	static const struct vl_col cols[] = {
		{ "pid", VL_NUM },	 { "sleeping", VL_NUM },
		{ "spinning", VL_NUM },	 { "exited", VL_NUM },
		{ "lifecycle", VL_NUM }, { "yielding", VL_NUM },
		{ "zombie", VL_NUM },
	};
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct vl_doc doc;
	int k;

	if (!json) {
		printf("threadpark pid %d: %ld sleeping, %ld spinning, %ld exited, %ld "
		       "lifecycle",
		       (int)getpid(), n[SLEEP], n[SPIN], n[QUIT], n[LIFE]);
		if (n[YIELD])
			printf(", %ld yielding", n[YIELD]);
		if (zpid > 0)
			printf(", zombie child %d", (int)zpid);
		printf("\n");
		return fflush(stdout) ? -1 : 0;
	}
	vl_doc_init(&doc, json);
	tb = VL_TABLE("threadpark", json, cols);
	ln = tb ? vl_line(tb, NULL) : NULL;
	if (!ln) {
		scols_unref_table(tb);
		return -1;
	}
	vl_line_set_i64(ln, 0, getpid());
	for (k = 0; k < NROLES; k++)
		vl_line_set_i64(ln, 1 + (k == YIELD ? 4 : k), n[k]);
	if (zpid > 0) /* else null */
		vl_line_set_i64(ln, 6, zpid);
	return vl_doc_add(&doc, tb) || vl_doc_end(&doc) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sleep", required_argument, NULL, 's' },
		{ "spin", required_argument, NULL, 'r' },
		{ "yield", required_argument, NULL, 'y' },
		{ "fifo", no_argument, NULL, 'F' },
		{ "exit", required_argument, NULL, 'x' },
		{ "zombie", no_argument, NULL, 'z' },
		{ "life", required_argument, NULL, 'l' },
		{ "time", required_argument, NULL, 't' },
		{ "stack", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* The option, the role it counts and its largest count. */
	static const struct {
		int opt;
		const char *name;
		int role;
		long max;
	} counts[] = {
		{ 's', "--sleep", SLEEP, 100000 },
		{ 'r', "--spin", SPIN, 64 },
		{ 'y', "--yield", YIELD, 64 },
		{ 'x', "--exit", QUIT, 100000 },
		{ 'l', "--life", LIFE, 100000 },
	};
	void *(*fn[NROLES])(void *) = { sleeper, spinner, quitter, lifecycle,
					yielder };
	long n[NROLES] = { 0 }, i, total;
	uint64_t stack = 64 << 10, time_ns = 0;
	bool zombie = false, json = false, timed = false;
	pthread_t *th;
	pthread_attr_t attr, fattr;
	int opt, k, err;
	pid_t zpid = 0;
	size_t made = 0, c;

	vl_init(argv, "threadpark");
	while ((opt = getopt_long(argc, argv, "s:r:y:Fx:zl:t:S:JVh", longopts,
				  NULL)) != -1) {
		for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
			if (counts[c].opt == opt)
				break;
		if (c < sizeof(counts) / sizeof(counts[0])) {
			n[counts[c].role] = (long)vl_opt_count(
				counts[c].name, optarg, 0, counts[c].max);
			continue;
		}
		switch (opt) {
		case 'z':
			zombie = true;
			break;
		case 'F':
			fifo = 1;
			break;
		case 't':
			time_ns = vl_opt_duration("--time", optarg, 0,
						  86400 * VL_NSEC_PER_SEC);
			timed = true;
			break;
		case 'S':
			stack = vl_opt_size("--stack", optarg, 16 << 10,
					    64 << 20);
			break;
		case 'J':
			json = true;
			break;
		default:
			vl_other_option(opt, usage);
		}
	}
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
	total = n[SLEEP] + n[SPIN] + n[QUIT] + n[LIFE] + n[YIELD];
	th = calloc((size_t)total + 1, sizeof(*th));
	if (!th) {
		vl_error("out of memory");
		return VL_EXIT_FAIL;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)stack);
	pthread_attr_init(&fattr);
	pthread_attr_setstacksize(&fattr, (size_t)stack);
	sched_attr(&fattr, SCHED_FIFO, 1);
	if (fifo)
		fifo_main(&attr);
	for (k = 0; k < NROLES; k++) {
		for (i = 0; i < n[k]; i++) {
			err = make_thread(&th[made], &attr, &fattr, k, fn[k],
					  i);
			if (err) {
				vl_error("thread %zu: %s", made, strerror(err));
				return VL_EXIT_FAIL;
			}
			made++;
		}
	}
	pthread_attr_destroy(&attr);
	pthread_attr_destroy(&fattr);
	if (zombie) {
		zpid = fork();
		if (!zpid)
			_exit(0);
		if (zpid < 0) {
			vl_error("fork: %s", strerror(errno));
			return VL_EXIT_FAIL;
		}
	}
	if (report(json, n, zpid)) {
		vl_error("writing the report failed");
		return VL_EXIT_FAIL;
	}

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (timed)
		vl_sleep_ns(time_ns);
	else if (n[SLEEP] || n[SPIN] || n[QUIT] || n[YIELD] || zombie)
		pause();
	atomic_store(&release_word, 1);
	syscall(SYS_futex, &release_word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL,
		NULL, 0);
	atomic_store(&stop_spin, 1);
	for (i = 0; i < (long)made; i++)
		pthread_join(th[i], NULL);
	if (zpid > 0)
		waitpid(zpid, NULL, 0);
	free(th);
	return VL_EXIT_OK;
}
