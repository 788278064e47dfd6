// SPDX-License-Identifier: GPL-2.0
/*
 * pagetouch: map a region, then run steps on it (read, write, fork,
 * clear the accessed bits, flush the TLB, mprotect...) and show the
 * page-table entries of the region between steps.
 *
 * Every step is parsed before the first runs, so a bad one changes
 * nothing. Text goes out as the steps run (a script may wait for a line);
 * with --json each step and each dumped entry is a row, kept in shared
 * memory so that a forked child's rows join the parent's in one document.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "parse.h"
#include "table.h"
#include "vmlab_pt.h"

enum step_kind {
	S_READ,
	S_WRITE,
	S_DUMP,
	S_CLEAR,
	S_FLUSH,
	S_RO,
	S_RW,
	S_LOCK,
	S_PAGEOUT,
	S_FAULTS,
	S_FORK,
	S_SLEEP,
};

struct step {
	enum step_kind kind;
	const char *text; /* as given */
	const char *label; /* dump:LABEL */
	size_t first, last; /* read/write pages */
	uint64_t ns; /* sleep */
};

/* One step's outcome, or one entry of a dump, as a JSON row. */
struct row {
	unsigned int step;
	char who[8];
	int64_t value; /* steps: what was counted, or -1 */
	char text[80];
	bool is_entry;
	uint64_t page;
	struct vmlab_pte rec;
};

struct ctx {
	int fd;
	char *base;
	size_t len;
	bool json;
	const char *who; /* "", "parent", "child" */
	struct row *rows; /* JSON: shared with a forked child */
	size_t *nrows, rows_cap;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pagetouch [options] STEP...\n"
		"Map a region, run STEPs on it and show its page-table entries.\n\n"
		"  -s, --size SIZE      region size (default 16K; binary units K, M, G)\n"
		"  -f, --file PATH      map PATH (created, sized) instead of anonymous memory\n"
		"  -S, --shared         MAP_SHARED (default MAP_PRIVATE)\n"
		"  -H, --huge           PMD aligned with MADV_HUGEPAGE (default: MADV_NOHUGEPAGE)\n"
		"  -T, --hugetlb        anonymous hugetlb pages (reserve them in nr_hugepages)\n"
		"  -J, --json           one JSON document: the steps and the entries dumped\n"
		"  -V, --version        version\n"
		"  -h, --help           this help\n\n"
		"Steps (N is a page index from 0, or 'all'):\n"
		"  read:N write:N       load or store a byte of page N\n"
		"  dump                 the entries of the region (also: dump:LABEL)\n"
		"  clear                clear the accessed bits (no TLB flush)\n"
		"  flush                make the CPUs forget our cached translations\n"
		"  ro | rw              mprotect the region read-only / read-write\n"
		"  lock                 mlock the region\n"
		"  pageout              madvise(MADV_PAGEOUT): reclaim it now (to swap)\n"
		"  faults               minor/major page faults so far\n"
		"  fork                 the child runs the remaining steps, then the parent does\n"
		"  sleep:TIME           e.g. sleep:500ms, sleep:2s (a bare number is seconds)\n"
		"\nExit status: 0 done, 1 failed (device, mapping, a step), 2 bad usage.\n");
}

/* ---- the plan ------------------------------------------------------------ */

static void bad_step(const char *s, const char *fmt, size_t a, size_t b)
{
	char why[128];

	snprintf(why, sizeof(why), fmt, a, b);
	vl_usage_error("step '%s': %s", s, why);
}

static void parse_pages(const char *s, const char *arg, size_t npages,
			struct step *st)
{
	uint64_t n;
	const char *why;

	if (!strcmp(arg, "all")) {
		st->first = 0;
		st->last = npages - 1;
		return;
	}
	why = vl_parse_uint(arg, 0, UINT64_MAX, &n);
	if (why)
		vl_usage_error("step '%s': %s", s, why);
	if (n >= npages)
		bad_step(s, "page %zu is outside the region (pages 0 to %zu)",
			 (size_t)n, npages - 1);
	st->first = st->last = (size_t)n;
}

static const struct {
	const char *name;
	enum step_kind kind;
} plain_steps[] = {
	{ "dump", S_DUMP },	{ "clear", S_CLEAR }, { "flush", S_FLUSH },
	{ "ro", S_RO },		{ "rw", S_RW },	      { "lock", S_LOCK },
	{ "faults", S_FAULTS }, { "fork", S_FORK },   { "pageout", S_PAGEOUT },
};

