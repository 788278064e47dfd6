/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the vmlab race selftests: a seeded random stream per thread,
 * the time budget of a case, what each racing thread saw, and the module's
 * debugfs accounting.
 */
#ifndef VMLAB_RACE_UTIL_H
#define VMLAB_RACE_UTIL_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RACE_SEED_DEFAULT	14ULL	/* the issue the races come from */
#define RACE_SECONDS_DEFAULT	3.0
#define VMLAB_STATS_PATH	"/sys/kernel/debug/vmlab/stats"

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ULL, .tv_nsec = ns % 1000000000ULL };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Seconds each race runs: $VMLAB_RACE_SECONDS, else 3. */
static inline double race_seconds(void)
{
	const char *s = getenv("VMLAB_RACE_SECONDS");
	double v = s ? strtod(s, NULL) : 0;

	return v > 0 ? v : RACE_SECONDS_DEFAULT;
}

/* The seed of every random choice: $VMLAB_RACE_SEED, else 14. */
static inline uint64_t race_seed(void)
{
	const char *s = getenv("VMLAB_RACE_SEED");

	return s ? strtoull(s, NULL, 0) : RACE_SEED_DEFAULT;
}

/* xorshift64*: one stream per thread, derived from the seed and a stream number. */
struct rng {
	uint64_t s;
};

static inline void rng_init(struct rng *r, uint64_t seed, unsigned int stream)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);

	/* splitmix64 finaliser: nearby seeds give unrelated streams, never 0 */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	r->s = (z ^ (z >> 31)) | 1;
}

static inline uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

/*
 * One racing thread: it runs until *stop, counts its operations and keeps
 * the first outcome the ABI does not allow (what, and -errno or 0).
 */
struct racer {
	const char *name;
	atomic_bool *stop;
	struct rng rng;
	long ops;
	long bad;
	const char *first_bad;
	int first_err;
	void (*fn)(struct racer *r);	/* the loop the thread runs */
	pthread_t tid;
};

static inline bool racer_running(const struct racer *r)
{
	return !atomic_load_explicit(r->stop, memory_order_relaxed);
}

static inline void racer_bad(struct racer *r, const char *what, int err)
{
	if (!r->bad++) {
		r->first_bad = what;
		r->first_err = err;
	}
}

/* The debugfs stats as text: what the module holds for its users. */
static inline int held_read(char *buf, size_t len)
{
	FILE *f = fopen(VMLAB_STATS_PATH, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? 0 : -ENODATA;
}

/*
 * Wait up to 5 s for the stats to read @want again (exiting processes
 * release their files as they go); 0, or -EBUSY with the last reading in @now.
 */
static inline int held_settle(const char *want, char *now, size_t len)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		if (!held_read(now, len) && !strcmp(want, now))
			return 0;
		sleep_ns(100000000);
	}
	return -EBUSY;
}

#endif
