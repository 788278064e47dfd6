// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump: the page-table entries of a live process's user space, as
 * coalesced ranges (like the kernel's own ptdump of kernel space), page
 * by page, or one address walked level by level.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "parse.h"
#include "ptdump.h"
#include "vmlab_pt.h"

#define BATCH 4096 /* records per ioctl */

struct opts {
	pid_t pid; /* 0: this process */
	bool pages, levels, json, summary, have_range, have_explain, tree;
	const char *svg;
	uint64_t start, end, explain;
	uint64_t wait_ns;
	unsigned int bench;
	char **cmd;
};

static const struct bit_name flag_names[] = {
	{ VMLAB_PTE_PRESENT, "P" },	 { VMLAB_PTE_ACCESSED, "A" },
	{ VMLAB_PTE_DIRTY, "D" },	 { VMLAB_PTE_WRITE, "W" },
	{ VMLAB_PTE_USER, "U" },	 { VMLAB_PTE_NX, "NX" },
	{ VMLAB_PTE_GLOBAL, "G" },	 { VMLAB_PTE_PWT, "PWT" },
	{ VMLAB_PTE_PCD, "PCD" },	 { VMLAB_PTE_HUGE, "huge" },
	{ VMLAB_PTE_SWAP, "swap" },	 { VMLAB_PTE_MIGRATION, "migration" },
	{ VMLAB_PTE_SOFT_DIRTY, "sd" },	 { VMLAB_PTE_SPECIAL, "special" },
	{ VMLAB_PTE_ZERO_PAGE, "zero" },
};

/* Bits that do not split a run: they are counted instead, or incidental. */
#define RUN_IGNORED                                                    \
	(VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY | VMLAB_PTE_SOFT_DIRTY | \
	 VMLAB_PTE_ZERO_PAGE | VMLAB_PTE_SPECIAL)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ptdump [options] [-p PID | PID]\n"
		"       ptdump [options] -- CMD [ARG...]\n"
		"Show the page-table entries of a process's user space (default: ptdump itself).\n\n"
		"  -p, --pid PID        the process (as the PID argument)\n"
		"  -P, --pages          one line per page (or huge page) instead of ranges\n"
		"  -l, --levels         with --pages: the PGD/P4D/PUD/PMD entries above each\n"
		"  -r, --range A-B      only [A, B) (hex addresses, page aligned)\n"
		"  -e, --explain VA     decompose VA (hex) into table indexes and walk it\n"
		"  -s, --summary        only the page-table pages per level and their cost\n"
		"  -w, --wait TIME      with CMD: dump after this long (default 300ms;\n"
		"                       units ns, us, ms, s, min; a bare number is seconds)\n"
		"  -b, --bench N        time N range walks against reading /proc/PID/pagemap\n"
		"                       (a count: k = 1000)\n"
		"      --svg FILE       draw the address space into FILE (SVG); with -J the\n"
		"                       tables still go to stdout\n"
		"      --tree           with --svg: the tree of page-table pages (by dot)\n"
		"  -J, --json           one JSON document\n"
		"  -V, --version        version\n"
		"  -h, --help           this help\n"
		"\nExit status: 0 done, 1 failed (device, permission, process), 2 bad usage.\n");
}

static void parse_range(const char *s, struct opts *o)
{
	const char *dash = strchr(s, '-'), *why;
	char lo[32], aligned[64];

	if (!dash || (size_t)(dash - s) >= sizeof(lo))
		vl_bad_arg("--range", s, "want A-B (hex addresses)");
	memcpy(lo, s, (size_t)(dash - s));
	lo[dash - s] = '\0';
	why = vl_parse_hex(lo, &o->start);
	if (!why)
		why = vl_parse_hex(dash + 1, &o->end);
	if (!why && (o->start % VMLAB_PT_PAGE || o->end % VMLAB_PT_PAGE)) {
		snprintf(
			aligned, sizeof(aligned),
			"addresses must be page aligned (multiples of 0x%" PRIx64
			")",
			VMLAB_PT_PAGE);
		why = aligned;
	}
	if (!why && o->start >= o->end)
		why = "A must be below B";
	if (why)
		vl_bad_arg("--range", s, why);
	o->have_range = true;
}

