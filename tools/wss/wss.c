// SPDX-License-Identifier: GPL-2.0
/*
 * wss: working set and clock page replacement over real accessed bits.
 * A workload thread uses a region of this process; the main thread reads
 * and clears the region's accessed (referenced) bits through /dev/vmlab.
 * Clearing is only allowed on the caller's own address space, which is
 * why the workload runs here, in a thread of the same mm.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "svg.h"
#include "table.h"
#include "vmlab_pt.h"

enum workload { W_PHASES, W_HOTCOLD, W_SCAN };

struct opts {
	size_t npages;
	enum workload wl;
	uint64_t interval_ns;
	unsigned int samples, hands, step, spread;
	bool flush, json;
	const char *plot, *svg;
};

/*
 * --svg: the accessed bits of each scan, pages x scans. Up to ROWS_MAX
 * rows: beyond, a row stands for a group of pages and counts them.
 */
#define ROWS_MAX 512
#define SVG_SCANS_MAX 2000

struct heat {
	size_t rows, group; /* rows of group pages each */
	uint16_t *acc, *ev; /* [scan * rows + row]: accessed, evicted */
};

struct region {
	int fd;
	volatile char *base;
	size_t npages;
	enum workload wl;
	atomic_bool stop;
	atomic_uint phase; /* phases workload: which quarter is in use */
	uint8_t *acc; /* accessed bit per page, last read */
	struct heat heat; /* --svg: every scan's bits, by row */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: wss [options]\n"
		"Working set over time, or a clock page-out simulation, from real A bits.\n\n"
		"  -s, --size SIZE        region (default 4M; binary units K, M, G; 16 pages to 4G)\n"
		"  -w, --workload NAME    phases (a quarter at a time, shifting), hotcold\n"
		"                         (10%% hot, the rest touched rarely) or scan (default phases)\n"
		"  -i, --interval TIME    sampling interval / clock tick (default 200ms;\n"
		"                         units ns, us, ms, s; a bare number is seconds)\n"
		"  -n, --samples N        samples or ticks (default 12; a count: k = 1000)\n"
		"  -c, --clock HANDS      clock simulation with 1 or 2 hands instead of sampling\n"
		"      --step PAGES       pages a hand passes per tick (default: a quarter)\n"
		"      --spread PAGES     two-handed: distance between the hands (default: an eighth)\n"
		"      --no-flush         do not flush the TLB after clearing (see the TLB at work)\n"
		"      --plot PREFIX      write PREFIX.dat and a gnuplot script PREFIX.gp\n"
		"      --svg FILE         draw the accessed bits, pages x scans (and with -c the\n"
		"                         pages the hand evicts) into FILE, by gnuplot\n"
		"  -J, --json             one JSON document\n"
		"  -V, --version          version\n"
		"  -h, --help             this help\n"
		"\nExit status: 0 done, 1 failed (device, memory, a file), 2 bad usage.\n");
}

static void *workload(void *arg)
{
	struct region *r = arg;
	const size_t pg = VMLAB_PT_PAGE,
		     hot = r->npages / 10 ? r->npages / 10 : 1;
	unsigned int seed = 1;
	size_t i, q = r->npages / 4 ? r->npages / 4 : 1;

	while (!atomic_load(&r->stop)) {
		switch (r->wl) {
		case W_PHASES: {
			size_t first = atomic_load(&r->phase) % 4 * q;

			for (i = first; i < first + q && i < r->npages; i++)
				r->base[i * pg]++;
			break;
		}
		case W_HOTCOLD:
			for (i = 0; i < hot; i++)
				r->base[i * pg]++;
			if (rand_r(&seed) % 8 == 0)
				r->base[(hot + (size_t)rand_r(&seed) %
						       (r->npages - hot)) *
					pg]++;
			break;
		case W_SCAN:
			for (i = 0; i < r->npages; i++)
				r->base[i * pg]++;
			break;
		}
		usleep(1000);
	}
	return NULL;
}

/* Read the accessed bit of every page of the region into r->acc: count set, or -errno. */
static int64_t read_accessed(struct region *r)
{
	struct vmlab_pte recs[512];
	struct vmlab_pt_query q;
	uintptr_t base = (uintptr_t)r->base;
	int64_t n = 0;
	unsigned int i;
	int ret;

	memset(r->acc, 0, r->npages);
	memset(&q, 0, sizeof(q));
	q.start = base;
	q.end = base + r->npages * VMLAB_PT_PAGE;
	while (q.start < q.end) {
		q.count = 512;
		q.entries = (uintptr_t)recs;
		ret = VMLAB_CALL(r->fd, VMLAB_IOC_PT_QUERY, &q);
		if (ret)
			return ret;
		for (i = 0; i < q.count; i++) {
			if (recs[i].flags & VMLAB_PTE_ACCESSED &&
			    recs[i].va >= base) {
				r->acc[(recs[i].va - base) / VMLAB_PT_PAGE] = 1;
				n++;
			}
		}
	}
	return n;
}

