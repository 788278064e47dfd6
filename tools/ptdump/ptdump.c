// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump: the page-table entries of a live process's user space, as
 * coalesced ranges (like the kernel's own ptdump of kernel space), page
 * by page, or one address walked level by level.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libvmlab.h"
#include "table.h"
#include "vmlab_pt.h"

#define BATCH 4096	/* records per ioctl */

struct vma {
	uint64_t start, end;
	char perms[5];
	char label[256];
};

struct opts {
	pid_t pid;		/* 0: this process */
	bool pages, levels, json, summary, have_range, have_explain;
	uint64_t start, end, explain;
	double wait;
	unsigned int bench;
	char **cmd;
};

struct target {
	int fd;			/* /dev/vmlab */
	int pagemap;		/* /proc/PID/pagemap, or -1 for ourselves */
	int levels;		/* 4 or 5 */
	struct vma *vmas;
	size_t nvmas;
};

/*
 * One coalesced run of entries with the same attributes. The module
 * already merges entries with identical flags (VMLAB_PT_RUNS); here runs
 * that differ only in counted bits (A, D...) merge further, within a VMA.
 */
struct run {
	uint64_t start, end;
	uint32_t key, level;
	const struct vma *vma;
	uint64_t entries, present, accessed, dirty;
};

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ VMLAB_PTE_PRESENT, "P" }, { VMLAB_PTE_ACCESSED, "A" }, { VMLAB_PTE_DIRTY, "D" },
	{ VMLAB_PTE_WRITE, "W" }, { VMLAB_PTE_USER, "U" }, { VMLAB_PTE_NX, "NX" },
	{ VMLAB_PTE_GLOBAL, "G" }, { VMLAB_PTE_PWT, "PWT" }, { VMLAB_PTE_PCD, "PCD" },
	{ VMLAB_PTE_HUGE, "huge" }, { VMLAB_PTE_SWAP, "swap" },
	{ VMLAB_PTE_MIGRATION, "migration" }, { VMLAB_PTE_SOFT_DIRTY, "sd" },
	{ VMLAB_PTE_SPECIAL, "special" }, { VMLAB_PTE_ZERO_PAGE, "zero" },
};

/* Bits that do not split a run: they are counted instead, or incidental. */
#define RUN_IGNORED (VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY | VMLAB_PTE_SOFT_DIRTY | \
		     VMLAB_PTE_ZERO_PAGE | VMLAB_PTE_SPECIAL)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ptdump [options] [PID]\n"
		"       ptdump [options] -- CMD [ARG...]\n"
		"Show the page-table entries of a process's user space (default: ptdump itself).\n\n"
		"  -p, --pages          one line per page (or huge page) instead of ranges\n"
		"  -l, --levels         with --pages: the PGD/P4D/PUD/PMD entries above each\n"
		"  -r, --range A-B      only [A, B) (hex addresses, page aligned)\n"
		"  -e, --explain VA     decompose VA into table indexes and walk it\n"
		"  -s, --summary        only the page-table pages per level and their cost\n"
		"  -w, --wait SECONDS   with CMD: dump after this long (default 0.3)\n"
		"  -J, --json           JSON output\n"
		"  -b, --bench N        time N range walks against reading /proc/PID/pagemap\n"
		"  -h, --help           this help\n");
}

static int parse_addr(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 16);
	return (errno || end == s || *end) ? -EINVAL : 0;
}

