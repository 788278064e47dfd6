// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo interleavings: a model, not threads. Every order in which two
 * threads' instructions can run is executed by a small interpreter, one
 * instruction at a time, and the values each order leaves are counted.
 * The lecture's three programs: "x = 1 | x = 2" (one store each),
 * "x = y + 1 | y = y * 2" and "x = x + 1 | x = x + 2" (load, operate,
 * store each). An order whose result no serial run (all of A, then all of
 * B, or the reverse) gives is a race's doing. The real threads are in
 * "racedemo step".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racedemo.h"

enum { I_SET, I_LOAD, I_ADD, I_MUL, I_STORE };
enum { X, Y, NVARS };

struct insn {
	int op;
	int var; /* SET, LOAD, STORE */
	long k; /* SET, ADD, MUL */
};

struct program {
	const char *name;
	int len; /* instructions per thread */
	struct insn code[2][3];
	long init[NVARS];
	bool show_y; /* y is part of the result */
};

static const struct program programs[] = {
	{ "A:x=1 B:x=2",
	  1,
	  { { { I_SET, X, 1 } }, { { I_SET, X, 2 } } },
	  { 0, 0 },
	  false },
	{ "A:x=y+1 B:y=y*2",
	  3,
	  { { { I_LOAD, Y, 0 }, { I_ADD, 0, 1 }, { I_STORE, X, 0 } },
	    { { I_LOAD, Y, 0 }, { I_MUL, 0, 2 }, { I_STORE, Y, 0 } } },
	  { 0, 1 },
	  true },
	{ "A:x=x+1 B:x=x+2",
	  3,
	  { { { I_LOAD, X, 0 }, { I_ADD, 0, 1 }, { I_STORE, X, 0 } },
	    { { I_LOAD, X, 0 }, { I_ADD, 0, 2 }, { I_STORE, X, 0 } } },
	  { 0, 0 },
	  false },
};
#define NPROGRAMS (sizeof(programs) / sizeof(programs[0]))
/* 2 threads of at most 3 instructions: C(6,3) = 20 orders at most. */
#define MAX_ORDERS 20

/* Run one order (bit i set: step i is thread B's); the result as text. */
static void run_order(const struct program *p, unsigned int order, char *res,
		      size_t len)
{
	long v[NVARS], r[2] = { 0, 0 };
	int pc[2] = { 0, 0 }, i;

	memcpy(v, p->init, sizeof(v));
	for (i = 0; i < 2 * p->len; i++) {
		int t = (order >> i) & 1;
		const struct insn *in = &p->code[t][pc[t]++];

		switch (in->op) {
		case I_SET:
			v[in->var] = in->k;
			break;
		case I_LOAD:
			r[t] = v[in->var];
			break;
		case I_ADD:
			r[t] += in->k;
			break;
		case I_MUL:
			r[t] *= in->k;
			break;
		default:
			v[in->var] = r[t];
		}
	}
	if (p->show_y)
		snprintf(res, len, "x=%ld y=%ld", v[X], v[Y]);
	else
		snprintf(res, len, "x=%ld", v[X]);
}

static void order_string(const struct program *p, unsigned int order, char *buf,
			 size_t len)
{
	int pc[2] = { 0, 0 }, i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 2 * p->len && n < (int)len; i++) {
		int t = (order >> i) & 1;

		n += snprintf(buf + n, len - n, "%s%c%d", i ? " " : "",
			      t ? 'B' : 'A', ++pc[t]);
	}
}

struct outcome {
	char result[32];
	long orders;
	bool serial; /* also the result of A-then-B or B-then-A */
};

static int by_result(const void *a, const void *b)
{
	return strcmp(((const struct outcome *)a)->result,
		      ((const struct outcome *)b)->result);
}

/* Count the distinct results of every order of p into out[], in order: how many. */
static int enumerate(const struct program *p, struct libscols_table *orders,
		     struct outcome *out)
{
	unsigned int all = 1U << (2 * p->len), order;
	/* A then B: B's bits are the high ones; B then A: the low ones. */
	unsigned int a_first = ((1U << p->len) - 1) << p->len,
		     b_first = (1U << p->len) - 1;
	char serial[2][32], res[32], buf[64];
	struct libscols_line *ln;
	int n = 0, i;

