// SPDX-License-Identifier: GPL-2.0
/* vmlabctl shm: create, attach, inspect and remove vmlab shared regions. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "table.h"
#include "vl_arch.h"
#include "vmlabctl.h"

#define SYNC_OFFSET 64 /* the sync=N arrival counter, past the value */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmlabctl shm SUBCOMMAND [ARGS] [-J]\n"
		"\n"
		"  create NAME SIZE              create a region (fails if NAME exists)\n"
		"  attach [OPTIONS] NAME [ACTION...]\n"
		"                                attach, map, then run the actions in order\n"
		"  stat [NAME]                   one region, or the module's totals\n"
		"  unlink NAME                   remove a name; mappings keep working\n"
		"  ls                            list the named regions\n"
		"  bench [--size SIZE] [--reps N]\n"
		"                                fault-in pages/s: vmlab region vs memfd\n"
		"\n"
		"Sizes take binary units (K, M, G: powers of 1024); counts SI suffixes\n"
		"(k, M: powers of 1000); times units (ns, us, ms, s; bare: seconds).\n"
		"\n"
		"attach options:\n"
		"  -c, --create SIZE             create the region if it does not exist\n"
		"  -x, --excl                    with --create: fail if it exists\n"
		"      --private                 act on a MAP_PRIVATE (copy-on-write) view\n"
		"  -o, --offset BYTES            where the 64-bit value lives (default 0)\n"
		"\n"
		"actions (each prints one line; with -J one row each):\n"
		"  read          print the value\n"
		"  write=V       store V (decimal or 0x hex)\n"
		"  add=N         add 1, N times, atomically\n"
		"  racy-add=N    add 1, N times, as a plain load and store\n"
		"  sync=N        wait until N processes reached their sync=N\n"
		"  touch=P       write one byte in each of the first P pages\n"
		"  peek          read the value through a MAP_SHARED view\n"
		"  pfn           page frame of the value in each view (/proc/self/pagemap)\n"
		"  stat          resident pages, faults, attachments, mappings\n"
		"  sleep=TIME    sleep (500ms, 2s)\n");
}

/* Options of every shm subcommand; each takes the ones its letters name. */
struct shm_opts {
	bool json, excl, private;
	uint64_t create, offset, size, reps;
};

