// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo locks: the three properties a lock must have, measured.
 *  - mutual exclusion: every holder counts the others inside the critical
 *    section with it (violations);
 *  - progress: the lock keeps being acquired (acquisitions/s, threads that
 *    never got it);
 *  - bounded waiting: the longest run of consecutive acquisitions by one
 *    thread, each thread's share and the longest wait.
 * Locks: a broken one (test, then set: two steps), a test-and-set spinlock,
 * a ticket lock and a pthread mutex.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "racedemo.h"

struct lk_shared {
	/* the locks */
	atomic_int flag; /* broken and test-and-set */
	atomic_uint next_ticket, now_serving;
	pthread_mutex_t mutex;
	/* measurement */
	atomic_int inside;
	atomic_int waiting; /* threads that asked for the lock, not yet in */
	atomic_long violations;
	atomic_bool stop;
	struct rd_barrier start;
	/* Written inside the critical section; atomics only because the broken
	 * lock lets two threads in at once.
	 */
	atomic_int last_owner;
	atomic_long streak, max_streak;
	uint64_t cs_ns, ncs_ns;
	int lock;
};

struct lk_thread {
	struct lk_shared *sh;
	int me;
	long acquisitions;
	uint64_t max_wait_ns;
};

/*
 * A thread waits from the moment it asks for the lock: for the ticket lock
 * once it holds its number, for the others from their first try. Bounded
 * waiting is about what others get in the meantime.
 */
static void lk_ask(struct lk_shared *sh)
{
	atomic_fetch_add(&sh->waiting, 1);
}

/* Spinning waiters yield now and then: there are more threads than CPUs. */
#define SPINS_BEFORE_YIELD 256

static void relax(unsigned long *spins)
{
	vl_cpu_relax();
	if (++*spins % SPINS_BEFORE_YIELD == 0)
		sched_yield();
}

/*
 * Wait until the flag is free, then set it: two steps, so two can pass.
 * The CPU is offered to others between them, as a timer interrupt might,
 * so the flaw shows even when the threads do not run in parallel.
 */
static void broken_lock(struct lk_shared *sh)
{
	unsigned long spins = 0;

	lk_ask(sh);
	while (atomic_load_explicit(&sh->flag, memory_order_relaxed))
		relax(&spins);
	sched_yield();
	atomic_store_explicit(&sh->flag, 1, memory_order_relaxed);
}

static void tas_lock(struct lk_shared *sh)
{
	unsigned long spins = 0;

	lk_ask(sh);
	while (atomic_exchange_explicit(&sh->flag, 1, memory_order_acquire))
		relax(&spins);
}

static void flag_unlock(struct lk_shared *sh)
{
	atomic_store_explicit(&sh->flag, 0, memory_order_release);
}

/* Take a number and wait for it to be called: first come, first served. */
static void ticket_lock(struct lk_shared *sh)
{
	unsigned int me = atomic_fetch_add_explicit(&sh->next_ticket, 1,
						    memory_order_relaxed);
	unsigned long spins = 0;

	lk_ask(sh);
	while (atomic_load_explicit(&sh->now_serving, memory_order_acquire) !=
	       me)
		relax(&spins);
}

static void ticket_unlock(struct lk_shared *sh)
{
	atomic_fetch_add_explicit(&sh->now_serving, 1, memory_order_release);
}

static void mutex_lock(struct lk_shared *sh)
{
	lk_ask(sh);
	pthread_mutex_lock(&sh->mutex);
}

static void mutex_unlock(struct lk_shared *sh)
{
	pthread_mutex_unlock(&sh->mutex);
}

static const struct {
	const char *name;
	void (*lock)(struct lk_shared *sh);
	void (*unlock)(struct lk_shared *sh);
	const char *how;
} locks[] = {
	{ "broken", broken_lock, flag_unlock,
	  "while (flag) ; yield; flag = 1  (test, then set)" },
	{ "tas", tas_lock, flag_unlock,
	  "while (exchange(&flag, 1)) ;  (test-and-set)" },
	{ "ticket", ticket_lock, ticket_unlock,
	  "my = next++; while (serving != my) ;" },
	{ "pthread-mutex", mutex_lock, mutex_unlock,
	  "pthread_mutex_lock / unlock" },
};
#define NLOCKS (int)(sizeof(locks) / sizeof(locks[0]))

/*
 * Bounded waiting: the longest run of acquisitions by one thread while
 * another was waiting for the lock (lk_ask); an acquisition with nobody
 * waiting starts a new run. A ticket holder is served before any later
 * number, so the ticket lock's runs are at most 2 long: one taken while
 * nobody waited, one more while somebody who came later waits. Atomics
 * only because the broken lock lets two threads in at once.
 */