static int clear_pages(struct region *r, size_t first, size_t n, bool flush)
{
	uintptr_t base = (uintptr_t)r->base;
	int64_t ret;

	ret = vmlab_pt_clear_accessed(r->fd, base + first * VMLAB_PT_PAGE,
				      base + (first + n) * VMLAB_PT_PAGE);
	if (ret < 0)
		return (int)ret;
	return flush ? vmlab_flush_tlb() : 0;
}

/* Keep scan s's bits (and evictions, in ev[] when not NULL) for --svg. */
static void heat_keep(struct region *r, unsigned int s, const uint8_t *ev)
{
	struct heat *h = &r->heat;
	size_t i;

	if (!h->acc)
		return;
	for (i = 0; i < r->npages; i++) {
		h->acc[s * h->rows + i / h->group] += r->acc[i];
		if (ev)
			h->ev[s * h->rows + i / h->group] += ev[i] == 2;
	}
}

/*
 * The gnuplot script's start, shared by --plot (a script file) and --svg
 * (gnuplot's input): terminal, output, title and axes.
 */
static void gp_head(FILE *gp, const char *term, const char *out,
		    const char *title, const char *x, const char *y)
{
	fprintf(gp, "set terminal %s\n", term);
	if (out)
		fprintf(gp, "set output '%s.png'\n", out);
	fprintf(gp, "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\n", title,
		x, y);
}

/* --svg: one square a page (or group) and scan where A was set; x: evicted. */
static int heat_draw(const struct region *r, const struct opts *o,
		     unsigned int scans)
{
	static const char *const argv[] = { "gnuplot", NULL };
	const struct heat *h = &r->heat;
	double cell = 560.0 / (double)(h->rows > scans ? h->rows : scans);
	char title[160], ylab[64];
	struct vl_draw d;
	unsigned int s;
	size_t i;

	if (vl_draw_open(&d, argv, "gnuplot-nox", o->svg))
		return 1;
	snprintf(title, sizeof(title),
		 "accessed bits of %zu pages, %s, every %" PRIu64 " ms%s",
		 r->npages, o->hands ? "clock" : "working set",
		 o->interval_ns / 1000000,
		 o->hands ? " (x: evicted by the hand)" : "");
	snprintf(ylab, sizeof(ylab),
		 h->group > 1 ? "page (rows of %zu)" : "page", h->group);
	gp_head(d.in, "svg size 960,720 font 'sans-serif,11'", NULL, title,
		o->hands ? "tick" : "scan", ylab);
	fprintf(d.in,
		"set xrange [0.5:%u.5]\nset yrange [-0.5:%zu.5]\nset cbrange [0:1]\n"
		"set palette defined (0 '#deebf7', 1 '#08519c')\nset cblabel 'share of the row accessed'\n"
		"set key off\n$acc << EOD\n",
		scans, h->rows - 1);
	for (s = 0; s < scans; s++)
		for (i = 0; i < h->rows; i++)
			if (h->acc[s * h->rows + i])
				fprintf(d.in, "%u %zu %.3f\n", s + 1, i,
					(double)h->acc[s * h->rows + i] /
						(double)h->group);
	fprintf(d.in, "0 0 0\nEOD\n$ev << EOD\n");
	for (s = 0; o->hands && s < scans; s++)
		for (i = 0; i < h->rows; i++)
			if (h->ev[s * h->rows + i])
				fprintf(d.in, "%u %zu\n", s + 1, i);
	/* a point out of range: an empty block would be an error */
	fprintf(d.in,
		"0 0\nEOD\nplot $acc using 1:2:3 with points pt 5 ps %.3f lc palette, "
		"$ev using 1:2 with points pt 1 ps %.3f lc rgb '#e31a1c'\n",
		cell / 9, cell / 6);
	return vl_draw_close(&d) ? 1 : 0;
}

