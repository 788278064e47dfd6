// SPDX-License-Identifier: GPL-2.0
/* vmlabctl shm: create, attach, inspect and remove vmlab shared regions. */
#include <errno.h>
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

#include "libvmlab.h"
#include "table.h"
#include "vmlabctl.h"

#define SYNC_OFFSET 64	/* the sync=N arrival counter, past the value */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmlabctl [--json] shm SUBCOMMAND [ARGS]\n"
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
		"attach options:\n"
		"  -c, --create SIZE             create the region if it does not exist\n"
		"  -x, --excl                    with --create: fail if it exists\n"
		"  -p, --private                 act on a MAP_PRIVATE (copy-on-write) view\n"
		"  -o, --offset BYTES            where the 64-bit value lives (default 0)\n"
		"\n"
		"actions (each prints one line):\n"
		"  read          print the value\n"
		"  write=V       store V\n"
		"  add=N         add 1, N times, atomically\n"
		"  racy-add=N    add 1, N times, as a plain load and store\n"
		"  sync=N        wait until N processes reached their sync=N\n"
		"  touch=P       write one byte in each of the first P pages\n"
		"  peek          read the value through a MAP_SHARED view\n"
		"  pfn           page frame of the value in each view (/proc/self/pagemap)\n"
		"  stat          resident pages, faults, attachments, mappings\n"
		"  sleep=S       sleep S seconds (fractions allowed)\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmlabctl: shm: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}

static int set_name(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n >= VMLAB_NAME_MAX) {
		fprintf(stderr, "vmlabctl: shm: name '%s' longer than %d bytes\n", src,
			VMLAB_NAME_MAX - 1);
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "vmlabctl: shm %s %s: %s\n", what, name, strerror(-err));
	return EXIT_FAILURE;
}

static int attach_fd(const char *name, uint64_t length, uint32_t flags, uint64_t *out)
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

static int parse_size_arg(const char *s, uint64_t *bytes)
{
	if (vmlab_parse_size(s, bytes)) {
		fprintf(stderr, "vmlabctl: shm: bad size '%s'\n", s);
		return -1;
	}
	return 0;
}

static int cmd_create(int argc, char **argv)
{
	uint64_t length, len;
	int fd;

	if (argc != 3)
		return bad_usage("%s", "create needs NAME SIZE");
	if (parse_size_arg(argv[2], &length))
		return 2;
	fd = attach_fd(argv[1], length, VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, &len);
	if (fd < 0)
		return fail("create", argv[1], fd);
	close(fd);
	printf("created %s: %" PRIu64 " bytes (%" PRIu64 " pages)\n", argv[1], len,
	       len / sysconf(_SC_PAGESIZE));
	return EXIT_SUCCESS;
}

static int cmd_unlink(int argc, char **argv)
{
	struct vmlab_shm_unlink u;
	int fd, ret;

	if (argc != 2)
		return bad_usage("%s", "unlink needs NAME");
	memset(&u, 0, sizeof(u));
	if (set_name(u.name, argv[1]))
		return 2;
	fd = vmlabctl_open();
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
	close(fd);
	if (ret)
		return fail("unlink", argv[1], ret);
	return EXIT_SUCCESS;
}

static const char *const info_cols[] = {
	"NAME", "LENGTH", "RESIDENT", "FAULTS", "ATTACHMENTS", "MAPPINGS", "LINKED",
};

/* Columns from first_num on hold numbers (JSON numbers, right-aligned). */
static struct libscols_table *new_table(const char *name, const char *const *cols,
					size_t ncols, size_t first_num, int json)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb) {
		fprintf(stderr, "vmlabctl: out of memory\n");
		exit(EXIT_FAILURE);
	}
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, name);
	for (i = 0; i < ncols; i++) {
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, cols[i], 0, i >= first_num ? SCOLS_FL_RIGHT : 0);
		if (cl && i >= first_num)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	return tb;
}

static void add_info(struct libscols_table *tb, const struct vmlab_shm_info *info)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	scols_line_set_data(ln, 0, info->name);
	vl_line_set_u64(ln, 1, info->length);
	vl_line_set_u64(ln, 2, info->resident_pages);
	vl_line_set_u64(ln, 3, info->faults);
	vl_line_set_u64(ln, 4, info->attachments);
	vl_line_set_u64(ln, 5, info->mappings);
	vl_line_set_u64(ln, 6, info->linked);
}

