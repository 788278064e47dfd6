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

#include "libvmlab.h"
#include "table.h"
#include "vmlab_pt.h"

enum workload { W_PHASES, W_HOTCOLD, W_SCAN };

struct opts {
	size_t npages;
	enum workload wl;
	unsigned int interval_ms, samples, hands, step, spread;
	bool flush, json;
	const char *plot;
};

struct region {
	int fd;
	volatile char *base;
	size_t npages;
	enum workload wl;
	atomic_bool stop;
	atomic_uint phase;	/* phases workload: which quarter is in use */
	uint8_t *acc;		/* accessed bit per page, last read */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wss [options]\n"
		"Working set over time, or a clock page-out simulation, from real A bits.\n\n"
		"  -s, --size SIZE        region (default 4M)\n"
		"  -w, --workload NAME    phases (a quarter at a time, shifting), hotcold\n"
		"                         (10%% hot, the rest touched rarely) or scan (default phases)\n"
		"  -i, --interval MS      sampling interval / clock tick (default 200)\n"
		"  -n, --samples N        samples or ticks (default 12)\n"
		"  -c, --clock HANDS      clock simulation with 1 or 2 hands instead of sampling\n"
		"      --step PAGES       pages a hand passes per tick (default: a quarter)\n"
		"      --spread PAGES     two-handed: distance between the hands (default: an eighth)\n"
		"      --no-flush         do not flush the TLB after clearing (see the TLB at work)\n"
		"  -p, --plot PREFIX      write PREFIX.dat and a gnuplot script PREFIX.gp\n"
		"  -J, --json             JSON output\n"
		"  -h, --help             this help\n");
}

