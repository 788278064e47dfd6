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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "racedemo.h"

struct hold {
	pthread_mutex_t mutex;
	struct rd_barrier taken;
	uint64_t hold_ns, timeout_ns;
	uint64_t released_ns;
};

static void *holder(void *arg)
{
	struct hold *h = arg;

	pthread_mutex_lock(&h->mutex);
	rd_barrier_wait(&h->taken);
	vl_sleep_ns(h->hold_ns);
	h->released_ns = vl_now_ns();
	pthread_mutex_unlock(&h->mutex);
	return NULL;
}

/* The absolute CLOCK_REALTIME deadline timedlock wants, ns from now. */
static struct timespec deadline(uint64_t ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ns / VL_NSEC_PER_SEC);
	ts.tv_nsec += (long)(ns % VL_NSEC_PER_SEC);
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
		"Usage: racedemo [-J] trylock [-H TIME] [-T TIME]\n\n"
		"A thread holds a mutex; trylock and timedlock ask for it meanwhile.\n"
		"Times are durations from 1ms to 60s: 300ms, 1.5s.\n\n"
		"  -H, --hold TIME     how long the holder keeps it (default 300ms)\n"
		"  -T, --timeout TIME  the short timedlock timeout, shorter than the\n"
		"                      hold (default 100ms)\n"
		"  -J, --json          one JSON document\n"
		"  -V, --version       the version\n"
		"  -h, --help          this help\n");
}

static void trylock_opt(int c, const char *arg, void *ctx)
{
	struct hold *h = ctx;
	uint64_t ns = vl_opt_duration(c == 'H' ? "--hold" : "--timeout", arg,
				      1000000, 60 * VL_NSEC_PER_SEC);

	*(c == 'H' ? &h->hold_ns : &h->timeout_ns) = ns;
}

/* One call's row: when it was made (from start), what it returned. */
static void trylock_row(struct libscols_table *tb, const char *call,
			uint64_t start, uint64_t t0, int err)
{
	struct libscols_line *ln = rd_line(tb);

	scols_line_set_data(ln, 0, call);
	vl_line_set_fmt(ln, 1, "%.1f", rd_ms(t0 - start));
	scols_line_set_data(ln, 2, err_name(err));
	vl_line_set_fmt(ln, 3, "%.1f", rd_ms(vl_now_ns() - t0));
}

int cmd_trylock(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "hold", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, 'T' },
		{ 0 }
	};
	static const struct rd_cmdline cl = { "H:T:", longopts, trylock_help,
					      trylock_opt };
	static const struct vl_col cols[] = {
		{ "call", 0 },
		{ "t_ms", VL_NUM },
		{ "returned", 0 },
		{ "waited_ms", VL_NUM },
	};
	struct hold h = { .hold_ns = 300000000, .timeout_ns = 100000000 };
	struct libscols_table *tb;
	struct timespec ts;
	uint64_t t0, start;
	pthread_t tid;
	int err;
	char call[64];

	rd_getopt(argc, argv, &cl, &h, o);
	if (h.timeout_ns >= h.hold_ns)
		vl_usage_error("--timeout must be shorter than --hold");

	pthread_mutex_init(&h.mutex, NULL);
	rd_barrier_init(&h.taken, 2);
	rd_thread(&tid, holder, &h);
	rd_barrier_wait(&h.taken);
	start = vl_now_ns();
	tb = RD_TABLE(o, "trylock", cols);
	t0 = vl_now_ns();
	err = pthread_mutex_trylock(&h.mutex);
	trylock_row(tb, "trylock (held)", start, t0, err);
	snprintf(call, sizeof(call), "timedlock %g ms (held)",
		 rd_ms(h.timeout_ns));
	t0 = vl_now_ns();
	ts = deadline(h.timeout_ns);
	err = pthread_mutex_timedlock(&h.mutex, &ts);
	trylock_row(tb, call, start, t0, err);
	snprintf(call, sizeof(call), "timedlock %g ms", rd_ms(2 * h.hold_ns));
	t0 = vl_now_ns();
	ts = deadline(2 * h.hold_ns);
	err = pthread_mutex_timedlock(&h.mutex, &ts);
	trylock_row(tb, call, start, t0, err);
	if (!err)
		pthread_mutex_unlock(&h.mutex);
	pthread_join(tid, NULL);
	t0 = vl_now_ns();
	err = pthread_mutex_trylock(&h.mutex);
	trylock_row(tb, "trylock (free)", start, t0, err);
	if (!err)
		pthread_mutex_unlock(&h.mutex);
	pthread_mutex_destroy(&h.mutex);
	rd_say(o,
	       "A thread took the mutex at t=0 and keeps it %g ms; the main thread asks:\n\n",
	       rd_ms(h.hold_ns));
	if (rd_print(o, tb))
		return 1;
	rd_say(o, "the holder released it at t=%.1f ms\n",
	       rd_ms(h.released_ns - start));
	return 0;
}