static int parse_range(const char *s, struct opts *o)
{
	char buf[64], *dash;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (!dash)
		return -EINVAL;
	*dash = 0;
	if (parse_addr(buf, &o->start) || parse_addr(dash + 1, &o->end))
		return -EINVAL;
	if (o->start % VMLAB_PT_PAGE || o->end % VMLAB_PT_PAGE || o->start >= o->end)
		return -EINVAL;
	o->have_range = true;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "pages", no_argument, NULL, 'p' },
		{ "levels", no_argument, NULL, 'l' },
		{ "range", required_argument, NULL, 'r' },
		{ "explain", required_argument, NULL, 'e' },
		{ "summary", no_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'J' },
		{ "bench", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long n;
	int c;

	memset(o, 0, sizeof(*o));
	o->wait = 0.3;
	while ((c = getopt_long(argc, argv, "+plr:e:sw:Jb:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->pages = true; break;
		case 'l': o->levels = o->pages = true; break;
		case 's': o->summary = true; break;
		case 'J': o->json = true; break;
		case 'r':
			if (parse_range(optarg, o)) {
				fprintf(stderr, "ptdump: bad range '%s' (want A-B, hex, page aligned, A < B)\n", optarg);
				return 2;
			}
			break;
		case 'e':
			if (parse_addr(optarg, &o->explain)) {
				fprintf(stderr, "ptdump: bad address '%s'\n", optarg);
				return 2;
			}
			o->have_explain = true;
			break;
		case 'w':
			o->wait = strtod(optarg, &end);
			if (*end || end == optarg || !(o->wait >= 0 && o->wait < 3600)) {
				fprintf(stderr, "ptdump: bad wait '%s'\n", optarg);
				return 2;
			}
			break;
		case 'b':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1000) {
				fprintf(stderr, "ptdump: bad repetition count '%s'\n", optarg);
				return 2;
			}
			o->bench = (unsigned int)n;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") == 0) {
		o->cmd = argv + optind;
	} else if (optind < argc) {
		o->pid = (pid_t)strtol(argv[optind], &end, 10);
		if (*end || o->pid <= 0 || optind + 1 < argc) {
			usage(stderr);
			return 2;
		}
	}
	return 0;
}

static int load_maps(pid_t pid, struct target *t)
{
	char path[64], line[512];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), pid ? "/proc/%d/maps" : "/proc/self/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct vma *v;
		int off = 0;

		if (t->nvmas == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(t->vmas, cap * sizeof(*v));
			if (!v) {
				fclose(f);
				return -ENOMEM;
			}
			t->vmas = v;
		}
		v = &t->vmas[t->nvmas];
		memset(v, 0, sizeof(*v));
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %*s %*s %*s %n",
			   &v->start, &v->end, v->perms, &off) < 3)
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(v->label, sizeof(v->label), "%s", off ? line + off : "");
		if (!v->label[0])
			strcpy(v->label, "[anon]");
		t->nvmas++;
	}
	fclose(f);
	return 0;
}

static const struct vma *find_vma(const struct target *t, uint64_t va)
{
	size_t lo = 0, hi = t->nvmas;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (va < t->vmas[mid].start)
			hi = mid;
		else if (va >= t->vmas[mid].end)
			lo = mid + 1;
		else
			return &t->vmas[mid];
	}
	return NULL;
}

static uint64_t level_size(uint32_t level)
{
	return level == VMLAB_LEVEL_PUD ? 1ULL << 30 :
	       level == VMLAB_LEVEL_PMD ? 1ULL << 21 : VMLAB_PT_PAGE;
}

static const char *level_name(uint32_t level)
{
	static const char *const names[] = { "?", "4K", "2M", "1G" };

	return level < 4 ? names[level] : "?";
}

static void flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]) && n < len; i++)
		if (flags & flag_names[i].bit)
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "", flag_names[i].name);
}