static void lk_streak(struct lk_shared *sh, int me, int others)
{
	long s = 1;

	if (others &&
	    atomic_load_explicit(&sh->last_owner, memory_order_relaxed) == me)
		s = atomic_load_explicit(&sh->streak, memory_order_relaxed) + 1;
	atomic_store_explicit(&sh->last_owner, me, memory_order_relaxed);
	atomic_store_explicit(&sh->streak, s, memory_order_relaxed);
	if (s > atomic_load_explicit(&sh->max_streak, memory_order_relaxed))
		atomic_store_explicit(&sh->max_streak, s, memory_order_relaxed);
}

static void *lk_thread_fn(void *arg)
{
	struct lk_thread *t = arg;
	struct lk_shared *sh = t->sh;
	uint64_t t0, waited;
	int others;

	rd_barrier_wait(&sh->start);
	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		t0 = vl_now_ns();
		locks[sh->lock].lock(sh);
		others = atomic_fetch_sub(&sh->waiting, 1) - 1;
		waited = vl_now_ns() - t0;
		/* Critical section: anyone else in here is a violation. */
		if (atomic_fetch_add(&sh->inside, 1))
			atomic_fetch_add(&sh->violations, 1);
		lk_streak(sh, t->me, others);
		/* Preempted inside the critical section: a lock must still hold. */
		rd_window(sh->cs_ns);
		atomic_fetch_sub(&sh->inside, 1);
		locks[sh->lock].unlock(sh);

		t->acquisitions++;
		if (waited > t->max_wait_ns)
			t->max_wait_ns = waited;
		rd_spin_ns(sh->ncs_ns);
	}
	return NULL;
}

struct lk_result {
	long total, starved, violations, max_streak;
	double min_share, max_share, ops_per_s;
	uint64_t max_wait_ns;
};

static void lk_run(struct lk_shared *sh, int lock, int nthreads, uint64_t ns,
		   struct lk_result *res)
{
	struct lk_thread t[nthreads];
	pthread_t tid[nthreads];
	uint64_t t0;
	int i;

	sh->lock = lock;
	atomic_store(&sh->last_owner, -1);
	atomic_store(&sh->streak, 0);
	atomic_store(&sh->max_streak, 0);
	atomic_store(&sh->flag, 0);
	atomic_store(&sh->next_ticket, 0);
	atomic_store(&sh->now_serving, 0);
	atomic_store(&sh->inside, 0);
	atomic_store(&sh->waiting, 0);
	atomic_store(&sh->violations, 0);
	atomic_store(&sh->stop, false);
	rd_barrier_init(&sh->start, nthreads + 1);
	for (i = 0; i < nthreads; i++) {
		t[i] = (struct lk_thread){ .sh = sh, .me = i };
		rd_thread(&tid[i], lk_thread_fn, &t[i]);
	}
	rd_barrier_wait(&sh->start);
	t0 = vl_now_ns();
	vl_sleep_ns(ns);
	atomic_store(&sh->stop, true);
	memset(res, 0, sizeof(*res));
	for (i = 0; i < nthreads; i++) {
		pthread_join(tid[i], NULL);
		res->total += t[i].acquisitions;
		res->starved += !t[i].acquisitions;
		if (t[i].max_wait_ns > res->max_wait_ns)
			res->max_wait_ns = t[i].max_wait_ns;
	}
	res->ops_per_s = res->total / ((vl_now_ns() - t0) / 1e9);
	res->min_share = 100;
	for (i = 0; i < nthreads && res->total; i++) {
		double share = 100.0 * t[i].acquisitions / res->total;

		if (share < res->min_share)
			res->min_share = share;
		if (share > res->max_share)
			res->max_share = share;
	}
}

/* One lock's row read out: which of the three properties held. */
static void locks_verdict(struct rd_opts *o, const char *name,
			  const struct lk_result *r)
{
	rd_say(o, "  %-14s ", name);
	if (r->violations)
		rd_say(o, "mutual exclusion broken %ld times", r->violations);
	else
		rd_say(o, "mutual exclusion held");
	if (r->starved || !r->total)
		rd_say(o, "; no progress for %ld threads", r->starved);
	else
		rd_say(o, "; progress (%ld acquisitions)", r->total);
	rd_say(o, "; one thread won %ld times in a row while another waited\n",
	       r->max_streak);
}

static void locks_help(FILE *f)
{
	int i;

	fprintf(f,
		"Usage: racedemo [-J] locks [-t THREADS] [-d TIME] [-c TIME] [-o TIME] [-l LOCK]\n\n"
		"THREADS threads take the lock in a loop for TIME per lock. Times are\n"
		"durations: 300ms, 2us.\n\n"
		"  -t, --threads N     threads (default 4; 2 to 256)\n"
		"  -d, --duration TIME per lock (default 300ms; 1ms to 60s)\n"
		"  -c, --cs TIME       inside the critical section: yield the CPU, then\n"
		"                      stay busy TIME (default 200ns; at most 1ms)\n"
		"  -o, --outside TIME  outside it between acquisitions (default 0)\n"
		"  -l, --lock LOCK     only this lock:\n");
	for (i = 0; i < NLOCKS; i++)
		fprintf(f, "                        %-14s %s\n", locks[i].name,
			locks[i].how);
	fprintf(f, "  -J, --json          one JSON document\n"
		   "  -V, --version       the version\n"
		   "  -h, --help          this help\n");
}