static int shm_getopt(int argc, char **argv, const char *sub,
		      const char *allowed, struct shm_opts *so)
{
	enum { O_PRIVATE = 256 };
	static const struct option opts[] = {
		{ "create", required_argument, NULL, 'c' },
		{ "excl", no_argument, NULL, 'x' },
		{ "private", no_argument, NULL, O_PRIVATE },
		{ "offset", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0; /* restart getopt: main() parsed the global options */
	while ((c = getopt_long(argc, argv, "c:xo:s:r:Jh", opts, NULL)) != -1) {
		if (c != 'J' && c != 'h' && c != '?' &&
		    !strchr(allowed, c == O_PRIVATE ? 'p' : c))
			vl_usage_error("shm %s: no option %s here", sub,
				       argv[optind - 1]);
		switch (c) {
		case 'c':
			so->create =
				vl_opt_size("--create", optarg, 1, UINT64_MAX);
			break;
		case 'x':
			so->excl = true;
			break;
		case O_PRIVATE:
			so->private = true;
			break;
		case 'o':
			so->offset =
				vl_opt_size("--offset", optarg, 0, UINT64_MAX);
			if (so->offset % 8)
				vl_bad_arg("--offset", optarg,
					   "not a multiple of 8");
			break;
		case 's':
			so->size = vl_opt_pages("--size", optarg, 1ULL << 40);
			break;
		case 'r':
			so->reps = vl_opt_count("--reps", optarg, 1, 1000);
			break;
		case 'J':
			so->json = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			vl_try_help();
		}
	}
	return optind;
}

/* Exactly n operands after the options, or exit 2 naming what is wrong. */
static void operands(int argc, int first, int min, int max, const char *sub,
		     const char *what)
{
	if (argc - first < min || argc - first > max)
		vl_usage_error("shm %s %s", sub, what);
}

static int set_name(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n >= VMLAB_NAME_MAX) {
		vl_error("shm: name '%s' longer than %d bytes", src,
			 VMLAB_NAME_MAX - 1);
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

static int fail(const char *what, const char *name, int err)
{
	vl_error("shm %s %s: %s", what, name, strerror(-err));
	return EXIT_FAILURE;
}

static int attach_fd(const char *name, uint64_t length, uint32_t flags,
		     uint64_t *out)
{
	struct vmlab_shm_attach a;
	int fd = vmlabctl_open(), ret;

	memset(&a, 0, sizeof(a));
	a.flags = flags;
	a.length = length;
	if (set_name(a.name, name)) {
		close(fd);
		return -EINVAL;
	}
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &a);
	if (ret) {
		close(fd);
		return ret;
	}
	*out = a.length;
	return fd;
}

/* A one-line table: the name and what happened to it. */
static int print_named(const char *table, const char *name, uint64_t length,
		       bool json)
{
	static const struct vl_col cols[] = {
		{ "NAME", 0 },
		{ "LENGTH", VL_NUM },
		{ "PAGES", VL_NUM },
	};
	struct libscols_table *tb = VL_TABLE(table, json, cols);
	struct libscols_line *ln = tb ? vl_line(tb, NULL) : NULL;
	struct vl_doc doc;

	if (!ln) {
		scols_unref_table(tb);
		return EXIT_FAILURE;
	}
	vl_line_set_name(ln, 0, name, VMLAB_NAME_MAX);
	vl_line_set_u64(ln, 1, length);
	vl_line_set_u64(ln, 2, length / vl_page_size());
	vl_doc_init(&doc, json);
	return vl_doc_add(&doc, tb) || vl_doc_end(&doc) ? EXIT_FAILURE :
							  EXIT_SUCCESS;
}

static int cmd_create(int argc, char **argv, struct shm_opts *so)
{
	int i = shm_getopt(argc, argv, "create", "", so), fd;
	uint64_t length, len;

	operands(argc, i, 2, 2, "create", "needs NAME SIZE");
	length = vl_opt_size("SIZE", argv[i + 1], 1, UINT64_MAX);
	fd = attach_fd(argv[i], length, VMLAB_SHM_CREATE | VMLAB_SHM_EXCL,
		       &len);
	if (fd < 0)
		return fail("create", argv[i], fd);
	close(fd);
	if (!so->json) {
		printf("created %s: %" PRIu64 " bytes (%" PRIu64 " pages)\n",
		       argv[i], len, len / vl_page_size());
		return EXIT_SUCCESS;
	}
	return print_named("created", argv[i], len, true);
}

static int cmd_unlink(int argc, char **argv, struct shm_opts *so)
{
	int i = shm_getopt(argc, argv, "unlink", "", so), fd, ret;
	struct vmlab_shm_unlink u;

	operands(argc, i, 1, 1, "unlink", "needs NAME");
	memset(&u, 0, sizeof(u));
	if (set_name(u.name, argv[i]))
		return 2;
	fd = vmlabctl_open();
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
	close(fd);
	if (ret)
		return fail("unlink", argv[i], ret);
	return so->json ? print_named("unlinked", argv[i], 0, true) :
			  EXIT_SUCCESS;
}

static const struct vl_col info_cols[] = {
	{ "NAME", 0 },	      { "LENGTH", VL_NUM },	 { "RESIDENT", VL_NUM },
	{ "FAULTS", VL_NUM }, { "ATTACHMENTS", VL_NUM }, { "MAPPINGS", VL_NUM },
	{ "LINKED", VL_NUM },
};

/* Print tb (freed) as the run's one document: exit status. */
static int print_table(struct libscols_table *tb, bool json)
{
	struct vl_doc doc;

	vl_doc_init(&doc, json);
	if (!tb) {
		vl_error("out of memory");
		return EXIT_FAILURE;
	}
	return vl_doc_add(&doc, tb) || vl_doc_end(&doc) ? EXIT_FAILURE :
							  EXIT_SUCCESS;
}

static void add_info(struct libscols_table *tb,
		     const struct vmlab_shm_info *info)
{
	struct libscols_line *ln = vl_line(tb, NULL);

	if (!ln)
		return;
	vl_line_set_name(ln, 0, info->name, sizeof(info->name));
	vl_line_set_u64(ln, 1, info->length);
	vl_line_set_u64(ln, 2, info->resident_pages);
	vl_line_set_u64(ln, 3, info->faults);
	vl_line_set_u64(ln, 4, info->attachments);
	vl_line_set_u64(ln, 5, info->mappings);
	vl_line_set_u64(ln, 6, info->linked);
}

static int print_totals(int fd, bool json)
{
	static const struct vl_col cols[] = {
		{ "NAMED", VL_NUM },	   { "REGIONS", VL_NUM },
		{ "REGIONS-MAX", VL_NUM }, { "PAGES", VL_NUM },
		{ "PAGES-MAX", VL_NUM },
	};
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct vmlab_shm_list l;
	int ret;

	memset(&l, 0, sizeof(l));
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l);
	if (ret)
		return fail("stat", "", ret);
	tb = VL_TABLE("totals", json, cols);
	ln = tb ? vl_line(tb, NULL) : NULL;
	if (ln) {
		vl_line_set_u64(ln, 0, l.total);
		vl_line_set_u64(ln, 1, l.regions_used);
		vl_line_set_u64(ln, 2, l.regions_max);
		vl_line_set_u64(ln, 3, l.pages_used);
		vl_line_set_u64(ln, 4, l.pages_max);
	}
	return print_table(tb, json);
}

static int cmd_stat(int argc, char **argv, struct shm_opts *so)
{
	int i = shm_getopt(argc, argv, "stat", "", so), fd, ret;
	struct libscols_table *tb;
	struct vmlab_shm_stat s;

	operands(argc, i, 0, 1, "stat", "takes at most one NAME");
	fd = vmlabctl_open();
	if (i == argc) {
		ret = print_totals(fd, so->json);
		close(fd);
		return ret;
	}
	memset(&s, 0, sizeof(s));
	if (set_name(s.name, argv[i])) {
		close(fd);
		return 2;
	}
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_STAT, &s);
	close(fd);
	if (ret)
		return fail("stat", argv[i], ret);
	tb = VL_TABLE("regions", so->json, info_cols);
	if (tb)
		add_info(tb, &s.info);
	return print_table(tb, so->json);
}

