// SPDX-License-Identifier: GPL-2.0
/*
 * vmquiz: homework questions about a live process's address space, like
 * OSTEP's generators: a seed picks real addresses of the process (from
 * /proc/PID/maps and its page-table walk) and asks, for each, the table
 * indexes and offset, the level whose entry maps it, whether a read or a
 * write would fault, whether a write would get a new frame, whether the
 * entry stays writable across fork(), and which pages a clock hand would
 * take. --check FILE grades one answer per line against the walk, done
 * again at that moment through /dev/vmlab, and prints it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "table.h"
#include "vmlab_pt.h"

#define MAX_VMAS 512
#define WINDOW 64 /* pages looked at around a chosen page */
#define CLOCK_PAGES 8
#define PICK_TRIES 64 /* VMAs tried for a question about a present page */

struct vma {
	uint64_t start, end;
	char perms[5];
	char name[64];
};

struct target {
	int fd, pagemap, levels;
	struct vma vmas[MAX_VMAS];
	int nvmas;
	uint64_t rng;
};

enum qtype {
	Q_SPLIT,
	Q_LEVEL,
	Q_READ,
	Q_WRITE,
	Q_NEWFRAME,
	Q_FORK,
	Q_CLOCK,
	Q_TYPES
};

static const char *const qnames[Q_TYPES] = {
	"split", "level", "read", "write", "newframe", "fork", "clock",
};

struct question {
	enum qtype type;
	const struct vma *vma;
	uint64_t va;
	char text[256];
	char answer[128]; /* normalized right answer */
	char why[256]; /* what the walk showed */
};

/* xorshift64*: the same seed, the same questions. */
static uint64_t rnd(struct target *t, uint64_t n)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return n ? (t->rng * 2685821657736338717ULL >> 11) % n : 0;
}

static int read_maps(struct target *t, int pid)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && t->nvmas < MAX_VMAS) {
		struct vma *v = &t->vmas[t->nvmas];
		char name[256] = "";

		if (sscanf(line,
			   "%" SCNx64 "-%" SCNx64 " %4s %*s %*s %*s %255[^\n]",
			   &v->start, &v->end, v->perms, name) < 3)
			continue;
		/* user addresses only: not the vsyscall page */
		if (v->start >> 63)
			continue;
		snprintf(v->name, sizeof(v->name), "%s",
			 name[0] ? name : "[anon]");
		t->nvmas++;
	}
	fclose(f);
	return t->nvmas ? 0 : -ENOENT;
}

/* The record of the entry that maps va, or false when there is none. */
static bool lookup(struct target *t, uint64_t va, struct vmlab_pte *pte)
{
	struct vmlab_pt_query q;
	uint64_t page = va & ~(VMLAB_PT_PAGE - 1);

	memset(&q, 0, sizeof(q));
	q.flags = VMLAB_PT_PAGEMAP_FD;
	q.pagemap_fd = t->pagemap;
	q.start = page;
	q.end = page + VMLAB_PT_PAGE;
	q.count = 1;
	q.entries = (uintptr_t)pte;
	if (VMLAB_CALL(t->fd, VMLAB_IOC_PT_QUERY, &q)) {
		vl_error("VMLAB_IOC_PT_QUERY: %s", strerror(errno));
		exit(VL_EXIT_FAIL);
	}
	t->levels = (int)q.levels;
	return q.count == 1;
}

static bool present(struct target *t, uint64_t va, struct vmlab_pte *pte)
{
	return lookup(t, va, pte) && (pte->flags & VMLAB_PTE_PRESENT);
}

static const char *level_name(const struct vmlab_pte *pte, bool found)
{
	if (!found)
		return "none";
	return pte->level == VMLAB_LEVEL_PUD ? "PUD" :
	       pte->level == VMLAB_LEVEL_PMD ? "PMD" :
					       "PTE";
}

/*
 * A page of a random VMA (v), half of the time one with a present entry
 * (if the window around the first pick has one), at a random offset.
 */
static uint64_t pick(struct target *t, const struct vma **v, bool want_present)
{
	struct vmlab_pte pte;
	uint64_t pages, first, va, i, n;

	*v = &t->vmas[rnd(t, t->nvmas)];
	pages = ((*v)->end - (*v)->start) / VMLAB_PT_PAGE;
	first = (*v)->start + rnd(t, pages) * VMLAB_PT_PAGE;
	va = first + rnd(t, VMLAB_PT_PAGE);
	if (!want_present)
		return va;
	n = ((*v)->end - first) / VMLAB_PT_PAGE;
	for (i = 0; i < n && i < WINDOW; i++)
		if (present(t, first + i * VMLAB_PT_PAGE, &pte))
			return first + i * VMLAB_PT_PAGE +
			       (va & (VMLAB_PT_PAGE - 1));
	return 0;
}

