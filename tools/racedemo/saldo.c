// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo saldo: the lecture's bank balance. saldo starts at 100; one
 * thread deposits 10, another 20, each as load / add / store. Run many
 * times without a lock and with a mutex, count the final balances, and
 * show one run that lost money, instruction by instruction, in the order
 * the two threads really executed them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racedemo.h"

enum { EV_LOAD, EV_ADD, EV_STORE, EV_N };

struct saldo_ev {
	unsigned int seq; /* global order, taken right after the step */
	long r1; /* the thread's register after the step */
};

struct saldo_shared {
	struct rd_barrier bar;
	_Atomic long saldo;
	atomic_uint seq;
	pthread_mutex_t lock;
	bool use_mutex;
	uint64_t window_ns;
	uint64_t runs;
	struct saldo_ev ev[2][EV_N];
};

struct saldo_worker {
	struct saldo_shared *sh;
	int idx;
	long amount;
};

static const long deposits[2] = { 10, 20 };

static void *saldo_thread(void *arg)
{
	struct saldo_worker *w = arg;
	struct saldo_shared *sh = w->sh;
	struct saldo_ev *ev = sh->ev[w->idx];
	uint64_t r;
	long r1;

	for (r = 0; r < sh->runs; r++) {
		rd_barrier_wait(&sh->bar);
		if (sh->use_mutex)
			pthread_mutex_lock(&sh->lock);
		/* saldo = saldo + amount, as the three instructions it is. */
		r1 = atomic_load_explicit(&sh->saldo, memory_order_relaxed);
		ev[EV_LOAD] =
			(struct saldo_ev){ atomic_fetch_add(&sh->seq, 1), r1 };
		rd_window(sh->window_ns);
		r1 += w->amount;
		ev[EV_ADD] =
			(struct saldo_ev){ atomic_fetch_add(&sh->seq, 1), r1 };
		atomic_store_explicit(&sh->saldo, r1, memory_order_relaxed);
		ev[EV_STORE] =
			(struct saldo_ev){ atomic_fetch_add(&sh->seq, 1), r1 };
		if (sh->use_mutex)
			pthread_mutex_unlock(&sh->lock);
		rd_barrier_wait(&sh->bar);
	}
	return NULL;
}

/* One step of an interleaving table. */
struct saldo_step {
	int thread;
	int op;
	long r1;
	long saldo;
};

/*
 * Order a run's six events by their sequence numbers and replay them. The
 * sequence is taken just after each step, so it is the real order unless a
 * thread was preempted in between; a replay that does not end at the
 * observed balance is not shown.
 */
static bool saldo_replay(struct saldo_shared *sh, long final,
			 struct saldo_step *steps)
{
	long saldo = 100;
	int i, t, op;

	for (i = 0; i < 2 * EV_N; i++) {
		unsigned int best = ~0U;
		int bt = 0, bop = 0;

		for (t = 0; t < 2; t++)
			for (op = 0; op < EV_N; op++)
				if (sh->ev[t][op].seq == (unsigned int)i)
					best = i, bt = t, bop = op;
		if (best == ~0U)
			return false;
		if (bop == EV_STORE)
			saldo = sh->ev[bt][bop].r1;
		steps[i] = (struct saldo_step){ bt, bop, sh->ev[bt][bop].r1,
						saldo };
	}
	return saldo == final;
}

struct saldo_result {
	long count[3]; /* final 110, 120, 130 */
	long other;
	bool have_example;
	struct saldo_step example[2 * EV_N];
};

static int saldo_run(bool use_mutex, uint64_t runs, uint64_t window_ns,
		     struct saldo_result *res)
{
	struct saldo_shared sh = { .use_mutex = use_mutex,
				   .window_ns = window_ns,
				   .runs = runs };
	struct saldo_worker w[2];
	pthread_t tid[2];
	uint64_t r;
	long final;
	int i;

	memset(res, 0, sizeof(*res));
	rd_barrier_init(&sh.bar, 3);
	pthread_mutex_init(&sh.lock, NULL);
	for (i = 0; i < 2; i++) {
		w[i] = (struct saldo_worker){ &sh, i, deposits[i] };
		rd_thread(&tid[i], saldo_thread, &w[i]);
	}
	for (r = 0; r < runs; r++) {
		atomic_store(&sh.saldo, 100);
		atomic_store(&sh.seq, 0);
		rd_barrier_wait(&sh.bar); /* go */
		rd_barrier_wait(&sh.bar); /* both done */
		final = atomic_load(&sh.saldo);
		if (final == 110 || final == 120 || final == 130)
			res->count[(final - 110) / 10]++;
		else
			res->other++;
		if (final != 130 && !res->have_example)
			res->have_example =
				saldo_replay(&sh, final, res->example);
	}
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&sh.lock);
	return 0;
}