/* Every region, however many appear meanwhile: 0 or -errno. */
static int list_regions(int fd, struct vmlab_shm_info **infos, uint32_t *n)
{
	struct vmlab_shm_list l;
	int ret;

	*infos = NULL;
	do {
		uint32_t cap;

		memset(&l, 0, sizeof(l));
		ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l);
		if (ret)
			return ret;
		cap = l.total + 8;
		free(*infos);
		*infos = calloc(cap, sizeof(**infos));
		if (!*infos)
			return -ENOMEM;
		memset(&l, 0, sizeof(l));
		l.count = cap;
		l.entries = (uintptr_t)*infos;
		ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l);
	} while (!ret && l.total > l.count);
	*n = l.count;
	return ret;
}

static int cmd_ls(int argc, char **argv, struct shm_opts *so)
{
	int i = shm_getopt(argc, argv, "ls", "", so), fd, ret;
	struct vmlab_shm_info *infos;
	struct libscols_table *tb;
	uint32_t n, k;

	operands(argc, i, 0, 0, "ls", "takes no arguments");
	fd = vmlabctl_open();
	ret = list_regions(fd, &infos, &n);
	close(fd);
	if (ret) {
		free(infos);
		return fail("ls", "", ret);
	}
	tb = VL_TABLE("regions", so->json, info_cols);
	for (k = 0; tb && k < n; k++)
		add_info(tb, &infos[k]);
	free(infos);
	return print_table(tb, so->json);
}

/* ---- attach and its actions ------------------------------------------------ */

enum act_kind {
	A_READ,
	A_PEEK,
	A_WRITE,
	A_ADD,
	A_RACY_ADD,
	A_SYNC,
	A_TOUCH,
	A_PFN,
	A_STAT,
	A_SLEEP,
};

enum act_arg { ARG_NONE, ARG_VALUE, ARG_COUNT, ARG_TIME };

static const struct {
	const char *name;
	enum act_kind kind;
	enum act_arg arg;
} act_names[] = {
	{ "read", A_READ, ARG_NONE },	       { "peek", A_PEEK, ARG_NONE },
	{ "write", A_WRITE, ARG_VALUE },       { "add", A_ADD, ARG_COUNT },
	{ "racy-add", A_RACY_ADD, ARG_COUNT }, { "sync", A_SYNC, ARG_COUNT },
	{ "touch", A_TOUCH, ARG_COUNT },       { "pfn", A_PFN, ARG_NONE },
	{ "stat", A_STAT, ARG_NONE },	       { "sleep", A_SLEEP, ARG_TIME },
};