/*
 * A present page (pick()'s want_present) from up to PICK_TRIES random
 * VMAs, or 0: a small static program (busybox on arm64) has few present
 * pages, and one window of one VMA often holds none of them.
 */
static uint64_t pick_present(struct target *t, const struct vma **v)
{
	uint64_t va = 0;
	int tries;

	for (tries = 0; !va && tries < PICK_TRIES; tries++)
		va = pick(t, v, true);
	return va;
}

static void ask_split(struct target *t, struct question *q)
{
	/* a table is a page of 8-byte entries: 9 bits a level of 4 KiB, 11 of 16 */
	const int page_shift = __builtin_ctzl(VMLAB_PT_PAGE),
		  bits = page_shift - 3;
	const uint64_t index = (1ULL << bits) - 1, offset = VMLAB_PT_PAGE - 1;
	int shift, n = 0;

	q->va = pick(t, &q->vma, false);
	snprintf(
		q->text, sizeof(q->text),
		"Split 0x%016" PRIx64
		" (%s) for %d-level paging: the %d table indexes,\n"
		"   top level first, in decimal, then the offset in hex (e.g. 0x1f0).",
		q->va, q->vma->name, t->levels, t->levels);
	for (shift = page_shift + bits * (t->levels - 1); shift >= page_shift;
	     shift -= bits)
		n += snprintf(q->answer + n, sizeof(q->answer) - n,
			      "%" PRIu64 " ", (q->va >> shift) & index);
	snprintf(q->answer + n, sizeof(q->answer) - n, "0x%" PRIx64,
		 q->va & offset);
	snprintf(q->why, sizeof(q->why),
		 "(va >> (%d + %dk)) & %" PRIu64 " per level, va & 0x%" PRIx64,
		 page_shift, bits, index, offset);
}

static void ask_level(struct target *t, struct question *q)
{
	struct vmlab_pte pte;
	bool found;

	q->va = pick(t, &q->vma, rnd(t, 2));
	if (!q->va)
		q->va = pick(t, &q->vma, false);
	snprintf(q->text, sizeof(q->text),
		 "Which level's entry maps 0x%016" PRIx64
		 " (%s)? PTE, PMD, PUD, or none",
		 q->va, q->vma->name);
	found = lookup(t, q->va, &pte);
	snprintf(q->answer, sizeof(q->answer), "%s", level_name(&pte, found));
	if (found)
		snprintf(q->why, sizeof(q->why),
			 "a %s entry 0x%016" PRIx64 " maps 0x%" PRIx64
			 " (%" PRIu64 " KiB)",
			 level_name(&pte, found), (uint64_t)pte.entry,
			 (uint64_t)pte.va,
			 vmlab_pt_level_size(pte.level) >> 10);
	else
		snprintf(
			q->why, sizeof(q->why),
			"no entry: the page was never touched (or was reclaimed)");
}

static void ask_fault(struct target *t, struct question *q, bool write)
{
	struct vmlab_pte pte;
	bool found, p, w;

	q->va = pick(t, &q->vma, rnd(t, 2));
	if (!q->va)
		q->va = pick(t, &q->vma, false);
	snprintf(q->text, sizeof(q->text),
		 "Would a %s of 0x%016" PRIx64
		 " (%s, %s) take a page fault? yes or no",
		 write ? "write" : "read", q->va, q->vma->name, q->vma->perms);
	found = lookup(t, q->va, &pte);
	p = found && (pte.flags & VMLAB_PTE_PRESENT);
	w = p && (pte.flags & VMLAB_PTE_WRITE);
	snprintf(q->answer, sizeof(q->answer), "%s",
		 (write ? !w : !p) ? "yes" : "no");
	snprintf(q->why, sizeof(q->why), "%s%s",
		 !found ? "no entry" :
		 p	? "present" :
			  "entry not present",
		 !p ? "" :
		 w  ? ", writable (W=1)" :
		      ", read-only (W=0): a write faults");
}