static void *workload(void *arg)
{
	struct region *r = arg;
	const size_t pg = VMLAB_PT_PAGE, hot = r->npages / 10 ? r->npages / 10 : 1;
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
				r->base[(hot + (size_t)rand_r(&seed) % (r->npages - hot)) * pg]++;
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
			if (recs[i].flags & VMLAB_PTE_ACCESSED && recs[i].va >= base) {
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

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static struct libscols_table *new_table(const char *name, bool json, const char *const *cols,
					size_t n)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, name);
	for (i = 0; i < n; i++) {
		struct libscols_column *cl = scols_table_new_column(tb, cols[i], 0,
								    i ? SCOLS_FL_RIGHT : 0);

		if (json && strcmp(cols[i], "EVICTED_PAGES"))
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return tb;
}

/* Working set: clear A, let the workload run one interval, count A. */
static int sample_wss(struct region *r, const struct opts *o)
{
	static const char *const cols[] = { "T_MS", "PHASE", "ACCESSED", "WSS_KIB" };
	struct libscols_table *tb = new_table("wss", o->json, cols, 4);
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
		sleep_ms(o->interval_ms);
		n = read_accessed(r);
		if (n < 0) {
			ret = (int)n;
			break;
		}
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		vl_line_set_u64(ln, 0, (uint64_t)(s + 1) * o->interval_ms);
		vl_line_set_u64(ln, 1, atomic_load(&r->phase));
		vl_line_set_u64(ln, 2, (uint64_t)n);
		vl_line_set_u64(ln, 3, (uint64_t)n * 4);
		if (dat)
			fprintf(dat, "%u %" PRId64 " %" PRId64 "\n", (s + 1) * o->interval_ms, n, n * 4);
	}
	if (!ret)
		scols_print_table(tb);
	scols_unref_table(tb);
	if (dat) {
		char path[4096];
		FILE *gp;

		fclose(dat);
		snprintf(path, sizeof(path), "%s.gp", o->plot);
		gp = fopen(path, "w");
		if (!gp)
			return -errno;
		fprintf(gp, "set terminal pngcairo size 800,400\nset output '%s.png'\n"
			"set xlabel 'time (ms)'\nset ylabel 'working set (KiB)'\n"
			"set title 'working set from accessed bits, every %u ms'\n"
			"plot '%s.dat' using 1:3 with steps title 'WSS'\n",
			o->plot, o->interval_ms, o->plot);
		fclose(gp);
		if (!o->json)
			fprintf(stderr, "wss: wrote %s.dat and %s.gp (gnuplot %s.gp makes %s.png)\n",
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
			used += snprintf(buf + used, len - used, "%s%zu-%zu", used ? "," : "",
					 pages[i], pages[j]);
		else
			used += snprintf(buf + used, len - used, "%s%zu", used ? "," : "", pages[i]);
		i = j + 1;
	}
}

/*
 * The clock: pages in a circle, a hand sweeping them. One hand: a page
 * with A set gets a second chance (A cleared), one with A clear is
 * evicted. Two hands: the front hand clears A, the back hand, spread
 * pages behind, evicts what is still unreferenced. Eviction is simulated:
 * the page is only marked, and a later use of it counts as a refault.
 */
static int clock_sim(struct region *r, const struct opts *o)
{
	static const char *const cols[] = { "TICK", "KEPT", "EVICTED", "HOT_EVICTED",
					    "REFAULTS", "EVICTED_PAGES" };
	struct libscols_table *tb = new_table("clock", o->json, cols, 6);
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

		sleep_ms(o->interval_ms);
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
			size_t back = o->hands == 2 ? (front + n - o->spread) % n : front;

			if (r->acc[back] || evicted[back]) {
				kept += !evicted[back];
				continue;
			}
			evicted[back] = 1;
			evl[ev++] = back;
			hot_ev += back < hot;
		}
		format_list(list, sizeof(list), evl, ev);
		/* Second chance: the passed pages lose their A bit. */
		if (hand + o->step <= n) {
			ret = clear_pages(r, hand, o->step, o->flush);
		} else {
			ret = clear_pages(r, hand, n - hand, false);
			if (!ret)
				ret = clear_pages(r, 0, hand + o->step - n, o->flush);
		}
		hand = (hand + o->step) % n;
		tot_ev += ev;
		tot_hot += hot_ev;
		tot_ref += refaults;
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		vl_line_set_u64(ln, 0, t);
		vl_line_set_u64(ln, 1, kept);
		vl_line_set_u64(ln, 2, ev);
		vl_line_set_u64(ln, 3, hot_ev);
		vl_line_set_u64(ln, 4, refaults);
		scols_line_set_data(ln, 5, list);
	}
	if (!ret) {
		scols_print_table(tb);
		if (!o->json)
			printf("%u-handed clock over %zu pages (%zu hot): %" PRIu64 " evictions, "
			       "%" PRIu64 " of hot pages, %" PRIu64 " refaults\n",
			       o->hands, n, hot, tot_ev, tot_hot, tot_ref);
	}
	free(evicted);
	free(evl);
	scols_unref_table(tb);
	return ret;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "workload", required_argument, NULL, 'w' },
		{ "interval", required_argument, NULL, 'i' },
		{ "samples", required_argument, NULL, 'n' },
		{ "clock", required_argument, NULL, 'c' },
		{ "step", required_argument, NULL, 'S' },
		{ "spread", required_argument, NULL, 'D' },
		{ "no-flush", no_argument, NULL, 'F' },
		{ "plot", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 4 << 20;
	char *end;
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->interval_ms = 200;
	o->samples = 12;
	o->flush = true;
	while ((c = getopt_long(argc, argv, "s:w:i:n:c:p:Jh", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == 'F' || c == 'J' || c == 'p' || c == 's' || c == 'w') {
			if (c == 'F')
				o->flush = false;
			else if (c == 'J')
				o->json = true;
			else if (c == 'p')
				o->plot = optarg;
			else if (c == 's' && (vmlab_parse_size(optarg, &size) ||
					      size < 16 * VMLAB_PT_PAGE || size > (1ULL << 32)))
				goto bad;
			else if (c == 'w' && !strcmp(optarg, "phases"))
				o->wl = W_PHASES;
			else if (c == 'w' && !strcmp(optarg, "hotcold"))
				o->wl = W_HOTCOLD;
			else if (c == 'w' && !strcmp(optarg, "scan"))
				o->wl = W_SCAN;
			else if (c == 'w')
				goto bad;
			continue;
		}
		if (c == '?')
			goto bad;
		v = strtol(optarg, &end, 10);
		if (*end || end == optarg || v < 1 || v > 100000)
			goto bad;
		if (c == 'i')
			o->interval_ms = (unsigned int)v;
		else if (c == 'n')
			o->samples = (unsigned int)v;
		else if (c == 'c' && v <= 2)
			o->hands = (unsigned int)v;
		else if (c == 'S')
			o->step = (unsigned int)v;
		else if (c == 'D')
			o->spread = (unsigned int)v;
		else
			goto bad;
	}
	if (optind != argc)
		goto bad;
	o->npages = size / VMLAB_PT_PAGE;
	if (!o->step)
		o->step = (unsigned int)(o->npages / 4);
	if (!o->spread)
		o->spread = (unsigned int)(o->npages / 8);
	if (o->step > o->npages || o->spread >= o->npages)
		goto bad;
	return 0;
bad:
	fprintf(stderr, "wss: bad arguments (see wss --help)\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct region r = { 0 };
	struct opts o;
	pthread_t th;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	r.fd = vmlab_open();
	if (r.fd < 0) {
		fprintf(stderr, "wss: open %s: %s\n", VMLAB_DEVICE, strerror(-r.fd));
		return 1;
	}
	r.npages = o.npages;
	r.wl = o.wl;
	r.acc = calloc(r.npages, 1);
	r.base = mmap(NULL, r.npages * VMLAB_PT_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!r.acc || r.base == MAP_FAILED) {
		fprintf(stderr, "wss: out of memory\n");
		return 1;
	}
	/* 4 KiB pages (a THP carries one A bit for 512 pages), then populate. */
	madvise((void *)r.base, r.npages * VMLAB_PT_PAGE, MADV_NOHUGEPAGE);
	memset((void *)r.base, 1, r.npages * VMLAB_PT_PAGE);
	if (pthread_create(&th, NULL, workload, &r)) {
		fprintf(stderr, "wss: cannot start the workload thread\n");
		return 1;
	}
	ret = o.hands ? clock_sim(&r, &o) : sample_wss(&r, &o);
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	if (ret) {
		fprintf(stderr, "wss: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