static int print_totals(int fd, int json)
{
	static const char *const cols[] = {
		"NAMED", "REGIONS", "REGIONS-MAX", "PAGES", "PAGES-MAX",
	};
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct vmlab_shm_list l;
	int ret;

	memset(&l, 0, sizeof(l));
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l);
	if (ret)
		return fail("stat", "", ret);
	tb = new_table("totals", cols, 5, 0, json);
	ln = scols_table_new_line(tb, NULL);
	vl_line_set_u64(ln, 0, l.total);
	vl_line_set_u64(ln, 1, l.regions_used);
	vl_line_set_u64(ln, 2, l.regions_max);
	vl_line_set_u64(ln, 3, l.pages_used);
	vl_line_set_u64(ln, 4, l.pages_max);
	scols_print_table(tb);
	scols_unref_table(tb);
	return EXIT_SUCCESS;
}

static int cmd_stat(int argc, char **argv, int json)
{
	struct libscols_table *tb;
	struct vmlab_shm_stat s;
	int fd, ret;

	if (argc > 2)
		return bad_usage("%s", "stat takes at most one NAME");
	fd = vmlabctl_open();
	if (argc == 1) {
		ret = print_totals(fd, json);
		close(fd);
		return ret;
	}
	memset(&s, 0, sizeof(s));
	if (set_name(s.name, argv[1])) {
		close(fd);
		return 2;
	}
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_STAT, &s);
	close(fd);
	if (ret)
		return fail("stat", argv[1], ret);
	tb = new_table("regions", info_cols, 7, 1, json);
	add_info(tb, &s.info);
	scols_print_table(tb);
	scols_unref_table(tb);
	return EXIT_SUCCESS;
}

static int cmd_ls(int argc, int json)
{
	struct vmlab_shm_info *infos = NULL;
	struct libscols_table *tb;
	struct vmlab_shm_list l;
	unsigned int i;
	int fd, ret;

	if (argc != 1)
		return bad_usage("%s", "ls takes no arguments");
	fd = vmlabctl_open();
	/* Regions may appear between the two calls: retry until they fit. */
	do {
		uint32_t cap;

		memset(&l, 0, sizeof(l));
		ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l);
		if (ret)
			break;
		cap = l.total + 8;
		free(infos);
		infos = calloc(cap, sizeof(*infos));
		if (!infos) {
			ret = -ENOMEM;
			break;
		}
		memset(&l, 0, sizeof(l));
		l.count = cap;
		l.entries = (uintptr_t)infos;
		ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &l);
	} while (!ret && l.total > l.count);
	close(fd);
	if (ret) {
		free(infos);
		return fail("ls", "", ret);
	}
	tb = new_table("regions", info_cols, 7, 1, json);
	for (i = 0; i < l.count; i++)
		add_info(tb, &infos[i]);
	scols_print_table(tb);
	scols_unref_table(tb);
	free(infos);
	return EXIT_SUCCESS;
}

/* A mapped region and the state the attach actions work on. */
struct session {
	int fd;
	const char *name;
	uint64_t length;
	size_t offset;
	int private;
	volatile uint64_t *value;	/* in the view the actions use */
	volatile uint64_t *shared;	/* in a MAP_SHARED view */
	char *view, *shared_view;
};

static uint64_t pagemap_pfn(const volatile void *addr)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (uintptr_t)addr / psz * sizeof(e)) != sizeof(e))
		e = 0;
	close(fd);
	/* Bit 63: present; bits 0-54: PFN (zero without CAP_SYS_ADMIN). */
	return e >> 63 ? e & ((1ULL << 55) - 1) : 0;
}

