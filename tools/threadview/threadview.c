// SPDX-License-Identifier: GPL-2.0
/*
 * threadview: the threads of processes, like ps -T / ps m, from one vmlab
 * ioctl per process (or from /proc when the module is not loaded).
 * Collection is source.c, the columns columns.c, the table output.c.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "threadview.h"

static const enum col_id default_cols[] = { COL_PID, COL_SPID, COL_TTY,
					    COL_TIME, COL_CMD };

struct opts {
	struct tv_output out;
	pid_t *pids;
	int npids;
	int all;
	int user_set;
	uid_t user;
	int quiet;
	uint64_t watch_ns;
	uint64_t iterations;
	enum tv_source source;
};

static void usage(FILE *out)
{
	int i;

	fprintf(out,
		"Usage: threadview [options] [PID...]\n"
		"\n"
		"Show the threads of processes, one line each (like ps -T), from the\n"
		"vmlab ioctl when /dev/vmlab exists, else from /proc.\n"
		"\n"
		"Selection (default: processes of this user on this terminal):\n"
		"  -p, --pid PID[,PID...]   these processes (also as PID arguments)\n"
		"  -e, --all                every process\n"
		"  -u, --user USER          processes of USER (name or uid)\n"
		"\n"
		"Output:\n"
		"  -o, --output COLS        columns, comma separated (see below)\n"
		"  -O, --add COLS           add columns to the default ones\n"
		"  -s, --sort [-]COL[,...]  sort by columns (- descending)\n"
		"  -t, --tree               processes with their threads under them (ps m)\n"
		"  -J, --json               one JSON document (with the source)\n"
		"  -w, --watch TIME         refresh every TIME (%%CPU per interval;\n"
		"                           500ms, 2s; a bare number is seconds)\n"
		"  -n, --iterations N       with --watch: stop after N refreshes (k = 1000)\n"
		"      --source SRC         auto (default), ioctl or proc\n"
		"  -q, --quiet              do not say which source was used\n"
		"  -V, --version            version\n"
		"  -h, --help               this help\n"
		"\n"
		"Exit status: 0 done, 1 failed (no source, every process gone), 2 bad usage.\n"
		"\n"
		"Columns (default: pid,spid,tty,time,cmd, the columns of ps -T):\n");
	for (i = 0; i < NCOLS; i++)
		fprintf(out, "  %-8s %s\n", tv_cols[i].name, tv_cols[i].help);
}

/* Parse "a,b,c" into ids; calls fn(opt, id, desc) per entry. */
static void parse_list(const char *s, int signs,
		       void (*fn)(struct opts *, int, int), struct opts *o)
{
	while (*s) {
		size_t len = strcspn(s, ",");
		int desc = 0, id;

		if (signs && (*s == '-' || *s == '+')) {
			desc = *s == '-';
			s++;
			len--;
		}
		id = tv_find_col(s, len);
		if (id < 0)
			vl_usage_error(
				"unknown column '%.*s' (see threadview --help)",
				(int)len, s);
		fn(o, id, desc);
		s += len;
		if (*s == ',')
			s++;
	}
}

static void add_col(struct opts *o, int id, int desc)
{
	(void)desc;
	if (o->out.ncols < MAXCOLS)
		o->out.cols[o->out.ncols++] = id;
}

static void add_sort(struct opts *o, int id, int desc)
{
	if (o->out.nsort < 8)
		o->out.sort[o->out.nsort++] = (struct sort_key){ id, desc };
}

/* "PID[,PID...]": each through the strict parser. */
static void parse_pids(struct opts *o, const char *opt, const char *s)
{
	char *copy = strdup(s), *tok, *save;

	if (!copy)
		exit(VL_EXIT_FAIL);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		o->pids = realloc(o->pids,
				  (size_t)(o->npids + 1) * sizeof(*o->pids));
		if (!o->pids)
			exit(VL_EXIT_FAIL);
		o->pids[o->npids++] = vl_opt_pid(opt, tok);
	}
	if (!o->npids)
		vl_bad_arg(opt, s, "no PID");
	free(copy);
}

static void parse_user(struct opts *o, const char *s)
{
	struct passwd *pw = getpwnam(s);
	uint64_t uid;

	if (pw)
		o->user = pw->pw_uid;
	else if (!vl_parse_uint(s, 0, UINT32_MAX - 1, &uid))
		o->user = (uid_t)uid;
	else
		vl_bad_arg("--user", s, "no such user (a name or a uid)");
	o->user_set = 1;
}