struct action {
	enum act_kind kind;
	uint64_t n;
	const char *text;
};

/* Parse one action, or exit 2 naming it and why. */
static void parse_action(const char *s, struct action *a)
{
	const char *eq = strchr(s, '='), *why = NULL;
	size_t klen = eq ? (size_t)(eq - s) : strlen(s), i;

	for (i = 0; i < sizeof(act_names) / sizeof(act_names[0]); i++)
		if (strlen(act_names[i].name) == klen &&
		    !strncmp(s, act_names[i].name, klen))
			break;
	if (i == sizeof(act_names) / sizeof(act_names[0]))
		vl_usage_error("shm attach: unknown action '%s'", s);
	a->kind = act_names[i].kind;
	a->text = s;
	if (!eq != (act_names[i].arg == ARG_NONE))
		vl_usage_error("shm attach: action '%s': %s", s,
			       eq ? "takes no value" : "needs =VALUE");
	if (act_names[i].arg == ARG_VALUE)
		why = vl_parse_uint(eq + 1, 0, UINT64_MAX, &a->n);
	else if (act_names[i].arg == ARG_COUNT)
		why = vl_parse_count(eq + 1, 0, UINT64_MAX, &a->n);
	else if (act_names[i].arg == ARG_TIME)
		why = vl_parse_duration(eq + 1, 0, 3600 * VL_NSEC_PER_SEC,
					&a->n);
	if (why)
		vl_usage_error("shm attach: action '%s': %s", s, why);
}

/* A mapped region and the state the attach actions work on. */
struct session {
	int fd;
	const char *name;
	uint64_t length;
	size_t offset;
	bool private;
	volatile uint64_t *value; /* in the view the actions use */
	volatile uint64_t *shared; /* in a MAP_SHARED view */
	char *view, *shared_view;
	struct libscols_table *rows; /* JSON: a row per action */
};

/* What an action did: "[PID] TEXT" now, or a JSON row. */
static void say(struct session *s, const struct action *a, int64_t value,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void say(struct session *s, const struct action *a, int64_t value,
		const char *fmt, ...)
{
	struct libscols_line *ln;
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!s->rows) {
		printf("[%d] %s\n", getpid(), text);
		fflush(stdout);
		return;
	}
	ln = vl_line(s->rows, NULL);
	if (!ln)
		return;
	vl_line_set_i64(ln, 0, getpid());
	scols_line_set_data(ln, 1, a->text);
	if (value >= 0)
		vl_line_set_i64(ln, 2, value);
	scols_line_set_data(ln, 3, text);
}

static uint64_t pagemap_pfn(const volatile void *addr)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e),
		  (uintptr_t)addr / vl_page_size() * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	/* Bit 63: present; bits 0-54: PFN (zero without CAP_SYS_ADMIN). */
	return e >> 63 ? e & ((1ULL << 55) - 1) : 0;
}

static int act_stat(struct session *s, const struct action *a)
{
	struct vmlab_shm_stat st;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = VMLAB_CALL(s->fd, VMLAB_IOC_SHM_STAT, &st);
	if (ret)
		return fail("stat", s->name, ret);
	say(s, a, (int64_t)st.info.resident_pages,
	    "stat: resident %" PRIu64 " pages, %" PRIu64 " faults, "
	    "%u attachments, %u mappings",
	    (uint64_t)st.info.resident_pages, (uint64_t)st.info.faults,
	    st.info.attachments, st.info.mappings);
	return 0;
}

static void do_sync(struct session *s, const struct action *a)
{
	volatile uint64_t *arrived = s->shared + SYNC_OFFSET / 8;

	/* Spin, not sleep: the processes should leave the barrier together. */
	__atomic_add_fetch(arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(arrived, __ATOMIC_SEQ_CST) < a->n)
		vl_cpu_relax();
	say(s, a, (int64_t)a->n, "sync: %" PRIu64 " processes arrived", a->n);
}

static void act_add(struct session *s, const struct action *a)
{
	uint64_t i;

	for (i = 0; i < a->n; i++) {
		if (a->kind == A_ADD)
			__atomic_add_fetch(s->value, 1, __ATOMIC_RELAXED);
		else
			*s->value = *s->value + 1;
	}
	say(s, a, (int64_t)*s->value, "%s: +%" PRIu64 " %s, value now %" PRIu64,
	    a->kind == A_ADD ? "add" : "racy-add", a->n,
	    a->kind == A_ADD ? "atomically" : "as load+store", *s->value);
}