static void ask_newframe(struct target *t, struct question *q)
{
	struct vmlab_pte pte;
	bool writable, shared;

	q->va = pick_present(t, &q->vma);
	if (!q->va)
		return;
	present(t, q->va, &pte);
	writable = q->vma->perms[1] == 'w';
	shared = q->vma->perms[3] == 's';
	snprintf(q->text, sizeof(q->text),
		 "0x%016" PRIx64
		 " (%s, %s) is present. If the process writes to it, does it\n"
		 "   get a new frame? yes, no, or segv (the write is refused)",
		 q->va, q->vma->name, q->vma->perms);
	if (!writable)
		snprintf(q->answer, sizeof(q->answer), "segv");
	else
		snprintf(q->answer, sizeof(q->answer), "%s",
			 !shared && (pte.flags &
				     (VMLAB_PTE_ZERO_PAGE | VMLAB_PTE_WRITE)) !=
						 VMLAB_PTE_WRITE ?
				 "yes" :
				 "no");
	snprintf(q->why, sizeof(q->why), "VMA %s; entry W=%d%s", q->vma->perms,
		 !!(pte.flags & VMLAB_PTE_WRITE),
		 pte.flags & VMLAB_PTE_ZERO_PAGE ? ", the shared zero page" :
						   "");
}

static void ask_fork(struct target *t, struct question *q)
{
	struct vmlab_pte pte;
	bool w, shared;

	q->va = pick_present(t, &q->vma);
	if (!q->va)
		return;
	present(t, q->va, &pte);
	w = pte.flags & VMLAB_PTE_WRITE;
	shared = q->vma->perms[3] == 's';
	snprintf(q->text, sizeof(q->text),
		 "0x%016" PRIx64
		 " (%s, %s) is present. After the process calls fork(), is\n"
		 "   its entry in the parent writable? yes or no",
		 q->va, q->vma->name, q->vma->perms);
	snprintf(q->answer, sizeof(q->answer), "%s",
		 w && shared ? "yes" : "no");
	snprintf(
		q->why, sizeof(q->why), "entry W=%d now; %s", w,
		!w ? "already read-only" :
		shared ?
		     "shared mappings are not copied on write" :
		     "fork write-protects private writable entries (copy-on-write)");
}

static void ask_clock(struct target *t, struct question *q)
{
	struct vmlab_pte pte;
	int i, tries, nres = 0, n = 0, m = 0;
	char resident[64] = "";

	for (tries = 0; tries < PICK_TRIES; tries++) {
		q->va = pick(t, &q->vma, true) & ~(VMLAB_PT_PAGE - 1);
		if (q->va && q->va + CLOCK_PAGES * VMLAB_PT_PAGE <= q->vma->end)
			break;
		q->va = 0;
	}
	if (!q->va)
		return;
	for (i = 0; i < CLOCK_PAGES; i++) {
		if (!present(t, q->va + i * VMLAB_PT_PAGE, &pte))
			continue;
		nres++;
		m += snprintf(resident + m, sizeof(resident) - m, "%s%d",
			      m ? "," : "", i);
		if (!(pte.flags & VMLAB_PTE_ACCESSED))
			n += snprintf(q->answer + n, sizeof(q->answer) - n,
				      "%s%d", n ? " " : "", i);
	}
	if (!n)
		snprintf(q->answer, sizeof(q->answer), "none");
	snprintf(
		q->text, sizeof(q->text),
		"Of the 8 pages from 0x%016" PRIx64
		" (%s), pages %s are resident. A one-handed\n"
		"   clock passes them once: which does it evict? their numbers, or none",
		q->va, q->vma->name, resident);
	snprintf(q->why, sizeof(q->why),
		 "%d resident; evicted: those with A=0 (%s)", nres, q->answer);
}

/* Question n of the seed's sequence; false if none could be made. */
static bool make_question(struct target *t, int n, struct question *q)
{
	memset(q, 0, sizeof(*q));
	q->type = (enum qtype)(n % Q_TYPES);
	switch (q->type) {
	case Q_SPLIT:
		ask_split(t, q);
		break;
	case Q_LEVEL:
		ask_level(t, q);
		break;
	case Q_READ:
		ask_fault(t, q, false);
		break;
	case Q_WRITE:
		ask_fault(t, q, true);
		break;
	case Q_NEWFRAME:
		ask_newframe(t, q);
		break;
	case Q_FORK:
		ask_fork(t, q);
		break;
	default:
		ask_clock(t, q);
	}
	return q->text[0];
}