static int act_stat(struct session *s)
{
	struct vmlab_shm_stat st;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = VMLAB_CALL(s->fd, VMLAB_IOC_SHM_STAT, &st);
	if (ret)
		return fail("stat", s->name, ret);
	printf("[%d] stat: resident %" PRIu64 " pages, %" PRIu64 " faults, "
	       "%u attachments, %u mappings\n", getpid(), (uint64_t)st.info.resident_pages,
	       (uint64_t)st.info.faults, st.info.attachments, st.info.mappings);
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

static void do_sync(struct session *s, uint64_t n)
{
	volatile uint64_t *arrived = s->shared + SYNC_OFFSET / 8;

	/* Spin, not sleep: the processes should leave the barrier together. */
	__atomic_add_fetch(arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(arrived, __ATOMIC_SEQ_CST) < n)
		__builtin_ia32_pause();
	printf("[%d] sync: %" PRIu64 " processes arrived\n", getpid(), n);
}

static int run_action(struct session *s, const char *act)
{
	const char *eq = strchr(act, '=');
	size_t klen = eq ? (size_t)(eq - act) : strlen(act);
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t n = 0, i;

#define IS(k) (klen == strlen(k) && !strncmp(act, k, klen))
	if (eq && parse_u64(eq + 1, &n) && !IS("sleep"))
		return bad_usage("bad number in action '%s'", act);
	if (IS("read") && !eq) {
		printf("[%d] read: %" PRIu64 "\n", getpid(), *s->value);
	} else if (IS("peek") && !eq) {
		printf("[%d] peek (shared view): %" PRIu64 "\n", getpid(), *s->shared);
	} else if (IS("write") && eq) {
		*s->value = n;
		printf("[%d] write: %" PRIu64 "\n", getpid(), n);
	} else if (IS("add") && eq) {
		for (i = 0; i < n; i++)
			__atomic_add_fetch(s->value, 1, __ATOMIC_RELAXED);
		printf("[%d] add: +%" PRIu64 " atomically, value now %" PRIu64 "\n",
		       getpid(), n, *s->value);
	} else if (IS("racy-add") && eq) {
		for (i = 0; i < n; i++)
			*s->value = *s->value + 1;
		printf("[%d] racy-add: +%" PRIu64 " as load+store, value now %" PRIu64 "\n",
		       getpid(), n, *s->value);
	} else if (IS("sync") && eq) {
		do_sync(s, n);
	} else if (IS("touch") && eq) {
		if (n > s->length / psz)
			n = s->length / psz;
		for (i = 0; i < n; i++)
			s->view[i * psz] = 1;
		printf("[%d] touch: wrote to %" PRIu64 " pages\n", getpid(), n);
	} else if (IS("pfn") && !eq) {
		/* Read both views first, so that each has a page-table entry. */
		(void)*s->value;
		(void)*s->shared;
		printf("[%d] pfn: %s view 0x%" PRIx64, getpid(),
		       s->private ? "private" : "shared", pagemap_pfn(s->value));
		if (s->private)
			printf(", shared view 0x%" PRIx64, pagemap_pfn(s->shared));
		printf("\n");
	} else if (IS("stat") && !eq) {
		return act_stat(s) ? -1 : 0;
	} else if (IS("sleep") && eq) {
		double secs = strtod(eq + 1, NULL);
		struct timespec ts = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };

		nanosleep(&ts, NULL);
	} else {
		return bad_usage("unknown action '%s'", act);
	}
#undef IS
	fflush(stdout);
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

static int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "create", required_argument, NULL, 'c' },
		{ "excl", no_argument, NULL, 'x' },
		{ "private", no_argument, NULL, 'p' },
		{ "offset", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct session s = { .fd = -1 };
	uint64_t length = 0, off = 0;
	uint32_t flags = 0;
	int c, i, ret;

	optind = 0;	/* restart getopt: main() parsed the global options */
	while ((c = getopt_long(argc, argv, "+c:xpo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (parse_size_arg(optarg, &length))
				return 2;
			flags |= VMLAB_SHM_CREATE;
			break;
		case 'x':
			flags |= VMLAB_SHM_EXCL;
			break;
		case 'p':
			s.private = 1;
			break;
		case 'o':
			if (parse_size_arg(optarg, &off))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc)
		return bad_usage("%s", "attach needs NAME");
	if ((flags & VMLAB_SHM_EXCL) && !(flags & VMLAB_SHM_CREATE))
		return bad_usage("%s", "--excl needs --create");
	if (off % 8)
		return bad_usage("%s", "--offset must be a multiple of 8");
	s.name = argv[optind++];
	s.fd = attach_fd(s.name, length, flags, &s.length);
	if (s.fd < 0)
		return fail("attach", s.name, s.fd);
	if (off + SYNC_OFFSET + 8 > s.length) {
		close(s.fd);
		return bad_usage("%s", "--offset beyond the region");
	}
	s.offset = off;
	ret = map_session(&s);
	if (ret) {
		close(s.fd);
		return fail("mmap", s.name, ret);
	}
	for (i = optind, ret = 0; i < argc && !ret; i++)
		ret = run_action(&s, argv[i]);
	close(s.fd);
	return ret ? (ret == 2 ? 2 : EXIT_FAILURE) : EXIT_SUCCESS;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds to write one byte to each page of a fresh MAP_SHARED mapping. */
static double fault_in(int fd, uint64_t length)
{
	long psz = sysconf(_SC_PAGESIZE);
	volatile char *p;
	double t;
	uint64_t i;

	p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	t = now_s();
	for (i = 0; i < length; i += psz)
		p[i] = 1;
	t = now_s() - t;
	munmap((void *)p, length);
	return t;
}

static double bench_vmlab(uint64_t length, int rep)
{
	struct vmlab_shm_unlink u;
	char name[VMLAB_NAME_MAX];
	uint64_t len;
	double t;
	int fd;

	snprintf(name, sizeof(name), "bench-%d-%d", getpid(), rep);
	fd = attach_fd(name, length, VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, &len);
	if (fd < 0) {
		fail("bench attach", name, fd);
		return -1;
	}
	t = fault_in(fd, length);
	memset(&u, 0, sizeof(u));
	memcpy(u.name, name, sizeof(u.name));
	VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
	close(fd);
	return t;
}

static double bench_memfd(uint64_t length)
{
	int fd = memfd_create("vmlab-bench", MFD_CLOEXEC);
	double t;

	if (fd < 0 || ftruncate(fd, length)) {
		perror("vmlabctl: shm bench: memfd");
		return -1;
	}
	t = fault_in(fd, length);
	close(fd);
	return t;
}

static int cmd_bench(int argc, char **argv, int json)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const char *const cols[] = {
		"REP", "PAGES", "VMLAB-PAGES/S", "MEMFD-PAGES/S", "RATIO",
	};
	uint64_t length = 64 << 20, reps = 7, pages;
	struct libscols_table *tb;
	char buf[32];
	int c;

	optind = 0;	/* restart getopt: main() parsed the global options */
	while ((c = getopt_long(argc, argv, "s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_size_arg(optarg, &length))
				return 2;
			break;
		case 'r':
			if (parse_u64(optarg, &reps) || !reps || reps > 1000)
				return bad_usage("bad --reps '%s'", optarg);
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !length || length % sysconf(_SC_PAGESIZE))
		return bad_usage("%s", "bench: --size must be a non-zero page multiple");
	pages = length / sysconf(_SC_PAGESIZE);
	tb = new_table("bench", cols, 5, 0, json);
	for (uint64_t r = 0; r < reps; r++) {
		struct libscols_line *ln;
		double tv, tm;

		/* Alternate the order so neither side always runs first. */
		if (r & 1) {
			tm = bench_memfd(length);
			tv = bench_vmlab(length, r);
		} else {
			tv = bench_vmlab(length, r);
			tm = bench_memfd(length);
		}
		if (tv <= 0 || tm <= 0) {
			scols_unref_table(tb);
			return EXIT_FAILURE;
		}
		ln = scols_table_new_line(tb, NULL);
		vl_line_set_u64(ln, 0, r + 1);
		vl_line_set_u64(ln, 1, pages);
		vl_line_set_u64(ln, 2, (uint64_t)(pages / tv));
		vl_line_set_u64(ln, 3, (uint64_t)(pages / tm));
		snprintf(buf, sizeof(buf), "%.2f", tm / tv);
		scols_line_set_data(ln, 4, buf);
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	return EXIT_SUCCESS;
}

int vmlabctl_shm(int argc, char **argv, int json)
{
	const char *sub;

	if (argc < 2)
		return bad_usage("%s", "missing subcommand");
	sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	if (!strcmp(sub, "create"))
		return cmd_create(argc, argv);
	if (!strcmp(sub, "attach"))
		return cmd_attach(argc, argv);
	if (!strcmp(sub, "stat"))
		return cmd_stat(argc, argv, json);
	if (!strcmp(sub, "unlink"))
		return cmd_unlink(argc, argv);
	if (!strcmp(sub, "ls"))
		return cmd_ls(argc, json);
	if (!strcmp(sub, "bench"))
		return cmd_bench(argc, argv, json);
	return bad_usage("unknown subcommand '%s'", sub);
}