/* Call fn for each record of [start, end), in address order. */
static int walk(const struct target *t, uint64_t start, uint64_t end, uint32_t flags,
		int (*fn)(const struct vmlab_pte *r, void *ctx), void *ctx)
{
	static struct vmlab_pte recs[BATCH];
	struct vmlab_pt_query q;
	unsigned int i;
	int ret;

	memset(&q, 0, sizeof(q));
	q.start = start;
	q.end = end;
	if (t->pagemap >= 0) {
		q.flags |= VMLAB_PT_PAGEMAP_FD;
		q.pagemap_fd = t->pagemap;
	}
	q.flags |= flags;
	while (q.start < q.end) {
		q.count = BATCH;
		q.entries = (uintptr_t)recs;
		ret = VMLAB_CALL(t->fd, VMLAB_IOC_PT_QUERY, &q);
		if (ret)
			return ret;
		for (i = 0; i < q.count; i++) {
			ret = fn(&recs[i], ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static struct libscols_table *new_table(const char *name, bool json, const char *const *cols,
					const bool *numeric, size_t ncols)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, name);
	for (i = 0; i < ncols; i++) {
		struct libscols_column *cl = scols_table_new_column(tb, cols[i], 0,
								    numeric[i] ? SCOLS_FL_RIGHT : 0);

		if (json && numeric[i])
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return tb;
}

static void set_hex(struct libscols_line *ln, int col, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	scols_line_set_data(ln, col, buf);
}

static void set_size(struct libscols_line *ln, int col, uint64_t bytes, bool json)
{
	char buf[32];

	if (json)
		snprintf(buf, sizeof(buf), "%" PRIu64, bytes);
	else if (bytes >= 1ULL << 30 && !(bytes % (1ULL << 30)))
		snprintf(buf, sizeof(buf), "%" PRIu64 "G", bytes >> 30);
	else if (bytes >= 1ULL << 20 && !(bytes % (1ULL << 20)))
		snprintf(buf, sizeof(buf), "%" PRIu64 "M", bytes >> 20);
	else
		snprintf(buf, sizeof(buf), "%" PRIu64 "K", bytes >> 10);
	scols_line_set_data(ln, col, buf);
}

/* ---- --pages -------------------------------------------------------------- */

struct pages_ctx {
	const struct target *t;
	struct libscols_table *tb;
	bool levels, json;
};

static int page_line(const struct vmlab_pte *r, void *arg)
{
	struct pages_ctx *c = arg;
	struct libscols_line *ln = scols_table_new_line(c->tb, NULL);
	const struct vma *v = find_vma(c->t, r->va);
	char flags[128];
	int col = 0, i;

	if (!ln)
		return -ENOMEM;
	set_hex(ln, col++, r->va);
	scols_line_set_data(ln, col++, level_name(r->level));
	set_hex(ln, col++, r->entry);
	vl_line_set_u64(ln, col++, r->pfn);
	flags_str(r->flags, flags, sizeof(flags));
	scols_line_set_data(ln, col++, flags);
	if (c->levels)
		for (i = 0; i < 4; i++)
			set_hex(ln, col++, r->upper[i]);
	scols_line_set_data(ln, col, v ? v->label : "");
	return 0;
}

static int dump_pages(const struct target *t, const struct opts *o)
{
	static const char *const cols[] = { "VA", "SIZE", "ENTRY", "PFN", "FLAGS",
					    "PGD", "P4D", "PUD", "PMD", "MAPPING" };
	static const bool num[] = { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const char *const short_cols[] = { "VA", "SIZE", "ENTRY", "PFN", "FLAGS", "MAPPING" };
	static const bool short_num[] = { 0, 0, 0, 1, 0, 0 };
	struct pages_ctx c = { .t = t, .levels = o->levels, .json = o->json };
	int ret;

	c.tb = o->levels ? new_table("pages", o->json, cols, num, 10)
			 : new_table("pages", o->json, short_cols, short_num, 6);
	if (!c.tb)
		return -ENOMEM;
	ret = walk(t, o->start, o->end, o->levels ? VMLAB_PT_LEVELS : 0, page_line, &c);
	if (!ret)
		scols_print_table(c.tb);
	scols_unref_table(c.tb);
	return ret;
}

/* ---- ranges ---------------------------------------------------------------- */

struct ranges_ctx {
	const struct target *t;
	struct libscols_table *tb;
	bool json;
	struct run run;
	uint64_t present, accessed, dirty, bytes;
};

static void run_perm(uint32_t flags, char *buf)
{
	bool p = flags & VMLAB_PTE_PRESENT;

	buf[0] = p ? 'r' : '-';
	buf[1] = p && (flags & VMLAB_PTE_WRITE) ? 'w' : '-';
	buf[2] = p && !(flags & VMLAB_PTE_NX) ? 'x' : '-';
	buf[3] = flags & VMLAB_PTE_USER ? 'u' : 's';
	buf[4] = 0;
}

static int flush_run(struct ranges_ctx *c)
{
	struct run *r = &c->run;
	struct libscols_line *ln;
	char perm[8], flags[128];

	if (!r->entries)
		return 0;
	ln = scols_table_new_line(c->tb, NULL);
	if (!ln)
		return -ENOMEM;
	set_hex(ln, 0, r->start);
	set_hex(ln, 1, r->end);
	set_size(ln, 2, r->end - r->start, c->json);
	scols_line_set_data(ln, 3, level_name(r->level));
	run_perm(r->key, perm);
	scols_line_set_data(ln, 4, perm);
	flags_str(r->key & ~(VMLAB_PTE_PRESENT | VMLAB_PTE_WRITE | VMLAB_PTE_USER |
			     VMLAB_PTE_NX | VMLAB_PTE_HUGE), flags, sizeof(flags));
	scols_line_set_data(ln, 5, flags);
	vl_line_set_u64(ln, 6, r->present);
	vl_line_set_u64(ln, 7, r->accessed);
	vl_line_set_u64(ln, 8, r->dirty);
	scols_line_set_data(ln, 9, r->vma ? r->vma->label : "");
	c->present += r->present;
	c->accessed += r->accessed;
	c->dirty += r->dirty;
	c->bytes += r->end - r->start;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* Add [va, end) of record p, all inside VMA v (or outside every VMA). */
static int range_add(struct ranges_ctx *c, const struct vmlab_pte *p, uint64_t va,
		     uint64_t end, const struct vma *v)
{
	struct run *r = &c->run;
	uint32_t key = p->flags & ~RUN_IGNORED;
	uint64_t n = (end - va) / level_size(p->level);
	int ret;

	if (!r->entries || va != r->end || key != r->key || p->level != r->level ||
	    v != r->vma) {
		ret = flush_run(c);
		if (ret)
			return ret;
		r->start = va;
		r->key = key;
		r->level = p->level;
		r->vma = v;
	}
	r->end = end;
	r->entries += n;
	r->present += p->flags & VMLAB_PTE_PRESENT ? n : 0;
	r->accessed += p->flags & VMLAB_PTE_ACCESSED ? n : 0;
	r->dirty += p->flags & VMLAB_PTE_DIRTY ? n : 0;
	return 0;
}

/* A record may stand for a run crossing VMAs: split it at their edges. */
static int range_rec(const struct vmlab_pte *p, void *arg)
{
	struct ranges_ctx *c = arg;
	uint64_t va = p->va, end = p->va + p->nr * level_size(p->level);
	int ret = 0;

	while (!ret && va < end) {
		const struct vma *v = find_vma(c->t, va);
		uint64_t stop = end;
		size_t i;

		if (v && v->end < stop)
			stop = v->end;
		for (i = 0; !v && i < c->t->nvmas; i++) {
			if (c->t->vmas[i].start > va) {
				if (c->t->vmas[i].start < stop)
					stop = c->t->vmas[i].start;
				break;
			}
		}
		ret = range_add(c, p, va, stop, v);
		va = stop;
	}
	return ret;
}

static int dump_ranges(const struct target *t, const struct opts *o)
{
	static const char *const cols[] = { "START", "END", "SIZE", "PAGE", "PERM", "FLAGS",
					    "PRESENT", "ACCESSED", "DIRTY", "MAPPING" };
	static const bool num[] = { 0, 0, 1, 0, 0, 0, 1, 1, 1, 0 };
	struct ranges_ctx c = { .t = t, .json = o->json };
	int ret;

	c.tb = new_table("ranges", o->json, cols, num, 10);
	if (!c.tb)
		return -ENOMEM;
	ret = walk(t, o->start, o->end, VMLAB_PT_RUNS, range_rec, &c);
	if (!ret)
		ret = flush_run(&c);
	if (!ret) {
		scols_print_table(c.tb);
		if (!o->json)
			printf("\n%" PRIu64 " KiB mapped: %" PRIu64 " entries present, %" PRIu64
			       " accessed, %" PRIu64 " dirty\n",
			       c.bytes >> 10, c.present, c.accessed, c.dirty);
	}
	scols_unref_table(c.tb);
	return ret;
}

/* ---- summary ----------------------------------------------------------------- */

static int dump_summary(const struct target *t, const struct opts *o)
{
	static const char *const cols[] = { "LEVEL", "TABLES", "BYTES", "MAPS_EACH" };
	static const bool num[] = { 0, 1, 1, 0 };
	static const char *const names[] = { "PTE", "PMD", "PUD", "P4D", "PGD" };
	static const char *const spans[] = { "4K", "2M", "1G", "512G", "256T" };
	struct libscols_table *tb;
	struct vmlab_pt_query q;
	uint64_t total = 0;
	int i, ret;

	memset(&q, 0, sizeof(q));
	q.start = o->start;
	q.end = o->end;
	if (t->pagemap >= 0) {
		q.flags = VMLAB_PT_PAGEMAP_FD;
		q.pagemap_fd = t->pagemap;
	}
	ret = VMLAB_CALL(t->fd, VMLAB_IOC_PT_QUERY, &q);
	if (ret)
		return ret;
	tb = new_table("pagetables", o->json, cols, num, 4);
	if (!tb)
		return -ENOMEM;
	for (i = 4; i >= 0; i--) {
		struct libscols_line *ln;

		if (i == 3 && q.levels == 4)
			continue;	/* folded into the PGD */
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		scols_line_set_data(ln, 0, names[i]);
		vl_line_set_u64(ln, 1, q.tables[i]);
		vl_line_set_u64(ln, 2, q.tables[i] * VMLAB_PT_PAGE);
		scols_line_set_data(ln, 3, i == 4 && q.levels == 4 ? "512G" : spans[i]);
		total += q.tables[i];
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	if (!o->json)
		printf("%d-level paging: %" PRIu64 " page-table pages = %" PRIu64 " KiB"
		       " (each table: 512 entries of 8 bytes)\n",
		       q.levels, total, total * VMLAB_PT_PAGE >> 10);
	return 0;
}

/* ---- --explain ------------------------------------------------------------------ */

struct explain_ctx {
	struct vmlab_pte rec;
	bool found;
};

static int explain_rec(const struct vmlab_pte *r, void *arg)
{
	struct explain_ctx *c = arg;

	c->rec = *r;
	c->found = true;
	return 1;	/* the first record is the one */
}

static bool canonical(uint64_t va, int bits)
{
	int64_t s = (int64_t)(va << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == va;
}

static void explain_layout(uint64_t va, int levels)
{
	static const char *const five[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	static const char *const four[] = { "PGD (PML4)", "PUD (PDPT)", "PMD (PD)", "PTE (PT)" };
	int bits = levels == 5 ? 57 : 48, i, n = levels;

	printf("%d-level paging: %d-bit virtual addresses, canonical when bits 63..%d all equal bit %d: %s\n",
	       levels, bits, bits - 1, bits - 1, canonical(va, bits) ? "yes" : "NO");
	for (i = 0; i < n; i++) {
		int shift = 12 + 9 * (n - 1 - i);

		printf("  %-11s bits %2d..%2d  index %3u\n", levels == 5 ? five[i] : four[i],
		       shift + 8, shift, (unsigned int)((va >> shift) & 511));
	}
	printf("  %-11s bits 11.. 0  0x%03" PRIx64 "\n", "offset", va & 4095);
}

static int explain(const struct target *t, const struct opts *o)
{
	static const char *const upper[] = { "PGD", "P4D", "PUD", "PMD" };
	uint64_t va = o->explain, top = vmlab_pt_task_size(t->levels);
	struct explain_ctx c = { 0 };
	char flags[128];
	int i, ret;

	printf("address 0x%016" PRIx64 "\n", va);
	explain_layout(va, t->levels);
	if (t->levels == 5) {
		printf("the lecture's 4-level layout (boot with no5lvl) would read it as:\n");
		explain_layout(va, 4);
	}
	if (va >= top) {
		printf("not a user address of this process (user space ends at 0x%" PRIx64 ")\n", top);
		return 0;
	}
	ret = walk(t, va & ~(VMLAB_PT_PAGE - 1), (va & ~(VMLAB_PT_PAGE - 1)) + VMLAB_PT_PAGE,
		   VMLAB_PT_LEVELS, explain_rec, &c);
	if (ret < 0)
		return ret;
	if (!c.found) {
		const struct vma *v = find_vma(t, va);

		printf("walk: no entry maps this page (%s)\n",
		       v ? "inside a mapping, not touched yet: a fault would fill it" :
			   "outside every mapping: a fault would be SIGSEGV");
		return 0;
	}
	printf("walk:\n");
	for (i = 0; i < 4 && i < (int)(4 - c.rec.level + 1); i++) {
		if (i == 1 && t->levels == 4)
			continue;
		printf("  %-3s entry 0x%016" PRIx64 "  %s\n", upper[i], (uint64_t)c.rec.upper[i],
		       c.rec.upper[i] & 1 ? "present, points to the next table" : "");
	}
	flags_str(c.rec.flags, flags, sizeof(flags));
	printf("  %-3s entry 0x%016" PRIx64 "  leaf: %s page at 0x%" PRIx64 ", pfn %" PRIu64
	       "%s, flags %s\n",
	       c.rec.level == VMLAB_LEVEL_PTE ? "PTE" : c.rec.level == VMLAB_LEVEL_PMD ? "PMD" : "PUD",
	       (uint64_t)c.rec.entry, level_name(c.rec.level), (uint64_t)c.rec.va,
	       (uint64_t)c.rec.pfn,
	       c.rec.pfn ? "" : " (hidden without CAP_SYS_ADMIN)", flags);
	if (c.rec.pfn)
		printf("  physical address 0x%" PRIx64 "\n",
		       (uint64_t)(c.rec.pfn * VMLAB_PT_PAGE + (va - c.rec.va)));
	return 0;
}

/* ---- --bench ---------------------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The default view's work (walk and coalesce), without printing: pages seen. */
static int timed_ranges(const struct target *t, uint64_t start, uint64_t end, uint64_t *pages)
{
	static const char *const cols[] = { "START", "END", "SIZE", "PAGE", "PERM", "FLAGS",
					    "PRESENT", "ACCESSED", "DIRTY", "MAPPING" };
	static const bool num[10];
	struct ranges_ctx c = { .t = t };
	int ret;

	c.tb = new_table("ranges", false, cols, num, 10);
	if (!c.tb)
		return -ENOMEM;
	ret = walk(t, start, end, VMLAB_PT_RUNS, range_rec, &c);
	if (!ret)
		ret = flush_run(&c);
	*pages = c.present;
	scols_unref_table(c.tb);
	return ret;
}

/* What a pagemap reader does: read 8 bytes per page, count the present ones. */
static int timed_pagemap(int pm, uint64_t start, uint64_t end, uint64_t *pages)
{
	static uint64_t buf[65536];
	uint64_t off = start / VMLAB_PT_PAGE * 8, stop = end / VMLAB_PT_PAGE * 8;
	ssize_t got, i;

	*pages = 0;
	while (off < stop) {
		size_t want = stop - off < sizeof(buf) ? stop - off : sizeof(buf);

		got = pread(pm, buf, want, (off_t)off);
		if (got <= 0)
			return got ? -errno : -EIO;
		for (i = 0; i < got / 8; i++)
			*pages += buf[i] >> 63;
		off += (uint64_t)got;
	}
	return 0;
}

/*
 * One line per repetition, "REP PT_PAGES PT_NS PAGEMAP_PAGES PAGEMAP_NS",
 * alternating which side goes first; then "sparse FULL_SCAN_NS" for the
 * default view over the whole user space.
 */
static int bench(const struct target *t, const struct opts *o)
{
	uint64_t a, b, pt_pages = 0, pm_pages = 0, pt_ns, pm_ns, full;
	int pm = t->pagemap >= 0 ? t->pagemap : open("/proc/self/pagemap", O_RDONLY);
	unsigned int rep;
	int ret = 0;

	if (pm < 0)
		return -errno;
	printf("rep ptdump_pages ptdump_ns pagemap_pages pagemap_ns\n");
	for (rep = 0; rep < o->bench && !ret; rep++) {
		if (rep % 2) {
			a = now_ns();
			ret = timed_pagemap(pm, o->start, o->end, &pm_pages);
			b = now_ns();
			pm_ns = b - a;
			ret = ret ? ret : timed_ranges(t, o->start, o->end, &pt_pages);
			pt_ns = now_ns() - b;
		} else {
			a = now_ns();
			ret = timed_ranges(t, o->start, o->end, &pt_pages);
			b = now_ns();
			pt_ns = b - a;
			ret = ret ? ret : timed_pagemap(pm, o->start, o->end, &pm_pages);
			pm_ns = now_ns() - b;
		}
		if (!ret)
			printf("%u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
			       rep, pt_pages, pt_ns, pm_pages, pm_ns);
	}
	for (rep = 0; rep < o->bench && !ret; rep++) {
		a = now_ns();
		ret = timed_ranges(t, 0, vmlab_pt_task_size(t->levels), &pt_pages);
		full = now_ns() - a;
		if (!ret)
			printf("sparse %" PRIu64 " %" PRIu64 "\n", full, pt_pages);
	}
	if (pm != t->pagemap)
		close(pm);
	return ret;
}

/* ---- target ----------------------------------------------------------------------- */

static pid_t start_cmd(char **cmd, double wait)
{
	struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };
	pid_t pid = fork();

	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "ptdump: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		nanosleep(&ts, NULL);
	return pid;
}

static int open_target(struct target *t, pid_t pid)
{
	char path[64];
	int ret;

	t->pagemap = -1;
	t->fd = vmlab_open();
	if (t->fd < 0) {
		fprintf(stderr, "ptdump: open %s: %s\n", VMLAB_DEVICE, strerror(-t->fd));
		return 1;
	}
	if (pid && pid != getpid()) {
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
		t->pagemap = open(path, O_RDONLY);
		if (t->pagemap < 0) {
			fprintf(stderr, "ptdump: %s: %s%s\n", path, strerror(errno),
				errno == EACCES ? " (reading another user's page tables needs"
				" ptrace access, as for /proc/PID/pagemap)" : "");
			return 1;
		}
	}
	t->levels = vmlab_pt_levels(t->fd);
	if (t->levels < 0) {
		fprintf(stderr, "ptdump: page-table query: %s\n", strerror(-t->levels));
		return 1;
	}
	ret = load_maps(pid, t);
	if (ret) {
		fprintf(stderr, "ptdump: maps of %d: %s\n", pid, strerror(-ret));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct target t = { 0 };
	struct opts o;
	pid_t child = 0;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	if (o.cmd) {
		child = start_cmd(o.cmd, o.wait);
		if (child < 0) {
			perror("ptdump: fork");
			return 1;
		}
		o.pid = child;
	}
	ret = open_target(&t, o.pid);
	if (!ret) {
		if (!o.have_range) {
			o.start = 0;
			o.end = vmlab_pt_task_size(t.levels);
		}
		if (o.bench)
			ret = bench(&t, &o);
		else if (o.have_explain)
			ret = explain(&t, &o);
		else if (o.summary)
			ret = dump_summary(&t, &o);
		else if (o.pages)
			ret = dump_pages(&t, &o);
		else if (!(ret = dump_ranges(&t, &o)) && !o.json)
			ret = (putchar('\n'), dump_summary(&t, &o));
		if (ret < 0) {
			fprintf(stderr, "ptdump: %s%s\n", strerror(-ret),
				ret == -ESRCH ? " (the process has exited)" : "");
			ret = 1;
		}
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	return ret;
}