static void saldo_help(FILE *f)
{
	fprintf(f,
		"Usage: racedemo [-J] saldo [-r RUNS] [-w TIME]\n\n"
		"Two threads deposit 10 and 20 into saldo = 100, RUNS times\n"
		"without a lock and RUNS times with a pthread mutex.\n\n"
		"  -r, --runs RUNS     runs per mode, a count (default 1000; 1k = 1000)\n"
		"  -w, --window TIME   between load and add: yield the CPU, then stay\n"
		"                      busy TIME, a duration up to 1ms (default 0; 2us)\n"
		"  -J, --json          one JSON document\n"
		"  -V, --version       the version\n"
		"  -h, --help          this help\n");
}

static const char *const meaning[3] = {
	"lost 20: the +20 store was overwritten",
	"lost 10: the +10 store was overwritten",
	"correct",
};

struct saldo_args {
	uint64_t runs, window_ns;
};

static void saldo_opt(int c, const char *arg, void *ctx)
{
	struct saldo_args *a = ctx;

	if (c == 'r')
		a->runs = vl_opt_count("--runs", arg, 1, 1000000000);
	else
		a->window_ns =
			vl_opt_duration("--window", arg, 0, RD_WINDOW_MAX_NS);
}

/* Table saldo: the final balances of each mode. */
static void saldo_dist(struct libscols_table *tb, const char *mode,
		       const struct saldo_result *res, uint64_t runs)
{
	struct libscols_line *ln;
	int i;

	for (i = 2; i >= -1; i--) {
		long n = i >= 0 ? res->count[i] : res->other;

		if (i < 0 && !n)
			break;
		ln = rd_line(tb);
		scols_line_set_data(ln, 0, mode);
		vl_line_set_i64(ln, 1, i >= 0 ? 110 + 10 * i : -1);
		vl_line_set_i64(ln, 2, n);
		vl_line_set_fmt(ln, 3, "%.2f", 100.0 * n / runs);
		scols_line_set_data(ln, 4,
				    i >= 0 ? meaning[i] : "impossible balance");
	}
}

int cmd_saldo(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "window", required_argument, NULL, 'w' },
		{ 0 }
	};
	static const struct rd_cmdline cl = { "r:w:", longopts, saldo_help,
					      saldo_opt };
	static const struct vl_col dist_cols[] = {
		{ "mode", 0 },	       { "final", VL_NUM }, { "runs", VL_NUM },
		{ "percent", VL_NUM }, { "meaning", 0 },
	};
	static const struct vl_col step_cols[] = {
		{ "step", VL_NUM }, { "thread", 0 },	 { "instruction", 0 },
		{ "r1", VL_NUM },   { "saldo", VL_NUM },
	};
	static const char *const insn[EV_N] = { "load r1, saldo",
						"add r1, r1, %ld",
						"store saldo, r1" };
	struct saldo_args a = { .runs = 1000 };
	struct libscols_table *tb;
	struct saldo_result res[2];
	long lost;
	int m, i;

	rd_getopt(argc, argv, &cl, &a, o);
	rd_say(o,
	       "saldo = 100; thread A: saldo = saldo + 10; thread B: saldo = saldo + 20.\n"
	       "Each deposit is load / add / store; %llu runs per mode. Between load and\n"
	       "add each thread offers the CPU to the other (sched_yield), as a timer\n"
	       "interrupt could, then stays busy %llu ns (-w).\n\n",
	       (unsigned long long)a.runs, (unsigned long long)a.window_ns);
	for (m = 0; m < 2; m++)
		saldo_run(m == 1, a.runs, a.window_ns, &res[m]);

	tb = RD_TABLE(o, "saldo", dist_cols);
	saldo_dist(tb, "none", &res[0], a.runs);
	saldo_dist(tb, "mutex", &res[1], a.runs);
	rd_say(o, "Final balances over %llu runs each:\n",
	       (unsigned long long)a.runs);
	if (rd_print(o, tb))
		return 1;
	if (res[0].have_example) {
		tb = RD_TABLE(o, "interleaving", step_cols);
		for (i = 0; i < 2 * EV_N; i++) {
			struct saldo_step *s = &res[0].example[i];
			struct libscols_line *ln = rd_line(tb);

			vl_line_set_i64(ln, 0, i + 1);
			scols_line_set_data(ln, 1,
					    s->thread ? "B (+20)" : "A (+10)");
			vl_line_set_fmt(ln, 2, insn[s->op],
					deposits[s->thread]);
			vl_line_set_i64(ln, 3, s->r1);
			vl_line_set_i64(ln, 4, s->saldo);
		}
		rd_say(o,
		       "One run that lost money, in the order the steps happened\n"
		       "(both threads loaded 100 before either stored):\n");
		if (rd_print(o, tb))
			return 1;
	}
	lost = res[0].count[0] + res[0].count[1];
	rd_say(o,
	       "without a lock: final balance below 130 in %ld of %llu runs (%.2f%%)\n"
	       "with a mutex:   final balance below 130 in %ld of %llu runs\n",
	       lost, (unsigned long long)a.runs, 100.0 * lost / a.runs,
	       res[1].count[0] + res[1].count[1], (unsigned long long)a.runs);
	if (!lost)
		rd_say(o,
		       "No update was lost this time: try more runs (-r) or a wider window (-w).\n");
	return 0;
}