/* /proc's start times count from boot, suspended time included. */
static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Default selection of ps: same effective uid and same terminal as us. */
static int default_match(const struct tv_proc *p, uid_t euid, int tty_nr)
{
	return p->uid == euid && p->tty_nr == tty_nr;
}

static int self_tty(struct tv_collector *c)
{
	struct tv_snapshot s = { 0 };
	int tty = 0;
	enum tv_source src = c->source;

	c->source = TV_SRC_PROC;
	if (!tv_collect_pid(c, &s, getpid()))
		tty = s.procs[0].tty_nr;
	c->source = src;
	tv_snapshot_free(&s);
	return tty;
}

static int collect(struct tv_collector *c, const struct opts *o,
		   struct tv_snapshot *snap)
{
	struct dirent *de;
	DIR *dir;
	int i, ret, errors = 0, tty = 0;
	int dflt = !o->npids && !o->all && !o->user_set;

	snap->taken_ns = c->source == TV_SRC_IOCTL ? vl_now_ns() :
						     boottime_ns();
	for (i = 0; i < o->npids; i++) {
		ret = tv_collect_pid(c, snap, o->pids[i]);
		if (ret) {
			vl_error("process %d: %s", (int)o->pids[i],
				 ret == -ESRCH ? "no such process" :
						 strerror(-ret));
			errors++;
		}
	}
	if (o->npids)
		return errors == o->npids ? -1 : 0;

	if (dflt)
		tty = self_tty(c);
	dir = opendir("/proc");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		size_t before = snap->nprocs, nt = snap->nthreads;
		const struct tv_proc *p;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (tv_collect_pid(c, snap, atoi(de->d_name)))
			continue; /* gone, hidden, or a kernel refusal: as ps */
		p = &snap->procs[before];
		if ((o->user_set && p->uid != o->user) ||
		    (dflt && !default_match(p, geteuid(), tty))) {
			snap->nprocs = before;
			snap->nthreads = nt;
		}
	}
	closedir(dir);
	return 0;
}

/* %CPU: over the thread's lifetime, or since prev when watching. */
static int cmp_tid(const void *a, const void *b)
{
	const struct tv_thread *x = a, *y = b;

	return (x->ti.tid > y->ti.tid) - (x->ti.tid < y->ti.tid);
}

static void compute_pcpu(struct tv_snapshot *snap,
			 const struct tv_snapshot *prev)
{
	size_t i;

	for (i = 0; i < snap->nthreads; i++) {
		struct tv_thread *t = &snap->threads[i];
		uint64_t cpu = t->ti.utime_ns + t->ti.stime_ns,
			 start = t->ti.start_time_ns;
		const struct tv_thread *old =
			prev ? bsearch(t, prev->threads, prev->nthreads,
				       sizeof(*t), cmp_tid) :
			       NULL;

		if (old && old->ti.start_time_ns == start &&
		    snap->taken_ns > prev->taken_ns) {
			uint64_t dc =
				cpu - (old->ti.utime_ns + old->ti.stime_ns);

			t->pcpu = 100.0 * (double)dc /
				  (double)(snap->taken_ns - prev->taken_ns);
		} else if (snap->taken_ns > start) {
			t->pcpu = 100.0 * (double)cpu /
				  (double)(snap->taken_ns - start);
		}
	}
}

static int run_once(struct tv_collector *c, const struct opts *o,
		    struct tv_snapshot *prev, struct tv_snapshot *snap)
{
	if (collect(c, o, snap))
		return -1;
	compute_pcpu(snap, prev);
	return 0;
}

static int watch_loop(struct tv_collector *c, struct opts *o)
{
	struct tv_snapshot prev = { 0 }, snap = { 0 };
	uint64_t n;

	for (n = 0; !o->iterations || n < o->iterations; n++) {
		if (run_once(c, o, &prev, &snap))
			return 1;
		if (!o->out.json) {
			time_t now = time(NULL);
			char tbuf[32], every[32];

			strftime(tbuf, sizeof(tbuf), "%H:%M:%S",
				 localtime(&now));
			if (isatty(STDOUT_FILENO))
				fputs("\033[H\033[2J", stdout);
			vl_format_duration(o->watch_ns, every, sizeof(every));
			printf("threadview %s  every %s  %zu threads in %zu processes  source: %s\n\n",
			       tbuf, every, snap.nthreads, snap.nprocs,
			       tv_source_name(c));
		}
		tv_print(&o->out, c, &snap);
		fflush(stdout);
		/* keep a TID-sorted copy for the next interval's %CPU */
		tv_snapshot_free(&prev);
		prev = snap;
		qsort(prev.threads, prev.nthreads, sizeof(*prev.threads),
		      cmp_tid);
		memset(&snap, 0, sizeof(snap));
		if (o->iterations && n + 1 >= o->iterations)
			break;
		vl_sleep_ns(o->watch_ns);
	}
	tv_snapshot_free(&prev);
	return 0;
}