static void act_pfn(struct session *s, const struct action *a)
{
	uint64_t pfn, shared_pfn;

	/* Read both views first, so that each has a page-table entry. */
	(void)*s->value;
	(void)*s->shared;
	pfn = pagemap_pfn(s->value);
	shared_pfn = pagemap_pfn(s->shared);
	if (s->private)
		say(s, a, (int64_t)pfn,
		    "pfn: private view 0x%" PRIx64 ", shared view 0x%" PRIx64,
		    pfn, shared_pfn);
	else
		say(s, a, (int64_t)pfn, "pfn: shared view 0x%" PRIx64, pfn);
}

static int run_action(struct session *s, const struct action *a)
{
	uint64_t pages = s->length / vl_page_size(), i;

	switch (a->kind) {
	case A_READ:
		say(s, a, (int64_t)*s->value, "read: %" PRIu64, *s->value);
		break;
	case A_PEEK:
		say(s, a, (int64_t)*s->shared, "peek (shared view): %" PRIu64,
		    *s->shared);
		break;
	case A_WRITE:
		*s->value = a->n;
		say(s, a, (int64_t)a->n, "write: %" PRIu64, a->n);
		break;
	case A_ADD:
	case A_RACY_ADD:
		act_add(s, a);
		break;
	case A_SYNC:
		do_sync(s, a);
		break;
	case A_TOUCH:
		pages = a->n < pages ? a->n : pages;
		for (i = 0; i < pages; i++)
			s->view[i * vl_page_size()] = 1;
		say(s, a, (int64_t)pages, "touch: wrote to %" PRIu64 " pages",
		    pages);
		break;
	case A_PFN:
		act_pfn(s, a);
		break;
	case A_STAT:
		return act_stat(s, a) ? -1 : 0;
	case A_SLEEP:
		vl_sleep_ns(a->n);
		break;
	}
	return 0;
}

static int map_session(struct session *s)
{
	int prot = PROT_READ | PROT_WRITE;

	s->shared_view = mmap(NULL, s->length, prot, MAP_SHARED, s->fd, 0);
	if (s->shared_view == MAP_FAILED)
		return -errno;
	s->view = s->shared_view;
	if (s->private) {
		s->view = mmap(NULL, s->length, prot, MAP_PRIVATE, s->fd, 0);
		if (s->view == MAP_FAILED)
			return -errno;
	}
	s->value = (volatile uint64_t *)(s->view + s->offset);
	s->shared = (volatile uint64_t *)(s->shared_view + s->offset);
	return 0;
}

static int run_session(struct session *s, const struct action *acts, int n,
		       bool json)
{
	static const struct vl_col cols[] = {
		{ "PID", VL_NUM },
		{ "ACTION", 0 },
		{ "VALUE", VL_NUM },
		{ "TEXT", 0 },
	};
	int i, ret = map_session(s);

	if (ret)
		return fail("mmap", s->name, ret);
	if (json && !(s->rows = VL_TABLE("actions", true, cols)))
		return EXIT_FAILURE;
	for (i = 0, ret = 0; i < n && !ret; i++)
		ret = run_action(s, &acts[i]);
	if (ret) {
		scols_unref_table(s->rows);
		return EXIT_FAILURE;
	}
	return json ? print_table(s->rows, true) : EXIT_SUCCESS;
}

static int cmd_attach(int argc, char **argv, struct shm_opts *so)
{
	int i = shm_getopt(argc, argv, "attach", "cxpo", so), k, ret;
	uint32_t flags = so->create ? VMLAB_SHM_CREATE : 0;
	struct session s = { .fd = -1, .private = so->private };
	struct action *acts;

	operands(argc, i, 1, argc, "attach", "needs NAME");
	if (so->excl && !so->create)
		vl_usage_error("shm attach: --excl needs --create");
	flags |= so->excl ? VMLAB_SHM_EXCL : 0;
	acts = calloc((size_t)argc, sizeof(*acts));
	if (!acts)
		return EXIT_FAILURE;
	for (k = i + 1; k < argc; k++)
		parse_action(argv[k], &acts[k - i - 1]);
	s.name = argv[i];
	s.fd = attach_fd(s.name, so->create, flags, &s.length);
	if (s.fd < 0) {
		free(acts);
		return fail("attach", s.name, s.fd);
	}
	s.offset = so->offset;
	if (so->offset + SYNC_OFFSET + 8 > s.length) {
		close(s.fd);
		free(acts);
		vl_usage_error("shm attach: --offset %" PRIu64
			       " is beyond the region's %" PRIu64 " bytes",
			       so->offset, s.length);
	}
	ret = run_session(&s, acts, argc - i - 1, so->json);
	close(s.fd);
	free(acts);
	return ret;
}