/* Lower-case, single spaces, no trailing blanks; offsets compared as numbers. */
static void normalize(const char *in, char *out, size_t len)
{
	size_t n = 0;
	bool space = false;

	for (; *in && n + 1 < len; in++) {
		if (isspace((unsigned char)*in) || *in == ',') {
			space = n > 0;
			continue;
		}
		if (space && n + 1 < len - 1)
			out[n++] = ' ';
		space = false;
		out[n++] = (char)tolower((unsigned char)*in);
	}
	out[n] = '\0';
}

static bool same_split(const char *given, const char *right)
{
	char a[128], b[128], *sa, *sb, *pa, *pb;
	const char *ta, *tb;

	snprintf(a, sizeof(a), "%s", given);
	snprintf(b, sizeof(b), "%s", right);
	for (ta = strtok_r(a, " ", &sa), tb = strtok_r(b, " ", &sb); ta && tb;
	     ta = strtok_r(NULL, " ", &sa), tb = strtok_r(NULL, " ", &sb)) {
		bool last = !strncmp(tb, "0x", 2);

		if (strtoull(ta, &pa, last ? 16 : 10) !=
			    strtoull(tb, &pb, last ? 16 : 10) ||
		    *pa)
			return false;
	}
	return !ta && !tb;
}

static bool graded_right(const struct question *q, const char *given)
{
	char g[128];

	normalize(given, g, sizeof(g));
	if (q->type == Q_SPLIT)
		return same_split(g, q->answer);
	return !strcasecmp(g, q->answer);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vmquiz [options] {-p PID | PID}\n"
		"Questions about the live address space of PID, made from a seed.\n\n"
		"  -s, --seed SEED    the questions' seed (a number, decimal or 0x hex;\n"
		"                     default 1)\n"
		"  -n, --count N      how many questions (a count, 1 to 100; default 7:\n"
		"                     one of each kind)\n"
		"  -p, --pid PID      the process (or PID as the argument)\n"
		"  -c, --check FILE   grade FILE's answers, one per line (- for stdin),\n"
		"                     against the walk done now, and show the walk\n"
		"  -J, --json         one JSON document\n"
		"  -V, --version      version\n"
		"  -h, --help         this help\n\n"
		"Kinds, in turn: split (indexes, offset), level (PTE/PMD/PUD/none),\n"
		"read and write (a page fault? yes/no), newframe (yes/no/segv), fork\n"
		"(writable after fork? yes/no), clock (pages evicted, or none).\n"
		"\nExit status: 0 done, 1 failed (the process, the device, FILE), 2 bad usage.\n");
}

struct opts {
	uint64_t seed;
	int count;
	pid_t pid;
	const char *check;
	bool json;
};

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "check", required_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->count = Q_TYPES;
	while ((c = getopt_long(argc, argv, "s:n:c:p:JVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			o->seed = vl_opt_uint("--seed", optarg, 0, UINT64_MAX);
			break;
		case 'n':
			o->count = (int)vl_opt_count("--count", optarg, 1, 100);
			break;
		case 'c':
			o->check = optarg;
			break;
		case 'p':
			o->pid = vl_opt_pid("--pid", optarg);
			break;
		default:
			vl_json_or_other(c, &o->json, usage);
		}
	}
	if (o->pid && optind < argc)
		vl_usage_error("give the PID once: -p %d or %s", (int)o->pid,
			       argv[optind]);
	if (!o->pid && optind == argc)
		vl_usage_error("no PID given");
	if (!o->pid)
		o->pid = vl_opt_pid("PID", argv[optind++]);
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
}

/* The question's text on one line (JSON): "\n   " is a space. */
static void one_line(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 1 < len; in++) {
		if (*in == '\n') {
			out[n++] = ' ';
			in += strspn(in + 1, " ");
		} else {
			out[n++] = *in;
		}
	}
	out[n] = '\0';
}

static void add_question(struct libscols_table *tb, int made,
			 const struct question *q, const char *given, bool ok,
			 bool graded)
{
	struct libscols_line *ln = vl_line(tb, NULL);
	char text[sizeof(q->text)];

	one_line(q->text, text, sizeof(text));
	vl_line_set_u64(ln, 0, (uint64_t)made);
	vl_line_set_name(ln, 1, qnames[q->type], 16);
	vl_line_set_fmt(ln, 2, "0x%016" PRIx64, q->va);
	vl_line_set_name(ln, 3, q->vma->name, sizeof(q->vma->name));
	vl_line_set_name(ln, 4, text, sizeof(text));
	if (!graded)
		return;
	vl_line_set_name(ln, 5, given, 256);
	vl_line_set_name(ln, 6, q->answer, sizeof(q->answer));
	vl_line_set_name(ln, 7, q->why, sizeof(q->why));
	vl_line_set_bool(ln, 8, ok);
}

