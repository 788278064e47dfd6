// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo interleavings: every order in which two threads' instructions
 * can run, executed one by one, with the value each order leaves. The
 * lecture's two programs: "x = 1 | x = 2" (one store each) and
 * "x = x + 1 | x = x + 2" (load, add, store each), x starting at 0.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "racedemo.h"

enum { I_LOAD, I_ADD, I_STORE };

struct program {
	const char *name;
	int len;		/* instructions per thread */
	int insn[3];
	long operand[2];	/* per thread: the constant stored or added */
};

static const struct program programs[] = {
	{ "A:x=1 B:x=2", 1, { I_STORE }, { 1, 2 } },
	{ "A:x=x+1 B:x=x+2", 3, { I_LOAD, I_ADD, I_STORE }, { 1, 2 } },
};

/* Run one order (bit i set: step i is thread B's) and return x. */
static long run_order(const struct program *p, unsigned int order)
{
	long x = 0, r[2] = { 0, 0 };
	int pc[2] = { 0, 0 }, i;

	for (i = 0; i < 2 * p->len; i++) {
		int t = (order >> i) & 1;

		switch (p->insn[pc[t]++]) {
		case I_LOAD:
			r[t] = x;
			break;
		case I_ADD:
			r[t] += p->operand[t];
			break;
		default:
			/* A bare store writes its constant; after an add, the register. */
			x = p->len == 1 ? p->operand[t] : r[t];
		}
	}
	return x;
}

static void order_string(const struct program *p, unsigned int order, char *buf, size_t len)
{
	int pc[2] = { 0, 0 }, i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 2 * p->len && n < (int)len; i++) {
		int t = (order >> i) & 1;

		n += snprintf(buf + n, len - n, "%s%c%d", i ? " " : "", t ? 'B' : 'A', ++pc[t]);
	}
}

static void interleave_help(FILE *f)
{
	fprintf(f, "usage: racedemo [--json] interleavings\n\n"
		   "Enumerate every interleaving of two threads' instructions and run each:\n"
		   "  x=1 | x=2          one store each\n"
		   "  x=x+1 | x=x+2      load, add, store each (A1 A2 A3 / B1 B2 B3)\n");
}

int cmd_interleave(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const struct rd_col order_cols[] = {
		{ "program", SCOLS_JSON_STRING }, { "order", SCOLS_JSON_STRING },
		{ "x", SCOLS_JSON_NUMBER },
	};
	static const struct rd_col outcome_cols[] = {
		{ "program", SCOLS_JSON_STRING }, { "x", SCOLS_JSON_NUMBER },
		{ "interleavings", SCOLS_JSON_NUMBER },
	};
	struct libscols_table *tables[2];
	size_t p;
	int c;

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
		return rd_usage_error("interleavings", "unexpected argument '%s'", argv[optind]);

	tables[0] = rd_table("orders", order_cols, 3);
	tables[1] = rd_table("outcomes", outcome_cols, 3);
	for (p = 0; p < sizeof(programs) / sizeof(programs[0]); p++) {
		const struct program *pr = &programs[p];
		long count[4] = { 0 };
		unsigned int order;
		char buf[64];
		long x;

		/* Every 2*len-bit word with len bits set is one interleaving. */
		for (order = 0; order < 1U << (2 * pr->len); order++) {
			if (__builtin_popcount(order) != pr->len)
				continue;
			x = run_order(pr, order);
			count[x]++;
			order_string(pr, order, buf, sizeof(buf));
			rd_row(tables[0], "%s|%s|%ld", pr->name, buf, x);
		}
		for (x = 1; x <= 3; x++)
			if (count[x])
				rd_row(tables[1], "%s|%ld|%ld", pr->name, x, count[x]);
	}
	if (o->json)
		return rd_print(o, tables, 2);
	printf("Thread A and thread B, x = 0 at the start. Each order below is one way\n"
	       "the scheduler can interleave their instructions (A2 = A's second one).\n\n");
	rd_print(o, tables, 1);
	printf("How many interleavings end at each value:\n");
	rd_print(o, tables + 1, 1);
	printf("Only 2 of the 20 orders of x=x+1 and x=x+2 give 3: those where one thread's\n"
	       "store comes before the other's load. In the other 18 both load 0 and the\n"
	       "last store wins (1 or 2): the result depends on the interleaving.\n");
	return 0;
}