/* Working set: clear A, let the workload run one interval, count A. */
static int sample_wss(struct region *r, const struct opts *o,
		      struct vl_doc *doc)
{
	static const struct vl_col cols[] = {
		{ "T_MS", VL_NUM },
		{ "PHASE", VL_NUM },
		{ "ACCESSED", VL_NUM },
		{ "WSS_KIB", VL_NUM },
	};
	struct libscols_table *tb = VL_TABLE("wss", o->json, cols);
	uint64_t interval_ms = o->interval_ns / 1000000;
	FILE *dat = NULL;
	unsigned int s;
	int ret = 0;

	if (!tb)
		return -ENOMEM;
	if (o->plot) {
		char path[4096];

		snprintf(path, sizeof(path), "%s.dat", o->plot);
		dat = fopen(path, "w");
		if (!dat) {
			scols_unref_table(tb);
			return -errno;
		}
		fprintf(dat, "# t_ms accessed_pages wss_kib\n");
	}
	for (s = 0; s < o->samples && !ret; s++) {
		struct libscols_line *ln;
		int64_t n;

		atomic_store(&r->phase, s * 4 / o->samples);
		ret = clear_pages(r, 0, r->npages, o->flush);
		if (ret)
			break;
		vl_sleep_ns(o->interval_ns);
		n = read_accessed(r);
		if (n < 0) {
			ret = (int)n;
			break;
		}
		heat_keep(r, s, NULL);
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		vl_line_set_u64(ln, 0, (s + 1) * interval_ms);
		vl_line_set_u64(ln, 1, atomic_load(&r->phase));
		vl_line_set_u64(ln, 2, (uint64_t)n);
		vl_line_set_u64(ln, 3, (uint64_t)n * 4);
		if (dat)
			fprintf(dat, "%" PRIu64 " %" PRId64 " %" PRId64 "\n",
				(s + 1) * interval_ms, n, n * 4);
	}
	if (!ret)
		ret = vl_doc_add(doc, tb);
	else
		scols_unref_table(tb);
	if (dat) {
		char path[4096];
		FILE *gp;

		fclose(dat);
		snprintf(path, sizeof(path), "%s.gp", o->plot);
		gp = fopen(path, "w");
		if (!gp)
			return -errno;
		snprintf(path, sizeof(path),
			 "working set from accessed bits, every %" PRIu64 " ms",
			 interval_ms);
		gp_head(gp, "pngcairo size 800,400", o->plot, path, "time (ms)",
			"working set (KiB)");
		fprintf(gp, "plot '%s.dat' using 1:3 with steps title 'WSS'\n",
			o->plot);
		fclose(gp);
		fprintf(stderr,
			"wss: wrote %s.dat and %s.gp (gnuplot %s.gp makes %s.png)\n",
			o->plot, o->plot, o->plot, o->plot);
	}
	return ret;
}

/* Format pages as "3-9,12" ranges, truncated with "..." when long. */
static void format_list(char *buf, size_t len, const size_t *pages, size_t n)
{
	size_t i = 0, j, used = 0;

	buf[0] = 0;
	while (i < n) {
		for (j = i; j + 1 < n && pages[j + 1] == pages[j] + 1; j++)
			;
		if (used + 48 > len) {
			snprintf(buf + used, len - used, ",...");
			return;
		}
		if (j > i)
			used += snprintf(buf + used, len - used, "%s%zu-%zu",
					 used ? "," : "", pages[i], pages[j]);
		else
			used += snprintf(buf + used, len - used, "%s%zu",
					 used ? "," : "", pages[i]);
		i = j + 1;
	}
}

/* JSON: the run's totals, which the text says in a sentence. */
static int clock_totals(const struct opts *o, size_t n, size_t hot,
			uint64_t evictions, uint64_t hot_evictions,
			uint64_t refaults, struct vl_doc *doc)
{
	static const struct vl_col cols[] = {
		{ "HANDS", VL_NUM },	     { "PAGES", VL_NUM },
		{ "HOT_PAGES", VL_NUM },     { "EVICTIONS", VL_NUM },
		{ "HOT_EVICTIONS", VL_NUM }, { "REFAULTS", VL_NUM },
	};
	struct libscols_table *tb;
	struct libscols_line *ln;

	if (!doc->json)
		return 0;
	tb = VL_TABLE("totals", true, cols);
	ln = tb ? vl_line(tb, NULL) : NULL;
	if (!ln) {
		scols_unref_table(tb);
		return -ENOMEM;
	}
	VL_LINE_U64S(ln, o->hands, n, hot, evictions, hot_evictions, refaults);
	return vl_doc_add(doc, tb);
}

/*
 * The clock: pages in a circle, a hand sweeping them. One hand: a page
 * with A set gets a second chance (A cleared), one with A clear is
 * evicted. Two hands: the front hand clears A, the back hand, spread
 * pages behind, evicts what is still unreferenced. Eviction is simulated:
 * the page is only marked, and a later use of it counts as a refault.
 */
