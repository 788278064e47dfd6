// SPDX-License-Identifier: GPL-2.0
/*
 * tlbchase: what address translation costs, measured. A pointer chase
 * visits one cache line in each of N pages, in a random cycle, so every
 * load depends on the one before and needs the translation of a new page.
 * While N pages fit the TLB, translation is (nearly) free; past it, loads
 * wait for page walks. The same chase over memory backed by the huge pages
 * a PMD maps (2 MiB of 4 KiB pages, 32 MiB of 16 KiB ones) needs 512 (2048)
 * times fewer translations. Lines are spread over the page so that the data
 * cache is not what runs out first.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli.h"
#include "jvh.h"
#include "table.h"

#define LINE 64

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

/* Memory for n pages: base pages, or PMD aligned with MADV_HUGEPAGE. */
static int region(struct region *r, size_t pages, int huge)
{
	const size_t page = vl_page_size(), pmd = vl_pmd_size();
	size_t want = pages * page;

	if (huge)
		want = (want + pmd - 1) & ~(pmd - 1);
	r->len = want + (huge ? pmd : 0);
	r->map = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->map == MAP_FAILED)
		return -1;
	r->base = huge ? (char *)(((uintptr_t)r->map + pmd - 1) & ~(pmd - 1)) :
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
static double chase(size_t pages, int huge, uint64_t loads, int *ok,
		    long *huge_kib)
{
	const size_t page = vl_page_size();
	size_t *order = malloc(pages * sizeof(*order)), i;
	struct region r;
	char *base;
	void **p;
	uint64_t t0;
	uint64_t k;

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

		*(void **)(base + a * page + (a % (page / LINE)) * LINE) =
			base + b * page + (b % (page / LINE)) * LINE;
	}
	p = (void **)(base + order[0] * page +
		      (order[0] % (page / LINE)) * LINE);
	for (k = 0; k < pages; k++) /* warm: caches and TLB as they settle */
		p = *p;
	t0 = vl_now_ns();
	for (k = 0; k < loads; k++)
		p = *p;
	t0 = vl_now_ns() - t0;
	*ok = p != NULL;
	*huge_kib = anon_huge_kib();
	munmap(r.map, r.len);
	free(order);
	return (double)t0 / loads;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: tlbchase [options]\n"
		"A dependent chase through one line per page, over 16, 64, ... MAXPAGES\n"
		"pages, with base pages and with huge ones (4 KiB and 2 MiB on x86-64); the\n"
		"cost of a load in ns.\n\n"
		"  -l, --loads N       loads timed per size (default 2M; a count: k = 1000,\n"
		"                      M = 10^6; 1k to 1G)\n"
		"  -m, --max PAGES     the largest working set, in base pages (default 16k\n"
		"                      = 64 MiB of 4 KiB pages; a count, 16 to 1048576)\n"
		"  -J, --json          one JSON document\n"
		"  -V, --version       version\n"
		"  -h, --help          this help\n"
		"\nExit status: 0 done, 1 failed (memory), 2 bad usage.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "loads", required_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct vl_col cols[] = {
		{ "PAGES", VL_NUM }, { "WORKING_SET_KIB", VL_NUM },
		{ "NS_4K", VL_NUM }, { "NS_2M", VL_NUM },
		{ "RATIO", VL_NUM }, { "IN_2M_PAGES_KIB", VL_NUM },
	};
	uint64_t loads = 2000000, max = 16384;
	struct libscols_table *tb;
	struct vl_doc doc;
	bool json = false;
	size_t pages;
	int c;

	vl_init(argv, "tlbchase");
	while ((c = getopt_long(argc, argv, "l:m:JVh", longopts, NULL)) != -1) {
		if (c == 'l')
			loads = vl_opt_count("--loads", optarg, 1000,
					     1000000000);
		else if (c == 'm')
			max = vl_opt_count("--max", optarg, 16, 1 << 20);
		else if (c == 'J')
			json = true;
		else
			vl_other_option(c, usage);
	}
	vl_no_operands(argc, argv);
	tb = VL_TABLE("tlbchase", json, cols);
	if (!tb) {
		vl_error("out of memory");
		return VL_EXIT_FAIL;
	}
	for (pages = 16; pages <= max; pages *= 4) {
		long h4, h2;
		int ok4, ok2;
		double small = chase(pages, 0, loads, &ok4, &h4);
		double huge = chase(pages, 1, loads, &ok2, &h2);
		struct libscols_line *ln;

		if (!ok4 || !ok2) {
			vl_error("no memory for %zu pages", pages);
			scols_unref_table(tb);
			return VL_EXIT_FAIL;
		}
		ln = vl_line(tb, NULL);
		vl_line_set_u64(ln, 0, pages);
		vl_line_set_u64(ln, 1, pages * vl_page_size() / 1024);
		vl_line_set_fmt(ln, 2, "%.1f", small);
		vl_line_set_fmt(ln, 3, "%.1f", huge);
		vl_line_set_fmt(ln, 4, "%.2f", small / huge);
		vl_line_set_i64(ln, 5, h2);
	}
	vl_doc_init(&doc, json);
	return vl_doc_add(&doc, tb) || vl_doc_end(&doc) ? VL_EXIT_FAIL :
							  VL_EXIT_OK;
}
