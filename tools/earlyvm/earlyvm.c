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

#define KIB 1024UL

struct proc {
	const char *name;
	unsigned long base, bounds; /* base and bounds registers */
};

/* The fence: user accesses below it trap; above it, anything goes. */
static void fence(void)
{
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

	printf("== fence at %lu KiB: the OS below it; A at 16-40 KiB, B at 40-64 KiB\n",
	       fence_at / KIB);
	printf("WHO ADDRESS   RESULT  WHAT\n");
	for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++)
		printf("%-3s 0x%05lx   %-7s %s\n", acc[i].who, acc[i].addr,
		       acc[i].addr < fence_at ? "trap" : "allowed",
		       acc[i].what);
}

/* Translate: bounds check, then add the base. 0: trap. */
static int translate(const struct proc *p, unsigned long va, unsigned long *pa)
{
	if (va >= p->bounds)
		return 0;
	*pa = p->base + va;
	return 1;
}

static void base_bounds(void)
{
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

	printf("\n== base and bounds: A base %lu KiB bounds %lu KiB, B base %lu KiB bounds %lu KiB\n",
	       a.base / KIB, a.bounds / KIB, b.base / KIB, b.bounds / KIB);
	printf("WHO VIRTUAL   PHYSICAL  RESULT  WHAT\n");
	for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++) {
		unsigned long pa = 0;
		int ok = translate(acc[i].p, acc[i].va, &pa);

		if (ok)
			printf("%-3s 0x%05lx   0x%05lx   allowed %s\n",
			       acc[i].p->name, acc[i].va, pa, acc[i].what);
		else
			printf("%-3s 0x%05lx   -         trap    %s\n",
			       acc[i].p->name, acc[i].va, acc[i].what);
	}
}

/* Two slots of 24 KiB, three processes taking turns: swap the idle one out. */
static void swapping(void)
{
	static const char order[] = "ABCACB";
	char slot[2] = { 0, 0 };
	int last[2] = { -1, -1 }, turn, s, loads = 0;
	unsigned long moved = 0;

	printf("\n== swapping: room for 2 images of 24 KiB, processes A B C run in turn %s\n",
	       order);
	printf("TURN RUNS SLOT BASE    SWAPPED_OUT SWAPPED_IN\n");
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
		printf("%-4d %-4c %-4d %2d KiB  %-11c %c\n", turn + 1, p, s,
		       16 + 24 * s, out, in);
	}
	printf("%d images swapped in, %lu KiB moved; an image runs at its slot's base,\n"
	       "wherever it was before\n",
	       loads, moved);
}

/* 100 KiB of memory, a 200 KiB program: A stays, B..E share one overlay area. */
static void overlays(void)
{
	static const struct {
		char caller, callee;
	} calls[] = { { 'A', 'B' }, { 'A', 'C' }, { 'C', 'D' }, { 'C', 'E' } };
	static const unsigned long size[] = { 40, 30, 35, 20,
					      25 }; /* A..E, KiB */
	char area[2] = { 'B', 0 }; /* the overlay area, and C's sub-area */
	unsigned long loaded = size[1], peak = size[0] + size[1], now;
	size_t i;
	int loads = 1;

	printf("\n== overlays: 100 KiB of memory, a program of A (40 KiB, resident) and\n"
	       "   B 30, C 35, D 20, E 25 KiB; the programmer decides what overlays what\n");
	printf("CALL LOADS       OVERLAYS\n");
	printf("start B           -\n");
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		char c = calls[i].callee,
		     *where = calls[i].caller == 'A' ? &area[0] : &area[1];

		if (*where == c) {
			printf("%c->%c  (resident)  -\n", calls[i].caller, c);
			continue;
		}
		printf("%c->%c  %c (%2lu KiB)  %c\n", calls[i].caller, c, c,
		       size[c - 'A'], *where ? *where : '-');
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
	printf("%d overlay loads, %lu KiB read, at most %lu KiB of 100 in memory at once,\n"
	       "by code the programmer wrote\n",
	       loads, loaded, peak);
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr,
			"usage: earlyvm   (a simulation: fence, base and bounds, swapping, overlays)\n");
		return 2;
	}
	printf("SIMULATION: made-up memories, checked and translated as each scheme's\n"
	       "hardware would; nothing here runs on this machine's MMU.\n\n");
	fence();
	base_bounds();
	swapping();
	overlays();
	return 0;
}
