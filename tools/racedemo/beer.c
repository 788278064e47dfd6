// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo beer: the "too much beer" problem. Two roommates, A and B, each
 * find the fridge empty and may go and buy beer; exactly one should. Each
 * attempt of the lecture (and the classic ones that follow it) runs many
 * rounds with both roommates starting together, and the rounds are
 * counted: one bought (right), both bought (too much beer), nobody bought
 * (no progress), or both waited for each other for ever (deadlock).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racedemo.h"

struct beer_shared {
	struct rd_barrier bar;
	atomic_int beer;
	atomic_int note; /* the lecture's single note */
	atomic_int notes[2]; /* one note per roommate */
	atomic_int waiting[2]; /* roommate is waiting for the other's note */
	atomic_int deadlocked;
	atomic_int bought[2];
	pthread_mutex_t lock;
	int attempt;
	uint64_t window_ns, buy_ns;
	uint64_t rounds;
};

struct beer_attempt {
	const char *name;
	void (*run)(struct beer_shared *sh, int me);
	const char *how;
};

/* Going to the shop takes a while; then there is one more beer. */
static void buy(struct beer_shared *sh, int me)
{
	rd_spin_ns(sh->buy_ns);
	atomic_fetch_add(&sh->beer, 1);
	atomic_fetch_add(&sh->bought[me], 1);
}

/* Lecture, first attempt: look for beer, look for a note, leave a note. */
static void attempt_note(struct beer_shared *sh, int me)
{
	if (atomic_load(&sh->beer) == 0) {
		if (atomic_load(&sh->note) == 0) {
			rd_window(sh->window_ns); /* writing the note */
			atomic_store(&sh->note, 1);
			buy(sh, me);
			atomic_store(&sh->note, 0);
		}
	}
}

/* Lecture, second attempt: look for beer twice; the window is still there. */
static void attempt_recheck(struct beer_shared *sh, int me)
{
	if (atomic_load(&sh->beer) == 0) {
		rd_window(sh->window_ns);
		if (atomic_load(&sh->beer) == 0) {
			if (atomic_load(&sh->note) == 0) {
				rd_window(sh->window_ns);
				atomic_store(&sh->note, 1);
				buy(sh, me);
				atomic_store(&sh->note, 0);
			}
		}
	}
}

/* Leave your own note first, then look at the other's: never both buy. */
static void attempt_two_notes(struct beer_shared *sh, int me)
{
	atomic_store(&sh->notes[me], 1);
	rd_window(sh->window_ns);
	if (atomic_load(&sh->notes[!me]) == 0) {
		if (atomic_load(&sh->beer) == 0)
			buy(sh, me);
	}
	rd_window(sh->window_ns); /* taking the note down */
	atomic_store(&sh->notes[me], 0);
}

/*
 * Leave a note and wait while the other's note is there. When both notes
 * are up and both wait, neither note will ever come down: a deadlock. It
 * is detected (each has seen the other's note while waiting) and the round
 * abandoned.
 */
static void attempt_wait_both(struct beer_shared *sh, int me)
{
	atomic_store(&sh->notes[me], 1);
	rd_window(sh->window_ns);
	while (atomic_load(&sh->notes[!me])) {
		/* I saw your note: I am stuck until you take it down. */
		atomic_store(&sh->waiting[me], 1);
		if (atomic_load(&sh->waiting[!me])) {
			atomic_store(&sh->deadlocked, 1);
			break;
		}
		vl_cpu_relax();
	}
	atomic_store(&sh->waiting[me], 0);
	if (!atomic_load(&sh->deadlocked) && atomic_load(&sh->beer) == 0)
		buy(sh, me);
	atomic_store(&sh->notes[me], 0);
}

/*
 * The classic solution: A waits while B's note is up; B backs off if A's
 * note is up. Exactly one buys, but it is asymmetric and A busy-waits.
 * Sequentially consistent atomics keep "store my note, load yours" in order.
 */
static void attempt_asymmetric(struct beer_shared *sh, int me)
{
	atomic_store(&sh->notes[me], 1);
	rd_window(sh->window_ns);
	if (me == 0) {
		while (atomic_load(&sh->notes[1]))
			vl_cpu_relax();
		if (atomic_load(&sh->beer) == 0)
			buy(sh, me);
	} else if (atomic_load(&sh->notes[0]) == 0) {
		if (atomic_load(&sh->beer) == 0)
			buy(sh, me);
	}
	atomic_store(&sh->notes[me], 0);
}