struct locks_args {
	struct lk_shared *sh;
	uint64_t threads, ns;
	int only;
};

static void locks_opt(int c, const char *arg, void *ctx)
{
	struct locks_args *a = ctx;

	switch (c) {
	case 't':
		a->threads = vl_opt_count("--threads", arg, 2, 256);
		break;
	case 'd':
		a->ns = vl_opt_duration("--duration", arg, 1000000,
					60 * VL_NSEC_PER_SEC);
		break;
	case 'c':
		a->sh->cs_ns =
			vl_opt_duration("--cs", arg, 0, RD_WINDOW_MAX_NS);
		break;
	case 'o':
		a->sh->ncs_ns =
			vl_opt_duration("--outside", arg, 0, RD_WINDOW_MAX_NS);
		break;
	default: /* -l */
		a->only = RD_PICK("--lock", arg, locks, "lock");
	}
}

int cmd_locks(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "cs", required_argument, NULL, 'c' },
		{ "outside", required_argument, NULL, 'o' },
		{ "lock", required_argument, NULL, 'l' },
		{ 0 }
	};
	static const struct rd_cmdline cl = { "t:d:c:o:l:", longopts,
					      locks_help, locks_opt };
	static const struct vl_col cols[] = {
		{ "lock", 0 },
		{ "threads", VL_NUM },
		{ "acquisitions", VL_NUM },
		{ "ops_per_s", VL_NUM },
		{ "violations", VL_NUM },
		{ "starved", VL_NUM },
		{ "max_streak", VL_NUM },
		{ "min_share", VL_NUM },
		{ "max_share", VL_NUM },
		{ "max_wait_us", VL_NUM },
	};
	struct lk_shared sh = { .cs_ns = 200 };
	struct locks_args a = { &sh, 4, 300000000, -1 };
	struct libscols_table *tb;
	struct lk_result res[NLOCKS];
	int i;

	rd_getopt(argc, argv, &cl, &a, o);
	rd_say(o,
	       "%llu threads take each lock in a loop for %g ms. Inside the critical\n"
	       "section each offers the CPU once (sched_yield, as if preempted there),\n"
	       "then stays busy %llu ns; %llu ns outside.\n\n",
	       (unsigned long long)a.threads, rd_ms(a.ns),
	       (unsigned long long)sh.cs_ns, (unsigned long long)sh.ncs_ns);
	pthread_mutex_init(&sh.mutex, NULL);
	tb = RD_TABLE(o, "locks", cols);
	for (i = 0; i < NLOCKS; i++) {
		struct libscols_line *ln;

		if (a.only >= 0 && i != a.only)
			continue;
		rd_say(o, "  %-14s %s\n", locks[i].name, locks[i].how);
		lk_run(&sh, i, (int)a.threads, a.ns, &res[i]);
		res[i].violations = atomic_load(&sh.violations);
		res[i].max_streak = atomic_load(&sh.max_streak);
		ln = rd_line(tb);
		scols_line_set_data(ln, 0, locks[i].name);
		vl_line_set_u64(ln, 1, a.threads);
		vl_line_set_i64(ln, 2, res[i].total);
		vl_line_set_fmt(ln, 3, "%.0f", res[i].ops_per_s);
		vl_line_set_i64(ln, 4, res[i].violations);
		vl_line_set_i64(ln, 5, res[i].starved);
		vl_line_set_i64(ln, 6, res[i].max_streak);
		vl_line_set_fmt(ln, 7, "%.1f", res[i].min_share);
		vl_line_set_fmt(ln, 8, "%.1f", res[i].max_share);
		vl_line_set_fmt(ln, 9, "%.1f", res[i].max_wait_ns / 1e3);
	}
	pthread_mutex_destroy(&sh.mutex);
	rd_say(o, "\n");
	if (rd_print(o, tb))
		return 1;
	rd_say(o,
	       "mutual exclusion: nobody else inside while a thread holds the lock.\n"
	       "progress: the lock keeps being taken and no thread is left without it.\n"
	       "bounded waiting: max_streak, the most times in a row one thread got the\n"
	       "lock while another was waiting for it. In this run:\n");
	for (i = 0; i < NLOCKS; i++)
		if (a.only < 0 || i == a.only)
			locks_verdict(o, locks[i].name, &res[i]);
	return 0;
}
