// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo trylock: the two ways of asking for a mutex without waiting for
 * ever. A holder thread takes the mutex and keeps it HOLD ms; meanwhile
 * the main thread calls pthread_mutex_trylock (returns at once: EBUSY),
 * pthread_mutex_timedlock with a timeout shorter than the hold (returns
 * ETIMEDOUT when it expires) and one longer than what is left (returns 0
 * once the holder unlocks); after that, trylock succeeds.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "racedemo.h"

struct hold {
	pthread_mutex_t mutex;
	struct rd_barrier taken;
	long hold_ms;
	uint64_t released_ns;
};

static void *holder(void *arg)
{
	struct hold *h = arg;
	struct timespec ts = { h->hold_ms / 1000,
			       (h->hold_ms % 1000) * 1000000L };

	pthread_mutex_lock(&h->mutex);
	rd_barrier_wait(&h->taken);
	nanosleep(&ts, NULL);
	h->released_ns = rd_now_ns();
	pthread_mutex_unlock(&h->mutex);
	return NULL;
}

/* The absolute CLOCK_REALTIME deadline timedlock wants, ms from now. */
static struct timespec deadline(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static const char *err_name(int err)
{
	return err == 0		? "0" :
	       err == EBUSY	? "EBUSY" :
	       err == ETIMEDOUT ? "ETIMEDOUT" :
				  strerror(err);
}

static void trylock_help(FILE *f)
{
	fprintf(f,
		"usage: racedemo [--json] trylock [-H MS] [-T MS]\n\n"
		"A thread holds a mutex MS ms; trylock and timedlock ask for it meanwhile.\n\n"
		"  -H, --hold MS      how long the holder keeps it (default 300)\n"
		"  -T, --timeout MS   the short timedlock timeout (default 100)\n"
		"      --json         JSON output\n"
		"  -h, --help         this help\n");
}

int cmd_trylock(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "hold", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const struct rd_col cols[] = {
		{ "call", SCOLS_JSON_STRING },
		{ "t_ms", SCOLS_JSON_NUMBER },
		{ "returned", SCOLS_JSON_STRING },
		{ "waited_ms", SCOLS_JSON_NUMBER },
	};
	struct hold h = { .hold_ms = 300 };
	long timeout = 100;
	struct libscols_table *t;
	struct timespec ts;
	uint64_t t0, start;
	pthread_t tid;
	int c, err;
	char call[64];

	while ((c = getopt_long(argc, argv, "H:T:Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
		case 'T':
			if (rd_parse_count(optarg,
					   c == 'H' ? &h.hold_ms : &timeout) ||
			    (c == 'H' ? h.hold_ms : timeout) > 60000)
				return rd_usage_error(
					"trylock", "times must be 1..60000 ms");
			break;
		case 'J':
			o->json = true;
			break;
		case 'h':
			trylock_help(stdout);
			return 0;
		default:
			trylock_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return rd_usage_error("trylock", "unexpected argument '%s'",
				      argv[optind]);
	if (timeout >= h.hold_ms)
		return rd_usage_error(
			"trylock", "the timeout must be shorter than the hold");

	pthread_mutex_init(&h.mutex, NULL);
	rd_barrier_init(&h.taken, 2);
	if (pthread_create(&tid, NULL, holder, &h)) {
		perror("racedemo trylock: pthread_create");
		return 1;
	}
	rd_barrier_wait(&h.taken);
	start = rd_now_ns();
	t = rd_table("trylock", cols, 4);
#define ROW(name)                                                             \
	rd_row(t, "%s|%.1f|%s|%.1f", name, (t0 - start) / 1e6, err_name(err), \
	       (rd_now_ns() - t0) / 1e6)
	t0 = rd_now_ns();
	err = pthread_mutex_trylock(&h.mutex);
	ROW("trylock (held)");
	snprintf(call, sizeof(call), "timedlock %ld ms (held)", timeout);
	t0 = rd_now_ns();
	ts = deadline(timeout);
	err = pthread_mutex_timedlock(&h.mutex, &ts);
	ROW(call);
	snprintf(call, sizeof(call), "timedlock %ld ms", 2 * h.hold_ms);
	t0 = rd_now_ns();
	ts = deadline(2 * h.hold_ms);
	err = pthread_mutex_timedlock(&h.mutex, &ts);
	ROW(call);
	if (!err)
		pthread_mutex_unlock(&h.mutex);
	pthread_join(tid, NULL);
	t0 = rd_now_ns();
	err = pthread_mutex_trylock(&h.mutex);
	ROW("trylock (free)");
#undef ROW
	if (!err)
		pthread_mutex_unlock(&h.mutex);
	pthread_mutex_destroy(&h.mutex);
	rd_say(o,
	       "A thread took the mutex at t=0 and keeps it %ld ms; the main thread asks:\n\n",
	       h.hold_ms);
	if (rd_print(o, &t, 1))
		return 1;
	rd_say(o, "the holder released it at t=%.1f ms\n",
	       (h.released_ns - start) / 1e6);
	return 0;
}