/*
 * The same with relaxed loads and stores: the CPU may let "load yours" pass
 * "store mine" (x86 store buffer), so both can see no note and both buy.
 */
static void attempt_asymmetric_relaxed(struct beer_shared *sh, int me)
{
	atomic_store_explicit(&sh->notes[me], 1, memory_order_relaxed);
	if (me == 0) {
		while (atomic_load_explicit(&sh->notes[1],
					    memory_order_relaxed))
			vl_cpu_relax();
		if (atomic_load(&sh->beer) == 0)
			buy(sh, me);
	} else if (atomic_load_explicit(&sh->notes[0], memory_order_relaxed) ==
		   0) {
		if (atomic_load(&sh->beer) == 0)
			buy(sh, me);
	}
	atomic_store_explicit(&sh->notes[me], 0, memory_order_relaxed);
}

/* With a lock, the check and the purchase are one critical section. */
static void attempt_lock(struct beer_shared *sh, int me)
{
	pthread_mutex_lock(&sh->lock);
	if (atomic_load(&sh->beer) == 0) {
		rd_window(sh->window_ns);
		buy(sh, me);
	}
	pthread_mutex_unlock(&sh->lock);
}

static const struct beer_attempt attempts[] = {
	{ "note", attempt_note,
	  "if no beer and no note: leave note, buy, remove note" },
	{ "note-recheck", attempt_recheck, "the same, looking for beer twice" },
	{ "two-notes", attempt_two_notes,
	  "leave my note, then buy only if no other note" },
	{ "wait-for-note", attempt_wait_both,
	  "leave my note, wait while the other's is up" },
	{ "asymmetric", attempt_asymmetric,
	  "A waits for B's note to go, B backs off" },
	{ "asymmetric-relaxed", attempt_asymmetric_relaxed,
	  "the same without ordering (relaxed atomics, no window)" },
	{ "lock", attempt_lock, "pthread_mutex_lock; if no beer: buy; unlock" },
};
#define NATTEMPTS (int)(sizeof(attempts) / sizeof(attempts[0]))

struct beer_worker {
	struct beer_shared *sh;
	int me;
};

static void *beer_thread(void *arg)
{
	struct beer_worker *w = arg;
	struct beer_shared *sh = w->sh;
	uint64_t r;

	for (r = 0; r < sh->rounds; r++) {
		rd_barrier_wait(&sh->bar);
		attempts[sh->attempt].run(sh, w->me);
		rd_barrier_wait(&sh->bar);
	}
	return NULL;
}

struct beer_result {
	long one, both, nobody, deadlock;
	long bought[2];
};

static void beer_run(struct beer_shared *sh, int attempt,
		     struct beer_result *res)
{
	struct beer_worker w[2];
	pthread_t tid[2];
	uint64_t r;
	int i, beer;

	memset(res, 0, sizeof(*res));
	sh->attempt = attempt;
	rd_barrier_init(&sh->bar, 3);
	atomic_store(&sh->bought[0], 0);
	atomic_store(&sh->bought[1], 0);
	for (i = 0; i < 2; i++) {
		w[i] = (struct beer_worker){ sh, i };
		rd_thread(&tid[i], beer_thread, &w[i]);
	}
	for (r = 0; r < sh->rounds; r++) {
		atomic_store(&sh->beer, 0);
		atomic_store(&sh->note, 0);
		atomic_store(&sh->deadlocked, 0);
		rd_barrier_wait(&sh->bar); /* both find the fridge empty */
		rd_barrier_wait(&sh->bar);
		beer = atomic_load(&sh->beer);
		if (atomic_load(&sh->deadlocked))
			res->deadlock++;
		else if (beer == 0)
			res->nobody++;
		else if (beer == 1)
			res->one++;
		else
			res->both++;
	}
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		res->bought[i] = atomic_load(&sh->bought[i]);
	}
}

static const char *beer_verdict(const struct beer_result *r)
{
	if (r->both)
		return "FAILS: too much beer";
	if (r->deadlock)
		return "FAILS: deadlock";
	if (r->nobody)
		return "FAILS: nobody buys (no progress)";
	return "works";
}

