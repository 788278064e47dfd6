// SPDX-License-Identifier: GPL-2.0
/*
 * earlyvm: a simulation, not this machine. The address-space schemes that
 * came before paging, each run on a small made-up memory: a memory fence,
 * base and bounds registers, swapping whole images, and overlays. Each
 * access is checked and translated the way that scheme's hardware would,
 * and what happened is printed.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jvh.h"
#include "table.h"

#define KIB 1024UL

/* The output: text, or with -J one document of the four tables. */
static struct vl_doc doc;

/* With -J a table named name, else NULL (lines of it are then no-ops). */
static struct libscols_table *table(const char *name, const struct vl_col *cols,
				    size_t n)
{
	return doc.json ? vl_table_new(name, true, cols, n) : NULL;
}

#define TABLE(name, cols) table(name, cols, sizeof(cols) / sizeof((cols)[0]))

/* Keep tb in the document (JSON only): 0 or -errno. */
static int keep(struct libscols_table *tb)
{
	return doc.json ? vl_doc_add(&doc, tb) : 0;
}

struct proc {
	const char *name;
	unsigned long base, bounds; /* base and bounds registers */
};

/* The fence: user accesses below it trap; above it, anything goes. */
static int fence(void)
{
	static const struct vl_col cols[] = {
		{ "WHO", 0 },
		{ "ADDRESS", VL_NUM },
		{ "RESULT", 0 },
		{ "WHAT", 0 },
	};
	struct libscols_table *tb = TABLE("fence", cols);
	static const struct {
		const char *who, *what;
		unsigned long addr;
	} acc[] = {
		{ "A", "its own data", 20 * KIB },
		{ "A", "the OS, below the fence", 4 * KIB },
		{ "A", "B's memory", 48 * KIB },
		{ "B", "its own data", 50 * KIB },
	};
	const unsigned long fence_at = 16 * KIB;
	size_t i;

	vl_doc_text(
		&doc,
		"== fence at %lu KiB: the OS below it; A at 16-40 KiB, B at 40-64 KiB\n",
		fence_at / KIB);
	vl_doc_text(&doc, "WHO ADDRESS   RESULT  WHAT\n");
	for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
		const char *res = acc[i].addr < fence_at ? "trap" : "allowed";
		struct libscols_line *ln = vl_line(tb, NULL);

		vl_doc_text(&doc, "%-3s 0x%05lx   %-7s %s\n", acc[i].who,
			    acc[i].addr, res, acc[i].what);
		vl_line_set_name(ln, 0, acc[i].who, 8);
		vl_line_set_u64(ln, 1, acc[i].addr);
		vl_line_set_name(ln, 2, res, 8);
		vl_line_set_name(ln, 3, acc[i].what, 64);
	}
	return keep(tb);
}

/* Translate: bounds check, then add the base. 0: trap. */
static int translate(const struct proc *p, unsigned long va, unsigned long *pa)
{
	if (va >= p->bounds)
		return 0;
	*pa = p->base + va;
	return 1;
}

static int base_bounds(void)
{
	static const struct vl_col cols[] = {
		{ "WHO", 0 },		{ "BASE", VL_NUM },
		{ "BOUNDS", VL_NUM },	{ "VIRTUAL", VL_NUM },
		{ "PHYSICAL", VL_NUM }, { "RESULT", 0 },
		{ "WHAT", 0 },
	};
	struct libscols_table *tb = TABLE("base_bounds", cols);
	static const struct proc a = { "A", 16 * KIB, 24 * KIB },
				 b = { "B", 40 * KIB, 24 * KIB };
	static const struct {
		const struct proc *p;
		unsigned long va;
		const char *what;
	} acc[] = {
		{ &a, 0x0000, "its address 0" },
		{ &a, 0x1000, "its data" },
		{ &a, 0x7000, "past its bounds (B's memory)" },
		{ &b, 0x1000, "its data" },
	};
	size_t i;

	vl_doc_text(
		&doc,
		"\n== base and bounds: A base %lu KiB bounds %lu KiB, B base %lu KiB bounds %lu KiB\n",
		a.base / KIB, a.bounds / KIB, b.base / KIB, b.bounds / KIB);
	vl_doc_text(&doc, "WHO VIRTUAL   PHYSICAL  RESULT  WHAT\n");
	for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
		const struct proc *p = acc[i].p;
		unsigned long pa = 0;
		int ok = translate(p, acc[i].va, &pa);
		struct libscols_line *ln = vl_line(tb, NULL);

		if (ok)
			vl_doc_text(&doc,
				    "%-3s 0x%05lx   0x%05lx   allowed %s\n",
				    p->name, acc[i].va, pa, acc[i].what);
		else
			vl_doc_text(&doc,
				    "%-3s 0x%05lx   -         trap    %s\n",
				    p->name, acc[i].va, acc[i].what);
		vl_line_set_name(ln, 0, p->name, 8);
		vl_line_set_u64(ln, 1, p->base);
		vl_line_set_u64(ln, 2, p->bounds);
		vl_line_set_u64(ln, 3, acc[i].va);
		if (ok)
			vl_line_set_u64(ln, 4, pa);
		vl_line_set_name(ln, 5, ok ? "allowed" : "trap", 8);
		vl_line_set_name(ln, 6, acc[i].what, 64);
	}
	return keep(tb);
}