static void parse_explain(const char *s, struct opts *o)
{
	const char *why = vl_parse_hex(s, &o->explain);

	if (why)
		vl_bad_arg("--explain", s, why);
	o->have_explain = true;
}

static void check_svg(const struct opts *o)
{
	if (o->tree && !o->svg)
		vl_usage_error("--tree draws a picture: give --svg FILE");
	if (o->svg && (o->pages || o->have_explain || o->bench))
		vl_usage_error(
			"--svg draws the ranges: not with --pages, --levels, --explain or --bench");
	if (o->svg && o->summary && !o->tree)
		vl_usage_error("--svg with --summary: give --tree");
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_SVG = 256, O_TREE };
	static const struct option longopts[] = {
		{ "svg", required_argument, NULL, O_SVG },
		{ "tree", no_argument, NULL, O_TREE },
		{ "pid", required_argument, NULL, 'p' },
		{ "pages", no_argument, NULL, 'P' },
		{ "levels", no_argument, NULL, 'l' },
		{ "range", required_argument, NULL, 'r' },
		{ "explain", required_argument, NULL, 'e' },
		{ "summary", no_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'J' },
		{ "bench", required_argument, NULL, 'b' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->wait_ns = 300000000;
	while ((c = getopt_long(argc, argv, "p:Plr:e:sw:Jb:Vh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			o->pid = vl_opt_pid("--pid", optarg);
			break;
		case 'P':
			o->pages = true;
			break;
		case 'l':
			o->levels = o->pages = true;
			break;
		case 's':
			o->summary = true;
			break;
		case 'J':
			o->json = true;
			break;
		case 'r':
			parse_range(optarg, o);
			break;
		case 'e':
			parse_explain(optarg, o);
			break;
		case 'w':
			o->wait_ns = vl_opt_duration("--wait", optarg, 0,
						     3600 * VL_NSEC_PER_SEC);
			break;
		case 'b':
			o->bench = (unsigned int)vl_opt_count("--bench", optarg,
							      1, 1000);
			break;
		case O_SVG:
			o->svg = vl_opt_file("--svg", optarg);
			break;
		case O_TREE:
			o->tree = true;
			break;
		default:
			vl_other_option(c, usage);
		}
	}
	check_svg(o);
	if (optind < argc && !strcmp(argv[optind - 1], "--")) {
		if (o->pid)
			vl_usage_error("give a PID or a command, not both");
		o->cmd = argv + optind;
		return;
	}
	if (optind < argc && o->pid)
		vl_usage_error("give the PID once: -p %d or %s", (int)o->pid,
			       argv[optind]);
	if (optind < argc)
		o->pid = vl_opt_pid("PID", argv[optind++]);
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
}

static int load_maps(pid_t pid, struct target *t)
{
	char path[64], line[512];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), pid ? "/proc/%d/maps" : "/proc/self/maps",
		 pid);
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
		snprintf(v->label, sizeof(v->label), "%s",
			 off ? line + off : "");
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

void ptdump_size_name(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int i = 0;

	bytes >>= 10;
	while (bytes >= 1024 && units[i + 1]) {
		bytes >>= 10;
		i++;
	}
	snprintf(buf, len, "%" PRIu64 "%c", bytes, units[i]);
}

const char *ptdump_level_name(uint32_t level)
{
	static char names[VMLAB_LEVEL_PUD + 1][24];

	if (level < VMLAB_LEVEL_PTE || level > VMLAB_LEVEL_PUD)
		return "?";
	if (!names[level][0])
		ptdump_size_name(vmlab_pt_level_size(level), names[level],
				 sizeof(names[level]));
	return names[level];
}

void ptdump_bit_names(const struct bit_name *names, size_t count,
		      uint32_t flags, char *buf, size_t len)
{
	size_t i, n = strnlen(buf, len);

	for (i = 0; i < count && n < len; i++)
		if (flags & names[i].bit)
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      names[i].name);
}