static enum tv_source parse_source(const char *s)
{
	if (!strcmp(s, "auto"))
		return TV_SRC_AUTO;
	if (!strcmp(s, "ioctl"))
		return TV_SRC_IOCTL;
	if (!strcmp(s, "proc"))
		return TV_SRC_PROC;
	vl_bad_arg("--source", s, "want auto, ioctl or proc");
}

/* -O: the default columns with the requested ones before CMD, like ps -O. */
static void default_columns(struct opts *o, int add)
{
	enum col_id extra[MAXCOLS];
	int nextra = add ? o->out.ncols : 0, i;
	size_t ndef = sizeof(default_cols) / sizeof(default_cols[0]), k;

	memcpy(extra, o->out.cols, sizeof(extra));
	o->out.ncols = 0;
	for (k = 0; k + 1 < ndef; k++)
		add_col(o, default_cols[k], 0);
	for (i = 0; i < nextra; i++)
		add_col(o, extra[i], 0);
	add_col(o, COL_CMD, 0);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_SOURCE = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "output", required_argument, NULL, 'o' },
		{ "add", required_argument, NULL, 'O' },
		{ "sort", required_argument, NULL, 's' },
		{ "tree", no_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'J' },
		{ "watch", required_argument, NULL, 'w' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "source", required_argument, NULL, O_SOURCE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, add = 0;

	while ((opt = getopt_long(argc, argv, "p:eu:o:O:s:tJw:n:qVh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			parse_pids(o, "--pid", optarg);
			break;
		case 'e':
			o->all = 1;
			break;
		case 'u':
			parse_user(o, optarg);
			break;
		case 'O':
			add = 1;
			/* fall through */
		case 'o':
			parse_list(optarg, 0, add_col, o);
			break;
		case 's':
			parse_list(optarg, 1, add_sort, o);
			break;
		case 't':
			o->out.tree = true;
			break;
		case 'J':
			o->out.json = true;
			break;
		case 'w':
			o->watch_ns = vl_opt_duration("--watch", optarg,
						      1000000,
						      86400 * VL_NSEC_PER_SEC);
			break;
		case 'n':
			o->iterations = vl_opt_count("--iterations", optarg, 1,
						     UINT64_MAX);
			break;
		case O_SOURCE:
			o->source = parse_source(optarg);
			break;
		case 'q':
			o->quiet = 1;
			break;
		default:
			vl_other_option(opt, usage);
		}
	}
	for (; optind < argc; optind++)
		parse_pids(o, "PID", argv[optind]);
	if (add || !o->out.ncols)
		default_columns(o, add);
	if (o->out.tree && o->out.cols[o->out.ncols - 1] != COL_CMD)
		vl_usage_error("--tree needs cmd as the last column");
}

int main(int argc, char **argv)
{
	struct opts o = { .source = TV_SRC_AUTO };
	struct tv_snapshot snap = { 0 };
	struct tv_collector c;
	int i, ret;

	vl_init(argv, "threadview");
	parse_opts(argc, argv, &o);
	if (tv_collector_open(&c, o.source))
		return VL_EXIT_FAIL;
	o.out.arch = vmlab_arch(c.devfd);
	for (i = 0; i < o.out.ncols; i++) {
		if (o.out.cols[i] == COL_VCSW || o.out.cols[i] == COL_IVCSW)
			c.want_ctxsw = true;
		if ((o.out.cols[i] == COL_SP || o.out.cols[i] == COL_IP) &&
		    c.source == TV_SRC_IOCTL)
			c.want_regs = true;
	}
	if (!o.quiet && !o.out.json && !o.watch_ns)
		fprintf(stderr, "threadview: source: %s%s%s\n",
			c.source == TV_SRC_IOCTL ? "vmlab ioctl (" : "/proc",
			c.source == TV_SRC_IOCTL ? vl_device() : "",
			c.source == TV_SRC_IOCTL ? ")" : "");
	if (o.watch_ns) {
		ret = watch_loop(&c, &o);
	} else {
		ret = run_once(&c, &o, NULL, &snap) ? VL_EXIT_FAIL : 0;
		if (!ret && tv_print(&o.out, &c, &snap))
			ret = VL_EXIT_FAIL;
		tv_snapshot_free(&snap);
	}
	tv_collector_close(&c);
	free(o.pids);
	return ret;
}
