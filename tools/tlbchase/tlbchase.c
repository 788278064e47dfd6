// SPDX-License-Identifier: GPL-2.0
/*
 * tlbchase: what address translation costs, measured. A pointer chase
 * visits one cache line in each of N pages, in a random cycle, so every
 * load depends on the one before and needs the translation of a new page.
 * While N pages fit the TLB, translation is (nearly) free; past it, loads
 * wait for page walks. The same chase over memory backed by 2 MiB pages
 * needs 512 times fewer translations. Lines are spread over the page so
 * that the data cache is not what runs out first.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096UL
#define HUGE (2UL << 20)
#define LINE 64

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

struct region {
	char *map, *base; /* the mapping; where the pages start */
	size_t len;
};

/* Memory for n pages: 4 KiB pages, or 2 MiB aligned with MADV_HUGEPAGE. */
static int region(struct region *r, size_t pages, int huge)
{
	size_t want = pages * PAGE;

	if (huge)
		want = (want + HUGE - 1) & ~(HUGE - 1);
	r->len = want + (huge ? HUGE : 0);
	r->map = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->map == MAP_FAILED)
		return -1;
	r->base =
		huge ? (char *)(((uintptr_t)r->map + HUGE - 1) & ~(HUGE - 1)) :
		       r->map;
	madvise(r->base, want, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(r->base, 0, want);
	return 0;
}

/* AnonHugePages of this process now, in KiB (0 if not known). */
static long anon_huge_kib(void)
{
	char line[256];
	long kib = 0;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * ns per load of a random cycle through one line of each of n pages; the
 * KiB of it in huge pages go to *huge_kib.
 */
static double chase(size_t pages, int huge, long loads, int *ok, long *huge_kib)
{
	size_t *order = malloc(pages * sizeof(*order)), i;
	struct region r;
	char *base;
	void **p;
	uint64_t t0;
	long k;

	*ok = order && !region(&r, pages, huge);
	if (!*ok)
		return 0;
	base = r.base;
	for (i = 0; i < pages; i++)
		order[i] = i;
	for (i = pages - 1; i > 0; i--) {
		size_t j = rnd(i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	/* page order[i] points to page order[i + 1], each at its own line */
	for (i = 0; i < pages; i++) {
		size_t a = order[i], b = order[(i + 1) % pages];

		*(void **)(base + a * PAGE + (a % (PAGE / LINE)) * LINE) =
			base + b * PAGE + (b % (PAGE / LINE)) * LINE;
	}
	p = (void **)(base + order[0] * PAGE +
		      (order[0] % (PAGE / LINE)) * LINE);
	for (k = 0; k < (long)pages;
	     k++) /* warm: caches and TLB as they settle */
		p = *p;
	t0 = now_ns();
	for (k = 0; k < loads; k++)
		p = *p;
	t0 = now_ns() - t0;
	*ok = p != NULL;
	*huge_kib = anon_huge_kib();
	munmap(r.map, r.len);
	free(order);
	return (double)t0 / loads;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tlbchase [-l LOADS] [-m MAXPAGES]\n\n"
		"A dependent chase through one line per page, over 16, 64, ... MAXPAGES\n"
		"pages (default 16384 = 64 MiB), with 4 KiB and with 2 MiB pages.\n\n"
		"  -l, --loads N      loads timed per size (default 2000000)\n"
		"  -m, --max PAGES    the largest working set, in 4 KiB pages\n"
		"  -h, --help         this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "loads", required_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	long loads = 2000000, max = 16384;
	size_t pages;
	int c;

	while ((c = getopt_long(argc, argv, "l:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			loads = atol(optarg);
			break;
		case 'm':
			max = atol(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (loads < 1000 || max < 16 || max > (1L << 20)) {
		usage(stderr);
		return 2;
	}
	printf("PAGES  WORKING_SET NS_4K NS_2M 4K/2M IN_2M_PAGES\n");
	for (pages = 16; pages <= (size_t)max; pages *= 4) {
		long h4, h2;
		int ok4, ok2;
		double small = chase(pages, 0, loads, &ok4, &h4);
		double huge = chase(pages, 1, loads, &ok2, &h2);

		if (!ok4 || !ok2) {
			fprintf(stderr, "tlbchase: no memory for %zu pages\n",
				pages);
			return 1;
		}
		printf("%-6zu %8zu KiB %5.1f %5.1f %5.2f %7ld KiB\n", pages,
		       pages * PAGE / 1024, small, huge, small / huge, h2);
		fflush(stdout);
	}
	return 0;
}
