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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int release_word;
static atomic_int stop_spin;
static int fifo; /* -F: spinners and yielders run SCHED_FIFO */

/*
 * SCHED_FIFO has no time slice: such a thread leaves the CPU only when it
 * blocks, yields or a higher priority comes. Failing to get it is said.
 */
static void maybe_fifo(void)
{
	struct sched_param sp = { .sched_priority = 1 };
	int err;

	if (fifo &&
	    (err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp)))
		fprintf(stderr, "threadpark: SCHED_FIFO: %s\n", strerror(err));
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
	maybe_fifo();
	while (!atomic_load(&stop_spin))
		;
	return NULL;
}

/* Running -> Ready by its own choice, again and again: never Waiting. */
static void *yielder(void *arg)
{
	name_self("yielder", (long)arg);
	maybe_fifo();
	while (!atomic_load(&stop_spin))
		sched_yield();
	return NULL;
}

static void *quitter(void *arg)
{
	name_self("quitter", (long)arg);
	return NULL;
}

/* Init -> Ready -> Running -> Waiting (10 ms) -> Ready -> Running -> Finished */
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
		"Start threads in known states and keep them there, printing the TIDs.\n"
		"\n"
		"  -s, --sleep N      N threads asleep on a futex (Waiting)\n"
		"  -r, --spin N       N threads spinning (Ready/Running)\n"
		"  -y, --yield N      N threads calling sched_yield in a loop\n"
		"  -F, --fifo         spinners and yielders run SCHED_FIFO (priority 1)\n"
		"  -x, --exit N       N threads that return at once and are never joined\n"
		"  -z, --zombie       also fork a child that exits and is never waited for\n"
		"  -l, --life N       N threads that sleep 10 ms, compute, then finish\n"
		"  -t, --time SECS    keep the threads SECS seconds (default: until a signal;\n"
		"                     with only -l: until they finish)\n"
		"  -S, --stack SIZE   thread stack size in KiB (default 64)\n"
		"  -h, --help         this help\n");
}

static long parse_count(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return end == s || *end || v < 0 || v > max ? -1 : v;
}

static void on_signal(int sig)
{
	(void)sig;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n[5] = { 0 }, stack_kib = 64, secs = -1, i, total;
	void *(*fn[5])(void *) = { sleeper, spinner, quitter, lifecycle,
				   yielder };
	pthread_t *th;
	pthread_attr_t attr;
	int opt, zombie = 0, k, err;
	pid_t zpid = 0;
	size_t made = 0;

	while ((opt = getopt_long(argc, argv, "s:r:y:Fx:zl:t:S:h", longopts,
				  NULL)) != -1) {
		long *dst = NULL, max = 100000;

		switch (opt) {
		case 's':
			dst = &n[0];
			break;
		case 'r':
			dst = &n[1];
			max = 64;
			break;
		case 'y':
			dst = &n[4];
			max = 64;
			break;
		case 'x':
			dst = &n[2];
			break;
		case 'l':
			dst = &n[3];
			break;
		case 'z':
			zombie = 1;
			continue;
		case 'F':
			fifo = 1;
			continue;
		case 't':
			dst = &secs;
			max = 86400;
			break;
		case 'S':
			dst = &stack_kib;
			max = 65536;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
		*dst = parse_count(optarg, max);
		if (*dst < 0) {
			fprintf(stderr,
				"threadpark: bad value '%s' for -%c (0..%ld)\n",
				optarg, opt, max);
			return 2;
		}
	}
	if (optind < argc || stack_kib < 16) {
		usage(stderr);
		return 2;
	}
	total = n[0] + n[1] + n[2] + n[3] + n[4];
	th = calloc((size_t)total + 1, sizeof(*th));
	if (!th)
		return 1;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)stack_kib * 1024);
	for (k = 0; k < 5; k++) {
		for (i = 0; i < n[k]; i++) {
			err = pthread_create(&th[made], &attr, fn[k],
					     (void *)i);
			if (err) {
				fprintf(stderr, "threadpark: thread %zu: %s\n",
					made, strerror(err));
				return 1;
			}
			made++;
		}
	}
	pthread_attr_destroy(&attr);
	if (zombie) {
		zpid = fork();
		if (!zpid)
			_exit(0);
	}
	printf("threadpark pid %d: %ld sleeping, %ld spinning, %ld exited, %ld lifecycle%s",
	       (int)getpid(), n[0], n[1], n[2], n[3],
	       n[4]   ? "" :
	       zombie ? "" :
			"\n");
	if (n[4])
		printf(", %ld yielding%s", n[4], zombie ? "" : "\n");
	if (zombie)
		printf(", zombie child %d\n", (int)zpid);
	fflush(stdout);

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (secs > 0)
		sleep((unsigned int)secs);
	else if (secs < 0 && (n[0] || n[1] || n[2] || n[4] || zombie))
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
	return 0;
}
