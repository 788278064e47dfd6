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
#include <getopt.h>
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
	int n = 0, i;

	run_order(p, a_first, serial[0], sizeof(serial[0]));
	run_order(p, b_first, serial[1], sizeof(serial[1]));
	for (order = 0; order < all; order++) {
		if (__builtin_popcount(order) != p->len)
			continue;
		run_order(p, order, res, sizeof(res));
		order_string(p, order, buf, sizeof(buf));
		rd_row(orders, "%s|%s|%s", p->name, buf, res);
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
		"usage: racedemo [--json] interleavings\n\n"
		"A model: enumerate every interleaving of two threads' instructions and\n"
		"run each in an interpreter, one instruction at a time:\n"
		"  x=1 | x=2          one store each (x = 0 first)\n"
		"  x=y+1 | y=y*2      load, add or multiply, store (x = 0, y = 1 first)\n"
		"  x=x+1 | x=x+2      load, add, store each (x = 0 first)\n"
		"Real threads, one step at a time: racedemo step.\n");
}

int cmd_interleave(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const struct rd_col order_cols[] = {
		{ "program", SCOLS_JSON_STRING },
		{ "order", SCOLS_JSON_STRING },
		{ "result", SCOLS_JSON_STRING },
	};
	static const struct rd_col outcome_cols[] = {
		{ "program", SCOLS_JSON_STRING },
		{ "result", SCOLS_JSON_STRING },
		{ "interleavings", SCOLS_JSON_NUMBER },
		{ "serial", SCOLS_JSON_STRING },
	};
	struct outcome out[NPROGRAMS][MAX_ORDERS];
	int nout[NPROGRAMS];
	struct libscols_table *tables[2];
	size_t p;
	int c, i;

	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o->json = true;
			break;
		case 'h':
			interleave_help(stdout);
			return 0;
		default:
			interleave_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return rd_usage_error("interleavings",
				      "unexpected argument '%s'", argv[optind]);

	tables[0] = rd_table("orders", order_cols, 3);
	tables[1] = rd_table("outcomes", outcome_cols, 4);
	for (p = 0; p < NPROGRAMS; p++) {
		nout[p] = enumerate(&programs[p], tables[0], out[p]);
		for (i = 0; i < nout[p]; i++)
			rd_row(tables[1], "%s|%s|%ld|%s", programs[p].name,
			       out[p][i].result, out[p][i].orders,
			       out[p][i].serial ? "yes" : "no");
	}
	if (o->json)
		return rd_print(o, tables, 2);
	printf("A model, not threads: each order below is one way a scheduler could\n"
	       "interleave thread A's and thread B's instructions (A2 = A's second),\n"
	       "run one instruction at a time by an interpreter.\n\n");
	rd_print(o, tables, 1);
	printf("How many interleavings end at each result; serial: a run of all of A\n"
	       "then all of B (or the reverse) ends there too:\n");
	rd_print(o, tables + 1, 1);
	for (p = 0; p < NPROGRAMS; p++) {
		long total = 0, racy = 0;

		for (i = 0; i < nout[p]; i++) {
			total += out[p][i].orders;
			racy += out[p][i].serial ? 0 : out[p][i].orders;
		}
		printf("%s: %ld orders, %d results; %ld end where no serial run does\n",
		       programs[p].name, total, nout[p], racy);
	}
	return 0;
}