static void parse_step(const char *s, size_t npages, struct step *st)
{
	const char *colon = strchr(s, ':'), *arg = colon ? colon + 1 : NULL;
	size_t klen = colon ? (size_t)(colon - s) : strlen(s), i;
	const char *why;

	memset(st, 0, sizeof(*st));
	st->text = s;
	for (i = 0; !colon && i < sizeof(plain_steps) / sizeof(plain_steps[0]);
	     i++) {
		if (!strcmp(s, plain_steps[i].name)) {
			st->kind = plain_steps[i].kind;
			return;
		}
	}
	if (colon && klen == 4 && !strncmp(s, "dump", 4) && *arg) {
		st->kind = S_DUMP;
		st->label = arg;
	} else if (colon && ((klen == 4 && !strncmp(s, "read", 4)) ||
			     (klen == 5 && !strncmp(s, "write", 5)))) {
		st->kind = s[0] == 'r' ? S_READ : S_WRITE;
		parse_pages(s, arg, npages, st);
	} else if (colon && klen == 5 && !strncmp(s, "sleep", 5)) {
		st->kind = S_SLEEP;
		why = vl_parse_duration(arg, 0, 3600 * VL_NSEC_PER_SEC,
					&st->ns);
		if (why)
			vl_usage_error("step '%s': %s", s, why);
	} else {
		vl_usage_error("unknown step '%s' (see pagetouch --help)", s);
	}
}

/* ---- output ---------------------------------------------------------------- */

