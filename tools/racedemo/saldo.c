// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo saldo: the lecture's bank balance. saldo starts at 100; one
 * thread deposits 10, another 20, each as load / add / store. Run many
 * times without a lock and with a mutex, count the final balances, and
 * show one run that lost money, instruction by instruction, in the order
 * the two threads really executed them.
 */
#include <getopt.h>
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
	long runs;
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
	long r, r1;

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

static int saldo_run(bool use_mutex, long runs, uint64_t window_ns,
		     struct saldo_result *res)
{
	struct saldo_shared sh = { .use_mutex = use_mutex,
				   .window_ns = window_ns,
				   .runs = runs };
	struct saldo_worker w[2];
	pthread_t tid[2];
	long r, final;
	int i;

	memset(res, 0, sizeof(*res));
	rd_barrier_init(&sh.bar, 3);
	pthread_mutex_init(&sh.lock, NULL);
	for (i = 0; i < 2; i++) {
		w[i] = (struct saldo_worker){ &sh, i, deposits[i] };
		if (pthread_create(&tid[i], NULL, saldo_thread, &w[i])) {
			perror("racedemo saldo: pthread_create");
			exit(1);
		}
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
		"usage: racedemo [--json] saldo [-r RUNS] [-w NS]\n\n"
		"Two threads deposit 10 and 20 into saldo = 100, RUNS times\n"
		"without a lock and RUNS times with a pthread mutex.\n\n"
		"  -r, --runs RUNS     runs per mode (default 1000)\n"
		"  -w, --window NS     between load and add: yield the CPU, then stay\n"
		"                      busy NS (default 0)\n"
		"      --json          JSON output\n"
		"  -h, --help          this help\n");
}

static const char *const meaning[3] = {
	"lost 20: the +20 store was overwritten",
	"lost 10: the +10 store was overwritten",
	"correct",
};

int cmd_saldo(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "window", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const struct rd_col dist_cols[] = {
		{ "mode", SCOLS_JSON_STRING },
		{ "final", SCOLS_JSON_NUMBER },
		{ "runs", SCOLS_JSON_NUMBER },
		{ "percent", SCOLS_JSON_NUMBER },
		{ "meaning", SCOLS_JSON_STRING },
	};
	static const struct rd_col step_cols[] = {
		{ "step", SCOLS_JSON_NUMBER },
		{ "thread", SCOLS_JSON_STRING },
		{ "instruction", SCOLS_JSON_STRING },
		{ "r1", SCOLS_JSON_NUMBER },
		{ "saldo", SCOLS_JSON_NUMBER },
	};
	static const char *const insn[EV_N] = { "load r1, saldo",
						"add r1, r1, %ld",
						"store saldo, r1" };
	long runs = 1000, window = 0, lost = 0;
	struct libscols_table *tables[2];
	struct saldo_result res[2];
	int c, m, i, n = 1;

	while ((c = getopt_long(argc, argv, "r:w:Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (rd_parse_count(optarg, &runs))
				return rd_usage_error(
					"saldo", "bad run count '%s'", optarg);
			break;
		case 'w':
			window = atol(optarg);
			if (window < 0 || window > 1000000)
				return rd_usage_error(
					"saldo",
					"window must be 0..1000000 ns");
			break;
		case 'J':
			o->json = true;
			break;
		case 'h':
			saldo_help(stdout);
			return 0;
		default:
			saldo_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return rd_usage_error("saldo", "unexpected argument '%s'",
				      argv[optind]);

	rd_say(o,
	       "saldo = 100; thread A: saldo = saldo + 10; thread B: saldo = saldo + 20.\n"
	       "Each deposit is load / add / store; %ld runs per mode. Between load and\n"
	       "add each thread offers the CPU to the other (sched_yield), as a timer\n"
	       "interrupt could, then stays busy %ld ns (-w).\n\n",
	       runs, window);
	for (m = 0; m < 2; m++)
		saldo_run(m == 1, runs, window, &res[m]);

	tables[0] = rd_table("saldo", dist_cols, 5);
	for (m = 0; m < 2; m++) {
		for (i = 2; i >= 0; i--)
			rd_row(tables[0], "%s|%d|%ld|%.2f|%s",
			       m ? "mutex" : "none", 110 + 10 * i,
			       res[m].count[i], 100.0 * res[m].count[i] / runs,
			       meaning[i]);
		if (res[m].other)
			rd_row(tables[0], "%s|-1|%ld|%.2f|impossible balance",
			       m ? "mutex" : "none", res[m].other,
			       100.0 * res[m].other / runs);
	}
	if (res[0].have_example) {
		tables[n++] = rd_table("interleaving", step_cols, 5);
		for (i = 0; i < 2 * EV_N; i++) {
			struct saldo_step *s = &res[0].example[i];
			char buf[32];

			snprintf(buf, sizeof(buf), insn[s->op],
				 deposits[s->thread]);
			rd_row(tables[1], "%d|%s|%s|%ld|%ld", i + 1,
			       s->thread ? "B (+20)" : "A (+10)", buf, s->r1,
			       s->saldo);
		}
	}
	lost = res[0].count[0] + res[0].count[1];
	if (o->json)
		return rd_print(o, tables, n);
	printf("Final balances over %ld runs each:\n", runs);
	if (rd_print(o, tables, 1))
		return 1;
	if (n == 2) {
		rd_say(o,
		       "One run that lost money, in the order the steps happened\n"
		       "(both threads loaded 100 before either stored):\n");
		if (rd_print(o, tables + 1, 1))
			return 1;
	}
	rd_say(o,
	       "without a lock: final balance below 130 in %ld of %ld runs (%.2f%%)\n"
	       "with a mutex:   final balance below 130 in %ld of %ld runs\n",
	       lost, runs, 100.0 * lost / runs,
	       res[1].count[0] + res[1].count[1], runs);
	if (!o->json && !lost)
		printf("No update was lost this time: try more runs (-r) or a wider window (-w).\n");
	return 0;
}