/* Two slots of 24 KiB, three processes taking turns: swap the idle one out. */
static int swapping(void)
{
	static const struct vl_col cols[] = {
		{ "TURN", VL_NUM },   { "RUNS", 0 },
		{ "SLOT", VL_NUM },   { "BASE_KIB", VL_NUM },
		{ "SWAPPED_OUT", 0 }, { "SWAPPED_IN", 0 },
	};
	static const struct vl_col total_cols[] = {
		{ "SWAPPED_IN", VL_NUM },
		{ "MOVED_KIB", VL_NUM },
	};
	struct libscols_table *tb = TABLE("swapping", cols),
			      *tt = TABLE("swapping_total", total_cols);
	struct libscols_line *ln;
	static const char order[] = "ABCACB";
	char slot[2] = { 0, 0 };
	int last[2] = { -1, -1 }, turn, s, loads = 0;
	unsigned long moved = 0;

	vl_doc_text(
		&doc,
		"\n== swapping: room for 2 images of 24 KiB, processes A B C run in turn %s\n",
		order);
	vl_doc_text(&doc, "TURN RUNS SLOT BASE    SWAPPED_OUT SWAPPED_IN\n");
	for (turn = 0; order[turn]; turn++) {
		char p = order[turn], out = '-', in = '-';

		for (s = 0; s < 2 && slot[s] != p; s++)
			;
		if (s == 2) {
			/* an empty slot, else the one that ran least recently */
			s = !slot[0]	      ? 0 :
			    !slot[1]	      ? 1 :
			    last[0] < last[1] ? 0 :
						1;
			if (slot[s]) {
				out = slot[s];
				moved += 24;
			}
			in = p;
			moved += 24;
			loads++;
			slot[s] = p;
		}
		last[s] = turn;
		vl_doc_text(&doc, "%-4d %-4c %-4d %2d KiB  %-11c %c\n",
			    turn + 1, p, s, 16 + 24 * s, out, in);
		ln = vl_line(tb, NULL);
		vl_line_set_u64(ln, 0, (uint64_t)turn + 1);
		vl_line_set_fmt(ln, 1, "%c", p);
		vl_line_set_u64(ln, 2, (uint64_t)s);
		vl_line_set_u64(ln, 3, 16 + 24 * (uint64_t)s);
		if (out != '-')
			vl_line_set_fmt(ln, 4, "%c", out);
		if (in != '-')
			vl_line_set_fmt(ln, 5, "%c", in);
	}
	vl_doc_text(
		&doc,
		"%d images swapped in, %lu KiB moved; an image runs at its slot's base,\n"
		"wherever it was before\n",
		loads, moved);
	ln = vl_line(tt, NULL);
	vl_line_set_u64(ln, 0, (uint64_t)loads);
	vl_line_set_u64(ln, 1, moved);
	return keep(tb) ?: keep(tt);
}