int main(int argc, char **argv)
{
	static const struct vl_col quiz_cols[] = {
		{ "SEED", VL_NUM },
		{ "PID", VL_NUM },
		{ "VMAS", VL_NUM },
		{ "LEVELS", VL_NUM },
	};
	static const struct vl_col q_cols[] = {
		{ "N", VL_NUM },       { "TYPE", 0 },	  { "VA", 0 },
		{ "VMA", 0 },	       { "QUESTION", 0 }, { "ANSWER", 0 },
		{ "RIGHT_ANSWER", 0 }, { "WALK", 0 },	  { "RIGHT", VL_BOOL },
	};
	static const struct vl_col score_cols[] = {
		{ "RIGHT", VL_NUM },
		{ "ASKED", VL_NUM },
	};
	struct target t = { .fd = -1 };
	struct libscols_table *tq = NULL, *tb = NULL, *ts = NULL;
	struct libscols_line *ln;
	struct opts o;
	struct vl_doc doc;
	int i, made = 0, right = 0, ret;
	char path[64];
	FILE *answers = NULL;

	vl_init(argv, "vmquiz");
	parse_opts(argc, argv, &o);
	t.rng = o.seed * 0x9E3779B97F4A7C15ULL + 1;
	ret = read_maps(&t, o.pid);
	if (ret) {
		vl_error("/proc/%d/maps: %s%s", (int)o.pid, strerror(-ret),
			 ret == -ENOENT ? " (no such process)" : "");
		return VL_EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)o.pid);
	t.pagemap = open(path, O_RDONLY);
	if (t.pagemap < 0) {
		vl_error("%s: %s", path, strerror(errno));
		return VL_EXIT_FAIL;
	}
	t.fd = vl_device_open();
	if (t.fd < 0)
		return VL_EXIT_FAIL;
	t.levels = vmlab_pt_levels(t.fd);
	if (o.check) {
		answers = strcmp(o.check, "-") ? fopen(o.check, "r") : stdin;
		if (!answers) {
			vl_error("%s: %s", o.check, strerror(errno));
			return VL_EXIT_FAIL;
		}
	}
	vl_doc_init(&doc, o.json);
	if (o.json) {
		tq = VL_TABLE("quiz", true, quiz_cols);
		tb = VL_TABLE("questions", true, q_cols);
		ts = answers ? VL_TABLE("score", true, score_cols) : NULL;
	}
	vl_doc_text(&doc, "vmquiz seed %" PRIu64 ", process %d (%d VMAs)\n",
		    o.seed, (int)o.pid, t.nvmas);
	ln = vl_line(tq, NULL);
	vl_line_set_u64(ln, 0, o.seed);
	vl_line_set_u64(ln, 1, (uint64_t)o.pid);
	vl_line_set_u64(ln, 2, (uint64_t)t.nvmas);
	vl_line_set_u64(ln, 3, (uint64_t)t.levels);
	for (i = 0; made < o.count && i < 20 * o.count; i++) {
		struct question q;
		char line[256] = "";
		bool ok;

		if (!make_question(&t, i, &q))
			continue;
		made++;
		vl_doc_text(&doc, "\nQ%d [%s] %s\n", made, qnames[q.type],
			    q.text);
		if (!answers) {
			add_question(tb, made, &q, NULL, false, false);
			continue;
		}
		if (!fgets(line, sizeof(line), answers))
			line[0] = '\0';
		line[strcspn(line, "\n")] = '\0';
		ok = graded_right(&q, line);
		right += ok;
		vl_doc_text(
			&doc,
			"   your answer: %s\n   the walk:    %s (%s)\n   %s\n",
			line[0] ? line : "(none)", q.answer, q.why,
			ok ? "right" : "WRONG");
		add_question(tb, made, &q, line, ok, true);
	}
	if (answers) {
		vl_doc_text(&doc, "\nscore: %d of %d\n", right, made);
		ln = vl_line(ts, NULL);
		vl_line_set_u64(ln, 0, (uint64_t)right);
		vl_line_set_u64(ln, 1, (uint64_t)made);
	}
	if (o.json && (vl_doc_add(&doc, tq) || vl_doc_add(&doc, tb) ||
		       (answers && vl_doc_add(&doc, ts))))
		return VL_EXIT_FAIL;
	return vl_doc_end(&doc) ? VL_EXIT_FAIL : VL_EXIT_OK;
}