static int clock_sim(struct region *r, const struct opts *o, struct vl_doc *doc)
{
	static const struct vl_col cols[] = {
		{ "TICK", VL_NUM },	{ "KEPT", VL_NUM },
		{ "EVICTED", VL_NUM },	{ "HOT_EVICTED", VL_NUM },
		{ "REFAULTS", VL_NUM }, { "EVICTED_PAGES", 0 },
	};
	struct libscols_table *tb = VL_TABLE("clock", o->json, cols);
	size_t n = r->npages, hot = n / 10 ? n / 10 : 1, hand = 0, i;
	uint8_t *evicted = calloc(n, 1);
	size_t *evl = calloc(n, sizeof(*evl));
	uint64_t tot_ev = 0, tot_hot = 0, tot_ref = 0;
	unsigned int t;
	int ret = 0;

	if (!tb || !evicted || !evl) {
		free(evicted);
		free(evl);
		scols_unref_table(tb);
		return -ENOMEM;
	}
	/* Start from a clean slate: every page unreferenced. */
	ret = clear_pages(r, 0, n, o->flush);
	for (t = 1; t <= o->samples && !ret; t++) {
		uint64_t kept = 0, ev = 0, hot_ev = 0, refaults = 0;
		char list[256];
		struct libscols_line *ln;
		int64_t got;

		vl_sleep_ns(o->interval_ns);
		got = read_accessed(r);
		if (got < 0) {
			ret = (int)got;
			break;
		}
		/* A used evicted page would have faulted back in. */
		for (i = 0; i < n; i++) {
			if (evicted[i] && r->acc[i]) {
				evicted[i] = 0;
				refaults++;
			}
		}
		/*
		 * The back hand judges A as read now: the front hand cleared it
		 * at the end of an earlier tick (the clear below), so a page had
		 * at least one interval to be used again.
		 */
		for (i = 0; i < o->step; i++) {
			size_t front = (hand + i) % n;
			size_t back = o->hands == 2 ?
					      (front + n - o->spread) % n :
					      front;

			if (r->acc[back] || evicted[back]) {
				kept += !evicted[back];
				continue;
			}
			evicted[back] = 2; /* this tick's, for --svg */
			evl[ev++] = back;
			hot_ev += back < hot;
		}
		heat_keep(r, t - 1, evicted);
		for (i = 0; i < ev; i++)
			evicted[evl[i]] = 1;
		format_list(list, sizeof(list), evl, ev);
		/* Second chance: the passed pages lose their A bit. */
		if (hand + o->step <= n) {
			ret = clear_pages(r, hand, o->step, o->flush);
		} else {
			ret = clear_pages(r, hand, n - hand, false);
			if (!ret)
				ret = clear_pages(r, 0, hand + o->step - n,
						  o->flush);
		}
		hand = (hand + o->step) % n;
		tot_ev += ev;
		tot_hot += hot_ev;
		tot_ref += refaults;
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		VL_LINE_U64S(ln, t, kept, ev, hot_ev, refaults);
		scols_line_set_data(ln, 5, list);
	}
	free(evicted);
	free(evl);
	if (ret) {
		scols_unref_table(tb);
		return ret;
	}
	ret = vl_doc_add(doc, tb);
	vl_doc_text(doc,
		    "%u-handed clock over %zu pages (%zu hot): %" PRIu64
		    " evictions, %" PRIu64 " of hot pages, %" PRIu64
		    " refaults\n",
		    o->hands, n, hot, tot_ev, tot_hot, tot_ref);
	return ret ? ret :
		     clock_totals(o, n, hot, tot_ev, tot_hot, tot_ref, doc);
}

static enum workload parse_workload(const char *s)
{
	static const char *const names[] = { "phases", "hotcold", "scan" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, names[i]))
			return (enum workload)i;
	vl_bad_arg("--workload", s, "want phases, hotcold or scan");
}