static void beer_help(FILE *f)
{
	int i;

	fprintf(f,
		"Usage: racedemo [-J] beer [-r ROUNDS] [-w TIME] [-b TIME] [-a ATTEMPT]\n\n"
		"Two roommates find no beer; each runs one attempt of the note protocol.\n"
		"Times are durations up to 1ms: 500ns, 2us.\n\n"
		"  -r, --rounds N     rounds per attempt, a count (default 1000; 1k = 1000)\n"
		"  -w, --window TIME  writing a note / looking again: yield the CPU,\n"
		"                     then stay busy TIME (default 0)\n"
		"  -b, --buy TIME     time to go and buy (default 2us)\n"
		"  -a, --attempt A    run only this attempt:\n");
	for (i = 0; i < NATTEMPTS; i++)
		fprintf(f, "                       %-19s %s\n",
			attempts[i].name, attempts[i].how);
	fprintf(f, "  -J, --json         one JSON document\n"
		   "  -V, --version      the version\n"
		   "  -h, --help         this help\n");
}

struct beer_args {
	struct beer_shared *sh;
	int only;
};

static void beer_opt(int c, const char *arg, void *ctx)
{
	struct beer_args *a = ctx;

	switch (c) {
	case 'r':
		a->sh->rounds = vl_opt_count("--rounds", arg, 1, 1000000000);
		break;
	case 'w':
		a->sh->window_ns =
			vl_opt_duration("--window", arg, 0, RD_WINDOW_MAX_NS);
		break;
	case 'b':
		a->sh->buy_ns =
			vl_opt_duration("--buy", arg, 0, RD_WINDOW_MAX_NS);
		break;
	default: /* -a */
		a->only = RD_PICK("--attempt", arg, attempts, "attempt");
	}
}

int cmd_beer(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "window", required_argument, NULL, 'w' },
		{ "buy", required_argument, NULL, 'b' },
		{ "attempt", required_argument, NULL, 'a' },
		{ 0 }
	};
	static const struct rd_cmdline cl = { "r:w:b:a:", longopts, beer_help,
					      beer_opt };
	static const struct vl_col cols[] = {
		{ "attempt", 0 },
		{ "rounds", VL_NUM },
		{ "one_bought", VL_NUM },
		{ "both_bought", VL_NUM },
		{ "nobody_bought", VL_NUM },
		{ "deadlocks", VL_NUM },
		{ "a_bought", VL_NUM },
		{ "b_bought", VL_NUM },
		{ "verdict", 0 },
	};
	struct beer_shared sh = { .window_ns = 0,
				  .buy_ns = 2000,
				  .rounds = 1000 };
	struct beer_args a = { &sh, -1 };
	struct libscols_table *tb;
	struct beer_result res;
	int i;

	rd_getopt(argc, argv, &cl, &a, o);
	rd_say(o,
	       "Two roommates, A and B, come home to an empty fridge at the same moment,\n"
	       "%llu times per attempt. While writing a note a roommate may be overtaken\n"
	       "(sched_yield, then %llu ns busy); buying takes %llu ns.\n\n",
	       (unsigned long long)sh.rounds, (unsigned long long)sh.window_ns,
	       (unsigned long long)sh.buy_ns);
	pthread_mutex_init(&sh.lock, NULL);
	tb = RD_TABLE(o, "beer", cols);
	for (i = 0; i < NATTEMPTS; i++) {
		struct libscols_line *ln;

		if (a.only >= 0 && i != a.only)
			continue;
		rd_say(o, "  %-19s %s\n", attempts[i].name, attempts[i].how);
		beer_run(&sh, i, &res);
		ln = rd_line(tb);
		scols_line_set_data(ln, 0, attempts[i].name);
		vl_line_set_u64(ln, 1, sh.rounds);
		vl_line_set_i64(ln, 2, res.one);
		vl_line_set_i64(ln, 3, res.both);
		vl_line_set_i64(ln, 4, res.nobody);
		vl_line_set_i64(ln, 5, res.deadlock);
		vl_line_set_i64(ln, 6, res.bought[0]);
		vl_line_set_i64(ln, 7, res.bought[1]);
		scols_line_set_data(ln, 8, beer_verdict(&res));
	}
	pthread_mutex_destroy(&sh.lock);
	rd_say(o, "\n");
	if (rd_print(o, tb))
		return 1;
	rd_say(o,
	       "both_bought: the check and the purchase were not one atomic step.\n"
	       "nobody_bought: both notes were up, both backed off (progress lost).\n"
	       "deadlocks: both waited for the other's note, which never goes.\n"
	       "asymmetric works, but the roommates run different code: B backs off\n"
	       "whenever A's note is up while A busy-waits for B's; the lock is simple\n"
	       "and the same for both.\n");
	return 0;
}