/* Room for every row the plan can make (each fork doubles what follows). */
static int alloc_rows(struct ctx *c, const struct step *steps, int n)
{
	size_t cap = 1, per = 1, npages = c->len / VMLAB_PT_PAGE;
	int i;

	for (i = 0; i < n; i++) {
		per *= steps[i].kind == S_FORK ? 2 : 1;
		cap += per * (steps[i].kind == S_DUMP ? npages + 1 : 1);
	}
	c->rows_cap = cap;
	c->nrows = mmap(NULL, sizeof(size_t) + cap * sizeof(struct row),
			PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (c->nrows == MAP_FAILED)
		return -errno;
	c->rows = (struct row *)(c->nrows + 1);
	return 0;
}

static struct row *new_row(const struct ctx *c, unsigned int step)
{
	struct row *r;

	if (*c->nrows == c->rows_cap)
		return NULL;
	r = &c->rows[(*c->nrows)++];
	r->step = step;
	snprintf(r->who, sizeof(r->who), "%s", c->who);
	r->value = -1;
	return r;
}

/* What a step did: a line now, or a JSON row. */
static void say(const struct ctx *c, unsigned int step, int64_t value,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void say(const struct ctx *c, unsigned int step, int64_t value,
		const char *fmt, ...)
{
	char text[80];
	struct row *r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!c->json) {
		printf("%s%s%s\n", c->who, *c->who ? ": " : "", text);
		fflush(stdout); /* a script may wait for this line */
		return;
	}
	r = new_row(c, step);
	if (r) {
		r->value = value;
		memcpy(r->text, text, sizeof(text));
	}
}

static const struct vl_col page_cols[] = {
	{ "PAGE", 0 }, { "VA", 0 }, { "PFN", VL_NUM }, { "P", 0 },
	{ "A", 0 },    { "D", 0 },  { "W", 0 },	       { "FLAGS", 0 },
};

static void fill_page(struct libscols_line *ln, size_t col, uint64_t page,
		      const struct vmlab_pte *r, bool json)
{
	char huge[24] = "";

	if (r->level == VMLAB_LEVEL_PMD && !json)
		snprintf(huge, sizeof(huge), " (%zuM)", vl_pmd_size() >> 20);
	vl_line_set_fmt(ln, col, "%" PRIu64 "%s", page, huge);
	vl_line_set_hex(ln, col + 1, r->va);
	vl_line_set_u64(ln, col + 2, r->pfn);
	vl_line_set_bool(ln, col + 3, r->flags & VMLAB_PTE_PRESENT);
	vl_line_set_bool(ln, col + 4, r->flags & VMLAB_PTE_ACCESSED);
	vl_line_set_bool(ln, col + 5, r->flags & VMLAB_PTE_DIRTY);
	vl_line_set_bool(ln, col + 6, r->flags & VMLAB_PTE_WRITE);
	vl_line_set_fmt(ln, col + 7, "%s%s%s raw=0x%" PRIx64,
			r->flags & VMLAB_PTE_ZERO_PAGE ? "zero-page " : "",
			r->flags & VMLAB_PTE_HUGE ? "huge " : "",
			r->flags & VMLAB_PTE_SWAP ? "swap " : "",
			(uint64_t)r->entry);
}

/* The entries of the region: a table now, or JSON rows. */
static int dump(const struct ctx *c, unsigned int step, const char *label)
{
	struct libscols_table *tb = NULL;
	struct vmlab_pte recs[512];
	struct vmlab_pt_query q;
	uintptr_t base = (uintptr_t)c->base;
	unsigned int i;
	int ret = 0;

	if (!c->json && !(tb = VL_TABLE("pages", false, page_cols)))
		return -ENOMEM;
	memset(&q, 0, sizeof(q));
	q.start = base;
	q.end = base + c->len;
	while (!ret && q.start < q.end) {
		q.count = 512;
		q.entries = (uintptr_t)recs;
		ret = VMLAB_CALL(c->fd, VMLAB_IOC_PT_QUERY, &q);
		for (i = 0; !ret && i < q.count; i++) {
			uint64_t va = recs[i].va < base ? base : recs[i].va;
			uint64_t page = (va - base) / VMLAB_PT_PAGE;
			struct libscols_line *ln;
			struct row *r;

			if (tb && (ln = vl_line(tb, NULL))) {
				fill_page(ln, 0, page, &recs[i], false);
			} else if (!tb && (r = new_row(c, step))) {
				r->is_entry = true;
				r->page = page;
				r->rec = recs[i];
				snprintf(r->text, sizeof(r->text), "%s",
					 label ? label : "");
			}
		}
	}
	if (!tb)
		return ret;
	if (!ret) {
		printf("%s%s%s (%zu pages, no line: no entry)\n", c->who,
		       *c->who ? ": " : "", label ? label : "entries",
		       c->len / VMLAB_PT_PAGE);
		return vl_doc_add(&(struct vl_doc){ .json = false }, tb);
	}
	scols_unref_table(tb);
	return ret;
}

static const struct vl_col step_cols[] = {
	{ "STEP", VL_NUM },  { "WHO", 0 },  { "ACTION", 0 },
	{ "VALUE", VL_NUM }, { "TEXT", 0 },
};

static const struct vl_col entry_cols[] = {
	{ "STEP", VL_NUM }, { "WHO", 0 },     { "LABEL", 0 },
	{ "PAGE", VL_NUM }, { "VA", 0 },      { "PFN", VL_NUM },
	{ "P", VL_BOOL },   { "A", VL_BOOL }, { "D", VL_BOOL },
	{ "W", VL_BOOL },   { "FLAGS", 0 },
};

/* --json: the rows of every process, as one document. */
static int print_rows(const struct ctx *c, char **argv)
{
	struct libscols_table *st = VL_TABLE("steps", true, step_cols);
	struct libscols_table *en = VL_TABLE("entries", true, entry_cols);
	struct vl_doc doc;
	size_t i;
	int ret;

	vl_doc_init(&doc, true);
	for (i = 0; st && en && i < *c->nrows; i++) {
		const struct row *r = &c->rows[i];
		struct libscols_line *ln = vl_line(r->is_entry ? en : st, NULL);

		if (!ln)
			break;
		vl_line_set_u64(ln, 0, r->step);
		scols_line_set_data(ln, 1, r->who);
		if (r->is_entry) {
			vl_line_set_name(ln, 2, r->text, sizeof(r->text));
			fill_page(ln, 3, r->page, &r->rec, true);
			continue;
		}
		scols_line_set_data(ln, 2, argv[r->step]);
		if (r->value >= 0)
			vl_line_set_i64(ln, 3, r->value);
		vl_line_set_name(ln, 4, r->text, sizeof(r->text));
	}
	ret = vl_doc_add(&doc, st);
	if (!ret)
		ret = vl_doc_add(&doc, en);
	else
		scols_unref_table(en);
	return ret ? ret : vl_doc_end(&doc);
}

/* ---- running --------------------------------------------------------------- */

static int run_steps(struct ctx *c, const struct step *steps, int i, int n);

static int do_fork(struct ctx *c, const struct step *steps, int i, int n)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		c->who = "child";
		exit(run_steps(c, steps, i, n) ? VL_EXIT_FAIL : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -ECHILD;
	c->who = "parent";
	return run_steps(c, steps, i, n);
}

static int touch_pages(const struct ctx *c, const struct step *st)
{
	volatile char *p = (volatile char *)c->base;
	size_t k;

	for (k = st->first; k <= st->last; k++) {
		if (st->kind == S_READ)
			(void)p[k * VMLAB_PT_PAGE];
		else
			p[k * VMLAB_PT_PAGE] = (char)(k + 1);
	}
	return 0;
}

/* One step (index i of argv): 0 or -errno. */
static int run_step(struct ctx *c, const struct step *st, unsigned int i)
{
	int prot = PROT_READ | (st->kind == S_RW ? PROT_WRITE : 0);
	struct rusage ru;
	int64_t cleared;

	switch (st->kind) {
	case S_READ:
	case S_WRITE:
		touch_pages(c, st);
		say(c, i, (int64_t)(st->last - st->first + 1), "%s", st->text);
		return 0;
	case S_DUMP:
		return dump(c, i, st->label);
	case S_CLEAR:
		cleared = vmlab_pt_clear_accessed(c->fd, (uintptr_t)c->base,
						  (uintptr_t)c->base + c->len);
		if (cleared < 0)
			return (int)cleared;
		say(c, i, cleared,
		    "clear: %" PRId64
		    " accessed bits were set (TLB not flushed)",
		    cleared);
		return 0;
	case S_FLUSH:
		say(c, i, -1, "flush: TLB flushed");
		return vmlab_flush_tlb();
	case S_RO:
	case S_RW:
		if (mprotect(c->base, c->len, prot))
			return -errno;
		say(c, i, -1, "mprotect %s", st->text);
		return 0;
	case S_LOCK:
		if (mlock(c->base, c->len))
			return -errno;
		say(c, i, -1, "lock: mlock");
		return 0;
	case S_PAGEOUT:
		if (madvise(c->base, c->len, MADV_PAGEOUT))
			return -errno;
		say(c, i, -1, "pageout: madvise(MADV_PAGEOUT)");
		return 0;
	case S_FAULTS:
		getrusage(RUSAGE_SELF, &ru);
		say(c, i, ru.ru_minflt, "faults: %ld minor, %ld major",
		    ru.ru_minflt, ru.ru_majflt);
		return 0;
	case S_SLEEP:
		vl_sleep_ns(st->ns);
		return 0;
	case S_FORK:
		break;
	}
	return -EINVAL;
}

/* Run steps[i..n) (argv[i..n)): 0 or -errno. */
static int run_steps(struct ctx *c, const struct step *steps, int i, int n)
{
	int ret = 0;

	for (; i < n && !ret; i++) {
		if (steps[i].kind == S_FORK)
			return do_fork(c, steps, i + 1, n);
		ret = run_step(c, &steps[i], (unsigned int)i);
		if (ret)
			vl_error("%s%sstep '%s': %s", c->who,
				 *c->who ? ": " : "", steps[i].text,
				 strerror(-ret));
	}
	return ret;
}

static char *map_region(size_t len, const char *file, bool shared, bool huge,
			bool tlb)
{
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) |
		    (tlb ? MAP_HUGETLB : 0),
	    f = -1;
	size_t maplen = huge ? len + vl_pmd_size() : len;
	char *p;

	if (file) {
		f = open(file, O_RDWR | O_CREAT, 0644);
		if (f < 0 || ftruncate(f, (off_t)len))
			return NULL;
		maplen = len;
	} else {
		flags |= MAP_ANONYMOUS;
	}
	p = mmap(NULL, maplen, PROT_READ | PROT_WRITE, flags, f, 0);
	if (f >= 0)
		close(f);
	if (p == MAP_FAILED)
		return NULL;
	if (tlb)
		return p;
	if (huge && !file) {
		p = (char *)(((uintptr_t)p + vl_pmd_size() - 1) &
			     ~(vl_pmd_size() - 1));
		madvise(p, len, MADV_HUGEPAGE);
	} else {
		madvise(p, len, MADV_NOHUGEPAGE);
	}
	return p;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "file", required_argument, NULL, 'f' },
		{ "shared", no_argument, NULL, 'S' },
		{ "huge", no_argument, NULL, 'H' },
		{ "hugetlb", no_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx c = { .len = 4 * VMLAB_PT_PAGE, .who = "" };
	const char *file = NULL;
	bool shared = false, huge = false, tlb = false;
	struct step *steps;
	int opt, i, ret;

	vl_init(argv, "pagetouch");
	while ((opt = getopt_long(argc, argv, "s:f:SHTJVh", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 's':
			c.len = vl_opt_pages("--size", optarg, 1ULL << 34);
			break;
		case 'f':
			file = optarg;
			break;
		case 'S':
			shared = true;
			break;
		case 'H':
			huge = true;
			break;
		case 'T':
			tlb = true;
			break;
		case 'J':
			c.json = true;
			break;
		default:
			vl_other_option(opt, usage);
		}
	}
	if (optind == argc)
		vl_usage_error("no STEP given");
	steps = calloc((size_t)argc, sizeof(*steps));
	if (!steps)
		return VL_EXIT_FAIL;
	for (i = optind; i < argc; i++)
		parse_step(argv[i], c.len / VMLAB_PT_PAGE, &steps[i]);
	c.fd = vl_device_open();
	if (c.fd < 0)
		return VL_EXIT_FAIL;
	c.base = map_region(c.len, file, shared, huge, tlb);
	if (!c.base) {
		vl_error("map %s: %s", file ? file : "anonymous memory",
			 strerror(errno));
		return VL_EXIT_FAIL;
	}
	ret = c.json ? alloc_rows(&c, steps, argc) : 0;
	if (!ret)
		ret = run_steps(&c, steps, optind, argc);
	if (!ret && c.json)
		ret = print_rows(&c, argv);
	return ret ? VL_EXIT_FAIL : 0;
}