/* ---- bench ------------------------------------------------------------------- */

/* Nanoseconds to write one byte to each page of a fresh MAP_SHARED mapping. */
static uint64_t fault_in(int fd, uint64_t length)
{
	volatile char *p;
	uint64_t t, i;

	p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 0;
	t = vl_now_ns();
	for (i = 0; i < length; i += vl_page_size())
		p[i] = 1;
	t = vl_now_ns() - t;
	munmap((void *)p, length);
	return t ? t : 1;
}

static uint64_t bench_vmlab(uint64_t length, uint64_t rep)
{
	struct vmlab_shm_unlink u;
	char name[VMLAB_NAME_MAX];
	uint64_t len, t;
	int fd;

	snprintf(name, sizeof(name), "bench-%d-%" PRIu64, getpid(), rep);
	fd = attach_fd(name, length, VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, &len);
	if (fd < 0) {
		fail("bench attach", name, fd);
		return 0;
	}
	t = fault_in(fd, length);
	memset(&u, 0, sizeof(u));
	memcpy(u.name, name, sizeof(u.name));
	VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
	close(fd);
	return t;
}

static uint64_t bench_memfd(uint64_t length)
{
	int fd = memfd_create("vmlab-bench", MFD_CLOEXEC);
	uint64_t t;

	if (fd < 0 || ftruncate(fd, (off_t)length)) {
		vl_error("shm bench: memfd: %s", strerror(errno));
		return 0;
	}
	t = fault_in(fd, length);
	close(fd);
	return t;
}

static int cmd_bench(int argc, char **argv, struct shm_opts *so)
{
	static const struct vl_col cols[] = {
		{ "REP", VL_NUM },	     { "PAGES", VL_NUM },
		{ "VMLAB-PAGES/S", VL_NUM }, { "MEMFD-PAGES/S", VL_NUM },
		{ "RATIO", VL_NUM },
	};
	int i = shm_getopt(argc, argv, "bench", "sr", so);
	uint64_t length = so->size ? so->size : 64 << 20, r;
	uint64_t reps = so->reps ? so->reps : 7,
		 pages = length / vl_page_size();
	struct libscols_table *tb;

	operands(argc, i, 0, 0, "bench", "takes no operands");
	tb = VL_TABLE("bench", so->json, cols);
	for (r = 0; tb && r < reps; r++) {
		struct libscols_line *ln;
		uint64_t tv, tm;

		/* Alternate the order so neither side always runs first. */
		if (r & 1) {
			tm = bench_memfd(length);
			tv = bench_vmlab(length, r);
		} else {
			tv = bench_vmlab(length, r);
			tm = bench_memfd(length);
		}
		ln = tv && tm ? vl_line(tb, NULL) : NULL;
		if (!ln) {
			scols_unref_table(tb);
			return EXIT_FAILURE;
		}
		vl_line_set_u64(ln, 0, r + 1);
		vl_line_set_u64(ln, 1, pages);
		vl_line_set_u64(ln, 2, pages * VL_NSEC_PER_SEC / tv);
		vl_line_set_u64(ln, 3, pages * VL_NSEC_PER_SEC / tm);
		vl_line_set_fmt(ln, 4, "%.2f", (double)tm / (double)tv);
	}
	return print_table(tb, so->json);
}

int vmlabctl_shm(int argc, char **argv, bool json)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv, struct shm_opts *so);
	} subs[] = {
		{ "create", cmd_create }, { "attach", cmd_attach },
		{ "stat", cmd_stat },	  { "unlink", cmd_unlink },
		{ "ls", cmd_ls },	  { "bench", cmd_bench },
	};
	struct shm_opts so = { .json = json };
	size_t i;

	if (argc < 2)
		vl_usage_error(
			"shm: missing subcommand (see vmlabctl shm --help)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1, &so);
	vl_usage_error("shm: unknown subcommand '%s'", argv[1]);
}