/* 100 KiB of memory, a 200 KiB program: A stays, B..E share one overlay area. */
static int overlays(void)
{
	static const struct vl_col cols[] = {
		{ "CALL", 0 },
		{ "LOADS", 0 },
		{ "KIB", VL_NUM },
		{ "OVERLAYS", 0 },
	};
	static const struct vl_col total_cols[] = {
		{ "LOADS", VL_NUM },
		{ "READ_KIB", VL_NUM },
		{ "PEAK_KIB", VL_NUM },
		{ "MEMORY_KIB", VL_NUM },
	};
	struct libscols_table *tb = TABLE("overlays", cols),
			      *tt = TABLE("overlays_total", total_cols);
	struct libscols_line *ln;
	static const struct {
		char caller, callee;
	} calls[] = { { 'A', 'B' }, { 'A', 'C' }, { 'C', 'D' }, { 'C', 'E' } };
	static const unsigned long size[] = { 40, 30, 35, 20,
					      25 }; /* A..E, KiB */
	char area[2] = { 'B', 0 }; /* the overlay area, and C's sub-area */
	unsigned long loaded = size[1], peak = size[0] + size[1], now;
	size_t i;
	int loads = 1;

	vl_doc_text(
		&doc,
		"\n== overlays: 100 KiB of memory, a program of A (40 KiB, resident) and\n"
		"   B 30, C 35, D 20, E 25 KiB; the programmer decides what overlays what\n");
	vl_doc_text(&doc, "CALL LOADS       OVERLAYS\n");
	vl_doc_text(&doc, "start B           -\n");
	ln = vl_line(tb, NULL);
	vl_line_set_name(ln, 0, "start", 8);
	vl_line_set_name(ln, 1, "B", 8);
	vl_line_set_u64(ln, 2, size[1]);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		char c = calls[i].callee,
		     *where = calls[i].caller == 'A' ? &area[0] : &area[1];

		ln = vl_line(tb, NULL);
		vl_line_set_fmt(ln, 0, "%c->%c", calls[i].caller, c);
		if (*where == c) {
			vl_doc_text(&doc, "%c->%c  (resident)  -\n",
				    calls[i].caller, c);
			continue;
		}
		vl_doc_text(&doc, "%c->%c  %c (%2lu KiB)  %c\n",
			    calls[i].caller, c, c, size[c - 'A'],
			    *where ? *where : '-');
		vl_line_set_fmt(ln, 1, "%c", c);
		vl_line_set_u64(ln, 2, size[c - 'A']);
		if (*where)
			vl_line_set_fmt(ln, 3, "%c", *where);
		loaded += size[c - 'A'];
		loads++;
		*where = c;
		if (where == &area[0])
			area[1] =
				0; /* a new overlay replaces the sub-area too */
		now = size[0] + size[area[0] - 'A'] +
		      (area[1] ? size[area[1] - 'A'] : 0);
		if (now > peak)
			peak = now;
	}
	vl_doc_text(
		&doc,
		"%d overlay loads, %lu KiB read, at most %lu KiB of 100 in memory at once,\n"
		"by code the programmer wrote\n",
		loads, loaded, peak);
	ln = vl_line(tt, NULL);
	vl_line_set_u64(ln, 0, (uint64_t)loads);
	vl_line_set_u64(ln, 1, loaded);
	vl_line_set_u64(ln, 2, peak);
	vl_line_set_u64(ln, 3, 100);
	return keep(tb) ?: keep(tt);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: earlyvm [options]\n"
		"A simulation of the schemes before paging on made-up memories (sizes\n"
		"in KiB, addresses in bytes): fence, base and bounds, swapping, overlays.\n\n"
		"  -J, --json      one JSON document: a table per scheme, and totals\n"
		"  -V, --version   version\n"
		"  -h, --help      this help\n"
		"\nExit status: 0 done, 1 failed (output), 2 bad usage.\n");
}

int main(int argc, char **argv)
{
	vl_init(argv, "earlyvm");
	vl_doc_init(&doc, vl_jvh_options(argc, argv, usage));
	vl_no_operands(argc, argv);
	vl_doc_text(
		&doc,
		"SIMULATION: made-up memories, checked and translated as each scheme's\n"
		"hardware would; nothing here runs on this machine's MMU.\n\n");
	if (fence() || base_bounds() || swapping() || overlays() ||
	    vl_doc_end(&doc)) {
		vl_error("cannot print the tables");
		return VL_EXIT_FAIL;
	}
	return VL_EXIT_OK;
}