	run_order(p, a_first, serial[0], sizeof(serial[0]));
	run_order(p, b_first, serial[1], sizeof(serial[1]));
	for (order = 0; order < all; order++) {
		if (__builtin_popcount(order) != p->len)
			continue;
		run_order(p, order, res, sizeof(res));
		order_string(p, order, buf, sizeof(buf));
		ln = rd_line(orders);
		scols_line_set_data(ln, 0, p->name);
		scols_line_set_data(ln, 1, buf);
		scols_line_set_data(ln, 2, res);
		for (i = 0; i < n && strcmp(out[i].result, res); i++)
			;
		if (i == n) {
			snprintf(out[n].result, sizeof(out[n].result), "%s",
				 res);
			out[n].orders = 0;
			out[n].serial = !strcmp(res, serial[0]) ||
					!strcmp(res, serial[1]);
			n++;
		}
		out[i].orders++;
	}
	qsort(out, (size_t)n, sizeof(*out), by_result);
	return n;
}

static void interleave_help(FILE *f)
{
	fprintf(f,
		"Usage: racedemo [-J] interleavings\n\n"
		"A model: enumerate every interleaving of two threads' instructions and\n"
		"run each in an interpreter, one instruction at a time:\n"
		"  x=1 | x=2          one store each (x = 0 first)\n"
		"  x=y+1 | y=y*2      load, add or multiply, store (x = 0, y = 1 first)\n"
		"  x=x+1 | x=x+2      load, add, store each (x = 0 first)\n"
		"Real threads, one step at a time: racedemo step.\n\n"
		"  -J, --json         one JSON document\n"
		"  -V, --version      the version\n"
		"  -h, --help         this help\n");
}

static void no_opt(int c, const char *arg, void *ctx)
{
	(void)c, (void)arg, (void)ctx;
}

int cmd_interleave(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = { { 0 } };
	static const struct rd_cmdline cl = { "", longopts, interleave_help,
					      no_opt };
	static const struct vl_col order_cols[] = {
		{ "program", 0 },
		{ "order", 0 },
		{ "result", 0 },
	};
	static const struct vl_col outcome_cols[] = {
		{ "program", 0 },
		{ "result", 0 },
		{ "interleavings", VL_NUM },
		{ "serial", VL_BOOL },
	};
	struct outcome out[NPROGRAMS][MAX_ORDERS];
	int nout[NPROGRAMS];
	struct libscols_table *orders, *outcomes;
	size_t p;
	int i;

	rd_getopt(argc, argv, &cl, NULL, o);
	orders = RD_TABLE(o, "orders", order_cols);
	outcomes = RD_TABLE(o, "outcomes", outcome_cols);
	for (p = 0; p < NPROGRAMS; p++) {
		nout[p] = enumerate(&programs[p], orders, out[p]);
		for (i = 0; i < nout[p]; i++) {
			struct libscols_line *ln = rd_line(outcomes);

			scols_line_set_data(ln, 0, programs[p].name);
			scols_line_set_data(ln, 1, out[p][i].result);
			vl_line_set_i64(ln, 2, out[p][i].orders);
			vl_line_set_bool(ln, 3, out[p][i].serial);
		}
	}
	rd_say(o,
	       "A model, not threads: each order below is one way a scheduler could\n"
	       "interleave thread A's and thread B's instructions (A2 = A's second),\n"
	       "run one instruction at a time by an interpreter.\n\n");
	if (rd_print(o, orders))
		return 1;
	rd_say(o,
	       "How many interleavings end at each result; serial (1): a run of all\n"
	       "of A then all of B (or the reverse) ends there too:\n");
	if (rd_print(o, outcomes))
		return 1;
	for (p = 0; p < NPROGRAMS; p++) {
		long total = 0, racy = 0;

		for (i = 0; i < nout[p]; i++) {
			total += out[p][i].orders;
			racy += out[p][i].serial ? 0 : out[p][i].orders;
		}
		rd_say(o,
		       "%s: %ld orders, %d results; %ld end where no serial run does\n",
		       programs[p].name, total, nout[p], racy);
	}
	return 0;
}