static void flags_str(uint32_t flags, char *buf, size_t len)
{
	buf[0] = 0;
	ptdump_bit_names(flag_names, sizeof(flag_names) / sizeof(flag_names[0]),
			 flags, buf, len);
}

/* The flags of an entry, and on arm64 the architecture's bits of a present one. */
static void entry_flags_str(const struct target *t, const struct vmlab_pte *r,
			    char *buf, size_t len)
{
	flags_str(r->flags, buf, len);
	if (t->arch == VMLAB_ARCH_ARM64 && (r->flags & VMLAB_PTE_PRESENT))
		ptdump_arm64_detail(r->arch_flags, buf, len);
}

void ptdump_query_init(const struct target *t, uint64_t start, uint64_t end,
		       struct vmlab_pt_query *q)
{
	memset(q, 0, sizeof(*q));
	q->start = start;
	q->end = end;
	if (t->pagemap >= 0) {
		q->flags = VMLAB_PT_PAGEMAP_FD;
		q->pagemap_fd = t->pagemap;
	}
}

int ptdump_walk(const struct target *t, uint64_t start, uint64_t end,
		uint32_t flags, int (*fn)(const struct vmlab_pte *r, void *ctx),
		void *ctx)
{
	static struct vmlab_pte recs[BATCH];
	struct vmlab_pt_query q;
	unsigned int i;
	int ret;

	ptdump_query_init(t, start, end, &q);
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

/* Addresses and entries at full width: the columns line up. */
static void set_hex(struct libscols_line *ln, int col, uint64_t v)
{
	vl_line_set_fmt(ln, col, "0x%016" PRIx64, v);
}

/* Bytes: a number in JSON, with a binary unit in text. */
static void set_size(struct libscols_line *ln, int col, uint64_t bytes,
		     bool json)
{
	char buf[32];

	if (json)
		vl_line_set_u64(ln, col, bytes);
	else
		vl_format_size(bytes, buf, sizeof(buf));
	if (!json)
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
	char flags[256];
	int col = 0, i;

	if (!ln)
		return -ENOMEM;
	set_hex(ln, col++, r->va);
	scols_line_set_data(ln, col++, ptdump_level_name(r->level));
	set_hex(ln, col++, r->entry);
	vl_line_set_u64(ln, col++, r->pfn);
	entry_flags_str(c->t, r, flags, sizeof(flags));
	scols_line_set_data(ln, col++, flags);
	if (c->levels)
		for (i = 0; i < 4; i++)
			set_hex(ln, col++, r->upper[i]);
	vl_line_set_name(ln, col, v ? v->label : "", sizeof(v->label));
	return 0;
}

static int dump_pages(const struct target *t, const struct opts *o,
		      struct vl_doc *doc)
{
	static const struct vl_col cols[] = {
		{ "VA", 0 },	   { "SIZE", 0 },  { "ENTRY", 0 },
		{ "PFN", VL_NUM }, { "FLAGS", 0 }, { "PGD", 0 },
		{ "P4D", 0 },	   { "PUD", 0 },   { "PMD", 0 },
		{ "MAPPING", 0 },
	};
	static const struct vl_col short_cols[] = {
		{ "VA", 0 },	   { "SIZE", 0 },  { "ENTRY", 0 },
		{ "PFN", VL_NUM }, { "FLAGS", 0 }, { "MAPPING", 0 },
	};
	struct pages_ctx c = { .t = t, .levels = o->levels, .json = o->json };
	int ret;

	c.tb = o->levels ? VL_TABLE("pages", o->json, cols) :
			   VL_TABLE("pages", o->json, short_cols);
	if (!c.tb)
		return -ENOMEM;
	ret = ptdump_walk(t, o->start, o->end, o->levels ? VMLAB_PT_LEVELS : 0,
			  page_line, &c);
	if (ret) {
		scols_unref_table(c.tb);
		return ret;
	}
	return vl_doc_add(doc, c.tb);
}

/* ---- ranges ---------------------------------------------------------------- */

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
	scols_line_set_data(ln, 3, ptdump_level_name(r->level));
	run_perm(r->key, perm);
	scols_line_set_data(ln, 4, perm);
	flags_str(r->key & ~(VMLAB_PTE_PRESENT | VMLAB_PTE_WRITE |
			     VMLAB_PTE_USER | VMLAB_PTE_NX | VMLAB_PTE_HUGE),
		  flags, sizeof(flags));
	scols_line_set_data(ln, 5, flags);
	vl_line_set_u64(ln, 6, r->present);
	vl_line_set_u64(ln, 7, r->accessed);
	vl_line_set_u64(ln, 8, r->dirty);
	vl_line_set_name(ln, 9, r->vma ? r->vma->label : "",
			 sizeof(r->vma->label));
	if (c->stats && r->vma) {
		struct vma_stat *st = &c->stats[r->vma - c->t->vmas];

		st->present += r->present;
		st->accessed += r->accessed;
		st->dirty += r->dirty;
	}
	c->present += r->present;
	c->accessed += r->accessed;
	c->dirty += r->dirty;
	c->bytes += r->end - r->start;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* Add [va, end) of record p, all inside VMA v (or outside every VMA). */
static int range_add(struct ranges_ctx *c, const struct vmlab_pte *p,
		     uint64_t va, uint64_t end, const struct vma *v)
{
	struct run *r = &c->run;
	uint32_t key = p->flags & ~RUN_IGNORED;
	uint64_t n = (end - va) / vmlab_pt_level_size(p->level);
	int ret;

	if (!r->entries || va != r->end || key != r->key ||
	    p->level != r->level || v != r->vma) {
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
	uint64_t va = p->va,
		 end = p->va + p->nr * vmlab_pt_level_size(p->level);
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

const struct vl_col ptdump_range_cols[10] = {
	{ "START", 0 },	       { "END", 0 },	       { "SIZE", VL_NUM },
	{ "PAGE", 0 },	       { "PERM", 0 },	       { "FLAGS", 0 },
	{ "PRESENT", VL_NUM }, { "ACCESSED", VL_NUM }, { "DIRTY", VL_NUM },
	{ "MAPPING", 0 },
};

int ptdump_ranges(struct ranges_ctx *c, uint64_t start, uint64_t end)
{
	int ret = ptdump_walk(c->t, start, end, VMLAB_PT_RUNS, range_rec, c);

	return ret ? ret : flush_run(c);
}

/* With stats (--svg), the table shows only in JSON. */
static int dump_ranges(const struct target *t, const struct opts *o,
		       struct vl_doc *doc, struct vma_stat *stats)
{
	struct ranges_ctx c = { .t = t, .json = o->json, .stats = stats };
	int ret;

	c.tb = VL_TABLE("ranges", o->json, ptdump_range_cols);
	if (!c.tb)
		return -ENOMEM;
	ret = ptdump_ranges(&c, o->start, o->end);
	if (ret || (stats && !o->json)) {
		scols_unref_table(c.tb);
		return ret;
	}
	ret = vl_doc_add(doc, c.tb);
	vl_doc_text(doc,
		    "\n%" PRIu64 " KiB mapped: %" PRIu64
		    " entries present, %" PRIu64 " accessed, %" PRIu64
		    " dirty\n\n",
		    c.bytes >> 10, c.present, c.accessed, c.dirty);
	return ret;
}

/* ---- summary ----------------------------------------------------------------- */

static int dump_summary(const struct target *t, const struct opts *o,
			struct vl_doc *doc)
{
	static const struct vl_col cols[] = {
		{ "LEVEL", 0 },
		{ "TABLES", VL_NUM },
		{ "BYTES", VL_NUM },
		{ "MAPS_EACH", 0 },
	};
	static const char *const names[] = { "PTE", "PMD", "PUD", "P4D",
					     "PGD" };
	struct libscols_table *tb;
	struct vmlab_pt_query q;
	char span[24];
	uint64_t total = 0;
	int i, ret;

	ptdump_query_init(t, o->start, o->end, &q);
	ret = VMLAB_CALL(t->fd, VMLAB_IOC_PT_QUERY, &q);
	if (ret)
		return ret;
	tb = VL_TABLE("pagetables", o->json, cols);
	if (!tb)
		return -ENOMEM;
	for (i = 4; i >= 0; i--) {
		struct libscols_line *ln;

		if (i == 3 && q.levels == 4)
			continue; /* folded into the PGD */
		ln = vl_line(tb, NULL);
		if (!ln)
			break;
		scols_line_set_data(ln, 0, names[i]);
		vl_line_set_u64(ln, 1, q.tables[i]);
		vl_line_set_u64(ln, 2, q.tables[i] * VMLAB_PT_PAGE);
		/* 4 levels: the PGD is the P4D's, folded */
		ptdump_size_name(
			vmlab_pt_level_size(VMLAB_LEVEL_PTE +
					    (i == 4 && q.levels == 4 ? 3 : i)),
			span, sizeof(span));
		scols_line_set_data(ln, 3, span);
		total += q.tables[i];
	}
	ret = vl_doc_add(doc, tb);
	vl_doc_text(doc,
		    "%d-level paging: %" PRIu64 " page-table pages = %" PRIu64
		    " KiB (each table: %" PRIu64 " entries of 8 bytes)\n",
		    q.levels, total, total * VMLAB_PT_PAGE >> 10,
		    vmlab_pt_entries());
	return ret;
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
	return 1; /* the first record is the one */
}

/* Bits of a user address: 47 or 56 on x86-64, 48 (VA_BITS) on arm64. */
static int va_bits(const struct target *t)
{
	int bits = 0;

	while (bits < 63 && (1ULL << bits) < t->user_top)
		bits++;
	return bits;
}

/* Bits 63..bits-1 all equal: x86's rule; on arm64 either half's. */
static bool canonical(uint64_t va, int bits)
{
	int64_t s = (int64_t)(va << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == va;
}

static const struct vl_col layout_cols[] = {
	{ "PAGING", VL_NUM },	{ "LEVEL", 0 },	     { "FIRST_BIT", VL_NUM },
	{ "LAST_BIT", VL_NUM }, { "INDEX", VL_NUM },
};

static const struct vl_col walk_cols[] = {
	{ "LEVEL", 0 },
	{ "ENTRY", 0 },
	{ "NOTE", 0 },
};

static const struct vl_col address_cols[] = {
	{ "ADDRESS", 0 },    { "CANONICAL", VL_BOOL },
	{ "USER", VL_BOOL }, { "MAPPED", VL_BOOL },
	{ "PAGE", 0 },	     { "PFN", VL_NUM },
	{ "PHYSICAL", 0 },
};

struct explain_out {
	struct vl_doc *doc;
	struct libscols_table *layout, *walk, *address;
	struct libscols_line *addr;
};

void ptdump_layout_row(struct libscols_table *layout, int levels,
		       const char *name, int first, int last, uint64_t index)
{
	struct libscols_line *ln = vl_line(layout, NULL);

	if (!ln)
		return;
	vl_line_set_u64(ln, 0, (uint64_t)levels);
	scols_line_set_data(ln, 1, name);
	vl_line_set_u64(ln, 2, (uint64_t)first);
	vl_line_set_u64(ln, 3, (uint64_t)last);
	vl_line_set_u64(ln, 4, index);
}

static void explain_layout(struct explain_out *x, uint64_t va, int levels)
{
	static const char *const five[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	static const char *const four[] = { "PGD (PML4)", "PUD (PDPT)",
					    "PMD (PD)", "PTE (PT)" };
	int bits = levels == 5 ? 57 : 48, i;

	vl_doc_text(
		x->doc,
		"%d-level paging: %d-bit virtual addresses, canonical when bits 63..%d all equal bit %d: %s\n",
		levels, bits, bits - 1, bits - 1,
		canonical(va, bits) ? "yes" : "NO");
	for (i = 0; i < levels; i++) {
		int shift = 12 + 9 * (levels - 1 - i);
		const char *name = levels == 5 ? five[i] : four[i];
		unsigned int index = (unsigned int)((va >> shift) & 511);

		vl_doc_text(x->doc, "  %-11s bits %2d..%2d  index %3u\n", name,
			    shift + 8, shift, index);
		ptdump_layout_row(x->layout, levels, name, shift + 8, shift,
				  index);
	}
	vl_doc_text(x->doc, "  %-11s bits 11.. 0  0x%03" PRIx64 "\n", "offset",
		    va & 4095);
	ptdump_layout_row(x->layout, levels, "offset", 11, 0, va & 4095);
}

static void walk_row(struct explain_out *x, const char *level, uint64_t entry,
		     const char *note)
{
	struct libscols_line *ln = vl_line(x->walk, NULL);

	if (!ln)
		return;
	scols_line_set_data(ln, 0, level);
	set_hex(ln, 1, entry);
	scols_line_set_data(ln, 2, note);
}

/* The entries that map va, top to leaf. */
static void explain_walk(struct explain_out *x, const struct target *t,
			 const struct vmlab_pte *r, uint64_t va)
{
	static const char *const upper[] = { "PGD", "P4D", "PUD", "PMD" };
	const char *leaf = r->level == VMLAB_LEVEL_PTE ? "PTE" :
			   r->level == VMLAB_LEVEL_PMD ? "PMD" :
							 "PUD";
	char flags[256];
	int i;

	vl_doc_text(x->doc, "walk:\n");
	for (i = 0; i < 4 && i < (int)(4 - r->level + 1); i++) {
		const char *note = r->upper[i] & 1 ?
					   "present, points to the next table" :
					   "";

		if ((i == 1 && t->levels < 5) || (i == 2 && t->levels < 4))
			continue; /* folded: the level does not exist */
		vl_doc_text(x->doc, "  %-3s entry 0x%016" PRIx64 "  %s\n",
			    upper[i], (uint64_t)r->upper[i], note);
		walk_row(x, upper[i], r->upper[i], note);
	}
	entry_flags_str(t, r, flags, sizeof(flags));
	vl_doc_text(x->doc,
		    "  %-3s entry 0x%016" PRIx64 "  leaf: %s page at 0x%" PRIx64
		    ", pfn %" PRIu64 "%s, flags %s\n",
		    leaf, (uint64_t)r->entry, ptdump_level_name(r->level),
		    (uint64_t)r->va, (uint64_t)r->pfn,
		    r->pfn ? "" : " (hidden without CAP_SYS_ADMIN)", flags);
	walk_row(x, leaf, r->entry, flags);
	scols_line_set_data(x->addr, 4, ptdump_level_name(r->level));
	if (!r->pfn)
		return;
	vl_line_set_u64(x->addr, 5, r->pfn);
	vl_line_set_hex(x->addr, 6, r->pfn * VMLAB_PT_PAGE + (va - r->va));
	vl_doc_text(x->doc, "  physical address 0x%" PRIx64 "\n",
		    (uint64_t)(r->pfn * VMLAB_PT_PAGE + (va - r->va)));
}

static int explain_tables(struct explain_out *x, bool json)
{
	x->layout = VL_TABLE("layout", json, layout_cols);
	x->walk = VL_TABLE("walk", json, walk_cols);
	x->address = VL_TABLE("address", json, address_cols);
	x->addr = x->address ? vl_line(x->address, NULL) : NULL;
	return x->layout && x->walk && x->addr ? 0 : -ENOMEM;
}

/* In JSON the tables; in text the prose said on the way. */
static int explain_end(struct explain_out *x, int ret)
{
	struct libscols_table *tbs[] = { x->address, x->layout, x->walk };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!ret && x->doc->json)
			ret = vl_doc_add(x->doc, tbs[i]);
		else
			scols_unref_table(tbs[i]);
	}
	return ret;
}

static int explain(const struct target *t, const struct opts *o,
		   struct vl_doc *doc)
{
	uint64_t va = o->explain, top = t->task_size;
	uint64_t page = va & ~(VMLAB_PT_PAGE - 1);
	struct explain_out x = { .doc = doc };
	struct explain_ctx c = { 0 };
	const struct vma *v;
	int ret = explain_tables(&x, o->json);

	if (ret)
		return explain_end(&x, ret);
	vl_doc_text(doc, "address 0x%016" PRIx64 "\n", va);
	set_hex(x.addr, 0, va);
	vl_line_set_bool(x.addr, 1, canonical(va, va_bits(t) + 1));
	vl_line_set_bool(x.addr, 2, va < top);
	if (t->arch == VMLAB_ARCH_ARM64)
		ptdump_arm64_layout(doc, x.layout, t, va);
	else
		explain_layout(&x, va, t->levels);
	if (t->levels == 5 && t->arch == VMLAB_ARCH_X86_64) {
		vl_doc_text(
			doc,
			"the lecture's 4-level layout (boot with no5lvl) would read it as:\n");
		explain_layout(&x, va, 4);
	}
	if (va >= top) {
		vl_doc_text(
			doc,
			"not a user address of this process (user space ends at 0x%" PRIx64
			")\n",
			top);
		vl_line_set_bool(x.addr, 3, false);
		return explain_end(&x, 0);
	}
	ret = ptdump_walk(t, page, page + VMLAB_PT_PAGE, VMLAB_PT_LEVELS,
			  explain_rec, &c);
	if (ret < 0)
		return explain_end(&x, ret);
	vl_line_set_bool(x.addr, 3, c.found);
	v = find_vma(t, va);
	if (!c.found)
		vl_doc_text(
			doc, "walk: no entry maps this page (%s)\n",
			v ? "inside a mapping, not touched yet: a fault would fill it" :
			    "outside every mapping: a fault would be SIGSEGV");
	else
		explain_walk(&x, t, &c.rec, va);
	return explain_end(&x, 0);
}

/* ---- target ----------------------------------------------------------------------- */

static pid_t start_cmd(char **cmd, uint64_t wait_ns)
{
	pid_t pid = fork();

	if (pid == 0) {
		execvp(cmd[0], cmd);
		vl_error("%s: %s", cmd[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		vl_sleep_ns(wait_ns);
	return pid;
}

/* A process with no user address space: a kernel thread (empty maps). */
static bool kernel_thread(pid_t pid)
{
	char path[64], c;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, &c, 1);
	close(fd);
	return n == 0;
}

static void say_no_mm(pid_t pid)
{
	if (kernel_thread(pid))
		vl_error(
			"process %d has no user address space (a kernel thread)",
			pid);
	else
		vl_error("process %d has exited", pid);
}

/* Why another process's pagemap would not open. */
static void pagemap_error(pid_t pid, const char *path, int err)
{
	if (err == ESRCH) {
		say_no_mm(pid);
		return;
	}
	vl_error(
		"%s: %s%s", path, strerror(err),
		err == EACCES ?
			" (reading another user's page tables needs ptrace access, as for /proc/PID/pagemap)" :
		err == ENOENT ? " (no such process)" :
				"");
}

/* The module's architecture and page size, and where user space ends. */
static void ptdump_geometry(struct target *t)
{
	struct vmlab_version ver;

	t->arch = vmlab_arch(t->fd);
	t->page_shift = 12;
	if (!vmlab_version(t->fd, &ver) && ver.page_shift)
		t->page_shift = (int)ver.page_shift;
	t->task_size = vmlab_pt_task_size(t->fd);
	t->user_top = t->task_size; /* x86: rounded up past the guard page */
	while (t->user_top & (t->user_top - 1))
		t->user_top += t->user_top & -t->user_top;
}

static int open_target(struct target *t, pid_t pid)
{
	char path[64];
	int ret;

	t->pagemap = -1;
	t->fd = vl_device_open();
	if (t->fd < 0)
		return VL_EXIT_FAIL;
	if (pid && pid != getpid()) {
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
		t->pagemap = open(path, O_RDONLY);
		if (t->pagemap < 0) {
			pagemap_error(pid, path, errno);
			return VL_EXIT_FAIL;
		}
	}
	t->levels = vmlab_pt_levels(t->fd);
	if (t->levels < 0) {
		vl_error("page-table query on %s: %s", vl_device(),
			 strerror(-t->levels));
		return VL_EXIT_FAIL;
	}
	ptdump_geometry(t);
	ret = load_maps(pid, t);
	if (ret) {
		vl_error("maps of %d: %s", pid, strerror(-ret));
		return VL_EXIT_FAIL;
	}
	return 0;
}

/* ESRCH: the process has gone, or never had user space (a kernel thread). */
static void say_error(pid_t pid, int err)
{
	if (err == -ESRCH)
		say_no_mm(pid ? pid : getpid());
	else
		vl_error("%s", strerror(-err));
}

/* --svg: the picture; with -J the tables it was drawn from on stdout. */
static int draw(const struct target *t, const struct opts *o, pid_t pid,
		struct vl_doc *doc)
{
	struct vma_stat *st = calloc(t->nvmas + 1, sizeof(*st));
	char title[160];
	int ret;

	if (!st)
		return -ENOMEM;
	snprintf(title, sizeof(title), "%s of process %d",
		 o->tree ? "page-table pages" : "address space",
		 pid ? (int)pid : (int)getpid());
	if (o->tree) {
		ret = ptdump_tree_svg(t, o->start, o->end, title, o->svg);
		if (ret > 0)
			exit(VL_EXIT_FAIL); /* the drawing program said why */
		if (!ret && o->json)
			ret = dump_summary(t, o, doc);
	} else {
		ret = dump_ranges(t, o, doc, st);
		if (!ret)
			ret = ptdump_map_svg(t, st, title, o->svg);
		if (ret == -ENOENT || ret == -EACCES || ret == -EISDIR) {
			vl_error("--svg '%s': %s", o->svg, strerror(-ret));
			exit(VL_EXIT_FAIL);
		}
		if (!ret && o->json)
			ret = dump_summary(t, o, doc);
	}
	free(st);
	if (!ret && !o->json)
		vl_doc_text(doc, "wrote %s\n", o->svg);
	return ret;
}

static int run(const struct target *t, struct opts *o, pid_t pid,
	       struct vl_doc *doc)
{
	int ret;

	if (!o->have_range) {
		o->start = 0;
		o->end = t->task_size;
	}
	if (o->svg)
		return draw(t, o, pid, doc);
	if (o->bench)
		return ptdump_bench(t, o->start, o->end, o->bench, doc);
	if (o->have_explain)
		return explain(t, o, doc);
	if (o->summary)
		return dump_summary(t, o, doc);
	if (o->pages)
		return dump_pages(t, o, doc);
	ret = dump_ranges(t, o, doc, NULL);
	return ret ? ret : dump_summary(t, o, doc);
}

int main(int argc, char **argv)
{
	struct target t = { 0 };
	struct vl_doc doc;
	struct opts o;
	pid_t child = 0;
	int ret;

	vl_init(argv, "ptdump");
	parse_opts(argc, argv, &o);
	if (o.cmd) {
		child = start_cmd(o.cmd, o.wait_ns);
		if (child < 0) {
			vl_error("fork: %s", strerror(errno));
			return VL_EXIT_FAIL;
		}
		o.pid = child;
	}
	ret = open_target(&t, o.pid);
	if (!ret) {
		vl_doc_init(&doc, o.json);
		ret = run(&t, &o, o.pid, &doc);
		if (!ret)
			ret = vl_doc_end(&doc);
		if (ret < 0) {
			say_error(o.pid, ret);
			ret = VL_EXIT_FAIL;
		}
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	return ret;
}