/* --step and --spread against the region they move in. */
static void check_pages(struct opts *o, const char *step, const char *spread)
{
	char why[64];

	if (!o->step)
		o->step = (unsigned int)(o->npages / 4);
	if (!o->spread)
		o->spread = (unsigned int)(o->npages / 8);
	snprintf(why, sizeof(why), "more than the region's %zu pages",
		 o->npages);
	if (o->step > o->npages)
		vl_bad_arg("--step", step, why);
	if (o->spread >= o->npages)
		vl_bad_arg("--spread", spread, why);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_STEP = 256, O_SPREAD, O_NOFLUSH, O_PLOT, O_SVG };
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "workload", required_argument, NULL, 'w' },
		{ "interval", required_argument, NULL, 'i' },
		{ "samples", required_argument, NULL, 'n' },
		{ "clock", required_argument, NULL, 'c' },
		{ "step", required_argument, NULL, O_STEP },
		{ "spread", required_argument, NULL, O_SPREAD },
		{ "no-flush", no_argument, NULL, O_NOFLUSH },
		{ "plot", required_argument, NULL, O_PLOT },
		{ "svg", required_argument, NULL, O_SVG },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *step = "", *spread = "";
	uint64_t size = 4 << 20;
	int c;

	memset(o, 0, sizeof(*o));
	o->interval_ns = 200000000;
	o->samples = 12;
	o->flush = true;
	while ((c = getopt_long(argc, argv, "s:w:i:n:c:JVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			size = vl_opt_size("--size", optarg, 16 * VMLAB_PT_PAGE,
					   1ULL << 32);
			break;
		case 'w':
			o->wl = parse_workload(optarg);
			break;
		case 'i':
			o->interval_ns = vl_opt_duration("--interval", optarg,
							 1000000,
							 60 * VL_NSEC_PER_SEC);
			break;
		case 'n':
			o->samples = (unsigned int)vl_opt_count(
				"--samples", optarg, 1, 100000);
			break;
		case 'c':
			o->hands = (unsigned int)vl_opt_uint("--clock", optarg,
							     1, 2);
			break;
		case O_STEP:
			step = optarg;
			o->step = (unsigned int)vl_opt_count("--step", optarg,
							     1, 1 << 20);
			break;
		case O_SPREAD:
			spread = optarg;
			o->spread = (unsigned int)vl_opt_count(
				"--spread", optarg, 1, 1 << 20);
			break;
		case O_NOFLUSH:
			o->flush = false;
			break;
		case O_PLOT:
			o->plot = optarg;
			break;
		case O_SVG:
			o->svg = vl_opt_file("--svg", optarg);
			break;
		default:
			vl_json_or_other(c, &o->json, usage);
		}
	}
	if (optind != argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
	o->npages = size / VMLAB_PT_PAGE;
	check_pages(o, step, spread);
	if (o->svg && o->samples > SVG_SCANS_MAX)
		vl_usage_error("--svg draws up to %d scans (--samples %u)",
			       SVG_SCANS_MAX, o->samples);
}

int main(int argc, char **argv)
{
	struct region r = { 0 };
	struct vl_doc doc;
	struct opts o;
	pthread_t th;
	int ret;

	vl_init(argv, "wss");
	parse_opts(argc, argv, &o);
	r.fd = vl_device_open();
	if (r.fd < 0)
		return VL_EXIT_FAIL;
	r.npages = o.npages;
	r.wl = o.wl;
	r.acc = calloc(r.npages, 1);
	r.base = mmap(NULL, r.npages * VMLAB_PT_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!r.acc || r.base == MAP_FAILED) {
		vl_error("out of memory");
		return VL_EXIT_FAIL;
	}
	/* Base pages (a THP carries one A bit for a PMD's pages), then populate. */
	madvise((void *)r.base, r.npages * VMLAB_PT_PAGE, MADV_NOHUGEPAGE);
	memset((void *)r.base, 1, r.npages * VMLAB_PT_PAGE);
	if (o.svg) {
		struct heat *h = &r.heat;

		h->group = (r.npages + ROWS_MAX - 1) / ROWS_MAX;
		h->rows = (r.npages + h->group - 1) / h->group;
		h->acc = calloc((size_t)o.samples * h->rows, sizeof(*h->acc));
		h->ev = calloc((size_t)o.samples * h->rows, sizeof(*h->ev));
		if (!h->acc || !h->ev) {
			vl_error("out of memory");
			return VL_EXIT_FAIL;
		}
	}
	if (pthread_create(&th, NULL, workload, &r)) {
		vl_error("cannot start the workload thread");
		return VL_EXIT_FAIL;
	}
	vl_doc_init(&doc, o.json);
	ret = o.hands ? clock_sim(&r, &o, &doc) : sample_wss(&r, &o, &doc);
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	if (!ret)
		ret = vl_doc_end(&doc);
	if (ret) {
		vl_error("%s", strerror(-ret));
		return VL_EXIT_FAIL;
	}
	if (o.svg && heat_draw(&r, &o, o.samples))
		return VL_EXIT_FAIL;
	return 0;
}
