// SPDX-License-Identifier: GPL-2.0
/*
 * threadview: the threads of processes, like ps -T / ps m, from one vmlab
 * ioctl per process (or from /proc when the module is not loaded).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvmlab.h"
#include "threadview.h"

enum col_id {
	COL_PID, COL_SPID, COL_TTY, COL_STAT, COL_STATE, COL_PSR, COL_ONCPU,
	COL_CLS, COL_PRI, COL_NI, COL_PCPU, COL_TIME, COL_VCSW, COL_IVCSW,
	COL_MINFLT, COL_MAJFLT, COL_USER, COL_SP, COL_IP, COL_CMD, NCOLS
};

struct col_desc {
	const char *name;	/* -o and --sort key, JSON key */
	const char *alias;
	const char *header;
	int numeric;		/* right-aligned, a JSON number, sorted as a number */
	const char *help;
};

static const struct col_desc cols[NCOLS] = {
	[COL_PID]    = { "pid", "tgid", "PID", 1, "process ID (thread group)" },
	[COL_SPID]   = { "spid", "tid", "SPID", 1, "thread ID (alias lwp)" },
	[COL_TTY]    = { "tty", NULL, "TTY", 0, "controlling terminal" },
	[COL_STAT]   = { "stat", NULL, "STAT", 0, "state letter and flags, as ps" },
	[COL_STATE]  = { "state", "state5", "STATE", 0, "the lecture's five states" },
	[COL_PSR]    = { "psr", "cpu", "PSR", 1, "CPU last run on" },
	[COL_ONCPU]  = { "oncpu", NULL, "ONCPU", 1, "1 if on a CPU now (ioctl only)" },
	[COL_CLS]    = { "cls", "policy", "CLS", 0, "scheduling class" },
	[COL_PRI]    = { "pri", "prio", "PRI", 1, "priority, as top's PR" },
	[COL_NI]     = { "ni", "nice", "NI", 1, "nice value" },
	[COL_PCPU]   = { "%cpu", "pcpu", "%CPU", 1, "CPU use (lifetime, or per interval with --watch)" },
	[COL_TIME]   = { "time", NULL, "TIME", 0, "user + system CPU time" },
	[COL_VCSW]   = { "vcsw", NULL, "VCSW", 1, "voluntary context switches" },
	[COL_IVCSW]  = { "ivcsw", NULL, "IVCSW", 1, "involuntary context switches" },
	[COL_MINFLT] = { "minflt", NULL, "MINFLT", 1, "minor page faults" },
	[COL_MAJFLT] = { "majflt", NULL, "MAJFLT", 1, "major page faults" },
	[COL_USER]   = { "user", NULL, "USER", 0, "owner of the process" },
	[COL_SP]     = { "sp", NULL, "SP", 0, "user stack pointer (root, ioctl)" },
	[COL_IP]     = { "ip", NULL, "IP", 0, "user instruction pointer (root, ioctl)" },
	[COL_CMD]    = { "cmd", "comm", "CMD", 0, "thread name" },
};

#define MAXCOLS 32
static const enum col_id default_cols[] = { COL_PID, COL_SPID, COL_TTY, COL_TIME, COL_CMD };

struct sort_key {
	enum col_id col;
	int desc;
};

struct opts {
	enum col_id cols[MAXCOLS];
	int ncols;
	struct sort_key sort[8];
	int nsort;
	pid_t *pids;
	int npids;
	int all;
	int user_set;
	uid_t user;
	int json, tree, quiet;
	double watch;
	long iterations;
	enum tv_source source;
};

static void usage(FILE *out)
{
	int i;

	fprintf(out,
		"Usage: threadview [options]\n"
		"\n"
		"Show the threads of processes, one line each (like ps -T), from the\n"
		"vmlab ioctl when /dev/vmlab exists, else from /proc.\n"
		"\n"
		"Selection (default: processes of this user on this terminal):\n"
		"  -p, --pid PID[,PID...]   these processes\n"
		"  -e, --all                every process\n"
		"  -u, --user USER          processes of USER (name or uid)\n"
		"\n"
		"Output:\n"
		"  -o, --output COLS        columns, comma separated (see below)\n"
		"  -O, --add COLS           add columns to the default ones\n"
		"  -s, --sort [-]COL[,...]  sort by columns (- descending)\n"
		"  -t, --tree               processes with their threads under them (ps m)\n"
		"  -J, --json               JSON output\n"
		"  -w, --watch SECONDS      refresh every SECONDS (%%CPU per interval)\n"
		"  -n, --iterations N       with --watch: stop after N refreshes\n"
		"      --source SRC         auto (default), ioctl or proc\n"
		"  -q, --quiet              do not say which source was used\n"
		"  -h, --help               this help\n"
		"\n"
		"Columns (default: pid,spid,tty,time,cmd, the columns of ps -T):\n");
	for (i = 0; i < NCOLS; i++)
		fprintf(out, "  %-8s %s\n", cols[i].name, cols[i].help);
}

static int find_col(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NCOLS; i++) {
		if ((strlen(cols[i].name) == len && !strncasecmp(cols[i].name, name, len)) ||
		    (cols[i].alias && strlen(cols[i].alias) == len &&
		     !strncasecmp(cols[i].alias, name, len)))
			return i;
	}
	if (len == 3 && !strncasecmp(name, "lwp", 3))
		return COL_SPID;
	if (len == 7 && !strncasecmp(name, "command", 7))
		return COL_CMD;
	return -1;
}

/* Parse "a,b,c" into ids; calls fn(opt, id, desc) per entry. */
static int parse_list(const char *s, int signs, void (*fn)(struct opts *, int, int),
		      struct opts *o)
{
	while (*s) {
		size_t len = strcspn(s, ",");
		int desc = 0, id;

		if (signs && (*s == '-' || *s == '+')) {
			desc = *s == '-';
			s++;
			len--;
		}
		id = find_col(s, len);
		if (id < 0) {
			fprintf(stderr, "threadview: unknown column '%.*s'\n", (int)len, s);
			return -1;
		}
		fn(o, id, desc);
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

static void add_col(struct opts *o, int id, int desc)
{
	(void)desc;
	if (o->ncols < MAXCOLS)
		o->cols[o->ncols++] = id;
}

static void add_sort(struct opts *o, int id, int desc)
{
	if (o->nsort < 8)
		o->sort[o->nsort++] = (struct sort_key){ id, desc };
}

static int parse_pids(struct opts *o, const char *s)
{
	char *end;

	while (*s) {
		long v = strtol(s, &end, 10);

		if (end == s || (*end && *end != ',') || v <= 0 || v > 0x7fffffff) {
			fprintf(stderr, "threadview: bad PID list '%s'\n", s);
			return -1;
		}
		o->pids = realloc(o->pids, (o->npids + 1) * sizeof(*o->pids));
		if (!o->pids)
			return -1;
		o->pids[o->npids++] = (pid_t)v;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int parse_user(struct opts *o, const char *s)
{
	struct passwd *pw = getpwnam(s);
	char *end;
	long v;

	if (pw) {
		o->user = pw->pw_uid;
	} else {
		v = strtol(s, &end, 10);
		if (end == s || *end || v < 0) {
			fprintf(stderr, "threadview: unknown user '%s'\n", s);
			return -1;
		}
		o->user = (uid_t)v;
	}
	o->user_set = 1;
	return 0;
}

/* ---- formatting ---------------------------------------------------------- */

/*
 * Cells are formatted by hand: a table of 10,000 threads is 50,000 cells or
 * more, and printf's machinery per cell is most of the time threadview takes
 * (under QEMU TCG, seconds).
 */
#define CELL_MAX 64

static size_t put_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static size_t put_i64(char *buf, int64_t v)
{
	if (v >= 0)
		return put_u64(buf, (uint64_t)v);
	buf[0] = '-';
	return 1 + put_u64(buf + 1, -(uint64_t)v);
}

static size_t put_hex(char *buf, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0, i;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < n; i++)
		buf[2 + i] = tmp[n - 1 - i];
	return n + 2;
}

/* Two digits, zero padded: v < 100. */
static size_t put_2d(char *buf, unsigned int v)
{
	buf[0] = (char)('0' + v / 10);
	buf[1] = (char)('0' + v % 10);
	return 2;
}

/* At most max bytes of s (max < CELL_MAX). */
static size_t put_str(char *buf, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	memcpy(buf, s, n);
	return n;
}

static size_t fmt_tty(char *buf, size_t size, int tty_nr)
{
	unsigned int major = ((unsigned int)tty_nr >> 8) & 0xfff;
	unsigned int minor = ((unsigned int)tty_nr & 0xff) | (((unsigned int)tty_nr >> 12) & 0xfff00);
	int n;

	if (!tty_nr)
		n = snprintf(buf, size, "?");
	else if (major >= 136 && major <= 143)
		n = snprintf(buf, size, "pts/%u", minor + (major - 136) * 256);
	else if (major == 4 && minor < 64)
		n = snprintf(buf, size, "tty%u", minor);
	else if (major == 4)
		n = snprintf(buf, size, "ttyS%u", minor - 64);
	else if (major == 5 && minor == 1)
		n = snprintf(buf, size, "console");
	else
		n = snprintf(buf, size, "%u:%u", major, minor);
	return n < (int)size ? (size_t)n : size - 1;
}

/* [DD-]HH:MM:SS, as ps's TIME. */
static size_t fmt_time(char *buf, uint64_t ns)
{
	unsigned long long s = ns / 1000000000ULL;
	size_t n = 0;

	if (s >= 86400) {
		n = put_u64(buf, s / 86400);
		buf[n++] = '-';
		n += put_2d(buf + n, (unsigned int)(s / 3600 % 24));
	} else {
		n = put_2d(buf, (unsigned int)(s / 3600));
	}
	buf[n++] = ':';
	n += put_2d(buf + n, (unsigned int)(s / 60 % 60));
	buf[n++] = ':';
	n += put_2d(buf + n, (unsigned int)(s % 60));
	return n;
}

static const char *cls_name(uint32_t policy)
{
	static const char *const names[] = { "TS", "FF", "RR", "B", "ISO", "IDL", "DLN" };

	return policy < 7 ? names[policy] : "?";
}

/* Processes rarely differ in owner or terminal: one lookup per change. */
static const char *user_name(uid_t uid)
{
	static char buf[32];
	static uid_t last = (uid_t)-1;
	struct passwd *pw;

	if (uid == last)
		return buf;
	pw = getpwuid(uid);
	if (pw)
		snprintf(buf, sizeof(buf), "%s", pw->pw_name);
	else
		snprintf(buf, sizeof(buf), "%u", (unsigned int)uid);
	last = uid;
	return buf;
}

static const char *tty_name(int tty_nr)
{
	static char buf[32];
	static int last, valid;

	if (!valid || tty_nr != last) {
		fmt_tty(buf, sizeof(buf), tty_nr);
		last = tty_nr;
		valid = 1;
	}
	return buf;
}

/* ps's STAT for a thread: state letter, then < N s l + as they apply. */
static size_t fmt_stat(char *buf, const struct tv_thread *t, const struct tv_proc *p)
{
	size_t n = 0;

	buf[n++] = tv_state_letter(t->ti.state);
	if (t->ti.nice < 0)
		buf[n++] = '<';
	else if (t->ti.nice > 0)
		buf[n++] = 'N';
	if (p->sid == p->pid)
		buf[n++] = 's';
	if (p->nthreads > 1)
		buf[n++] = 'l';
	if (p->tpgid > 0 && p->tpgid == p->pgrp)
		buf[n++] = '+';
	return n;
}

/* One cell into buf[CELL_MAX], NUL terminated: its length. */
static size_t fmt_cell(char *buf, enum col_id c, const struct tv_thread *t,
		       const struct tv_snapshot *snap)
{
	const struct tv_proc *p = &snap->procs[t->proc];
	const struct vmlab_thread_info *ti = &t->ti;
	size_t n = 0;

	switch (c) {
	case COL_PID: n = put_i64(buf, ti->tgid); break;
	case COL_SPID: n = put_i64(buf, ti->tid); break;
	case COL_TTY: n = put_str(buf, tty_name(p->tty_nr), 31); break;
	case COL_STAT: n = fmt_stat(buf, t, p); break;
	case COL_STATE: n = put_str(buf, tv_state5_name(ti->state5), 15); break;
	case COL_PSR: n = put_i64(buf, ti->cpu); break;
	case COL_ONCPU:
		if (t->on_cpu_known)
			n = put_u64(buf, ti->on_cpu);
		else
			buf[n++] = '-';
		break;
	case COL_CLS: n = put_str(buf, cls_name(ti->policy), 15); break;
	case COL_PRI: n = put_i64(buf, ti->prio); break;
	case COL_NI: n = put_i64(buf, ti->nice); break;
	case COL_PCPU: n = (size_t)snprintf(buf, CELL_MAX, "%.1f", t->pcpu); break;
	case COL_TIME: n = fmt_time(buf, ti->utime_ns + ti->stime_ns); break;
	case COL_VCSW: n = put_u64(buf, ti->nvcsw); break;
	case COL_IVCSW: n = put_u64(buf, ti->nivcsw); break;
	case COL_MINFLT: n = put_u64(buf, ti->min_flt); break;
	case COL_MAJFLT: n = put_u64(buf, ti->maj_flt); break;
	case COL_USER: n = put_str(buf, user_name(p->uid), 31); break;
	case COL_SP: n = put_hex(buf, ti->user_sp); break;
	case COL_IP: n = put_hex(buf, ti->user_ip); break;
	case COL_CMD: n = put_str(buf, ti->comm, sizeof(ti->comm)); break;
	case NCOLS: break;
	}
	buf[n] = '\0';
	return n;
}

/* ---- sorting --------------------------------------------------------------- */

static const struct opts *sort_opts;
static const struct tv_snapshot *sort_snap;

static double num_key(enum col_id c, const struct tv_thread *t)
{
	const struct vmlab_thread_info *ti = &t->ti;

	switch (c) {
	case COL_PID: return ti->tgid;
	case COL_SPID: return ti->tid;
	case COL_TTY: return sort_snap->procs[t->proc].tty_nr;
	case COL_PSR: return ti->cpu;
	case COL_ONCPU: return ti->on_cpu;
	case COL_PRI: return ti->prio;
	case COL_NI: return ti->nice;
	case COL_PCPU: return t->pcpu;
	case COL_TIME: return (double)(ti->utime_ns + ti->stime_ns);
	case COL_VCSW: return (double)ti->nvcsw;
	case COL_IVCSW: return (double)ti->nivcsw;
	case COL_MINFLT: return (double)ti->min_flt;
	case COL_MAJFLT: return (double)ti->maj_flt;
	case COL_SP: return (double)ti->user_sp;
	case COL_IP: return (double)ti->user_ip;
	case COL_STATE: return ti->state5;
	case COL_CLS: return ti->policy;
	default: return 0;
	}
}

static int cmp_threads(const void *a, const void *b)
{
	const struct tv_thread *x = a, *y = b;
	char bx[CELL_MAX], by[CELL_MAX];
	int i, r;

	/* --tree: a process's threads stay together under it */
	if (sort_opts->tree && x->ti.tgid != y->ti.tgid)
		return (x->ti.tgid > y->ti.tgid) - (x->ti.tgid < y->ti.tgid);
	for (i = 0; i < sort_opts->nsort; i++) {
		enum col_id c = sort_opts->sort[i].col;

		if (cols[c].numeric || c == COL_TIME || c == COL_STATE || c == COL_TTY) {
			double kx = num_key(c, x), ky = num_key(c, y);

			r = (kx > ky) - (kx < ky);
		} else {
			fmt_cell(bx, c, x, sort_snap);
			fmt_cell(by, c, y, sort_snap);
			r = strcmp(bx, by);
		}
		if (r)
			return sort_opts->sort[i].desc ? -r : r;
	}
	/* stable default: by process, then thread */
	r = (x->ti.tgid > y->ti.tgid) - (x->ti.tgid < y->ti.tgid);
	return r ? r : (x->ti.tid > y->ti.tid) - (x->ti.tid < y->ti.tid);
}

/* ---- collection -------------------------------------------------------------- */

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
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

static int collect(struct tv_collector *c, const struct opts *o, struct tv_snapshot *snap)
{
	struct dirent *de;
	DIR *dir;
	int i, ret, errors = 0, tty = 0;
	int dflt = !o->npids && !o->all && !o->user_set;

	snap->taken_ns = now_ns(c->source == TV_SRC_IOCTL ? CLOCK_MONOTONIC : CLOCK_BOOTTIME);
	for (i = 0; i < o->npids; i++) {
		ret = tv_collect_pid(c, snap, o->pids[i]);
		if (ret) {
			fprintf(stderr, "threadview: process %d: %s\n", (int)o->pids[i],
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
			continue;	/* gone, hidden, or a kernel refusal: as ps */
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

static void compute_pcpu(struct tv_snapshot *snap, const struct tv_snapshot *prev)
{
	size_t i;

	for (i = 0; i < snap->nthreads; i++) {
		struct tv_thread *t = &snap->threads[i];
		uint64_t cpu = t->ti.utime_ns + t->ti.stime_ns, start = t->ti.start_time_ns;
		const struct tv_thread *old = prev ?
			bsearch(t, prev->threads, prev->nthreads, sizeof(*t), cmp_tid) : NULL;

		if (old && old->ti.start_time_ns == start && snap->taken_ns > prev->taken_ns) {
			uint64_t dc = cpu - (old->ti.utime_ns + old->ti.stime_ns);

			t->pcpu = 100.0 * (double)dc / (double)(snap->taken_ns - prev->taken_ns);
		} else if (snap->taken_ns > start) {
			t->pcpu = 100.0 * (double)cpu / (double)(snap->taken_ns - start);
		}
	}
}

/* ---- output ---------------------------------------------------------------- */

static struct libscols_table *new_table(const struct opts *o)
{
	struct libscols_table *tb = scols_new_table();
	int i;

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, o->json);
	scols_table_set_name(tb, "threads");
	for (i = 0; i < o->ncols; i++) {
		enum col_id c = o->cols[i];
		int fl = cols[c].numeric ? SCOLS_FL_RIGHT : 0;
		struct libscols_column *cl;

		if (o->tree && c == COL_CMD)
			fl |= SCOLS_FL_TREE;
		cl = scols_table_new_column(tb, cols[c].header, 0, fl);
		if (!cl)
			goto err;
		if (o->json) {
			scols_column_set_json_type(cl, cols[c].numeric ?
						   SCOLS_JSON_NUMBER : SCOLS_JSON_STRING);
			scols_cell_set_data(scols_column_get_header(cl), cols[c].name);
		}
	}
	return tb;
err:
	scols_unref_table(tb);
	return NULL;
}

static void fill_line(struct libscols_line *ln, const struct opts *o,
		      const struct tv_thread *t, const struct tv_snapshot *snap)
{
	char buf[CELL_MAX];
	int i;

	for (i = 0; i < o->ncols; i++) {
		fmt_cell(buf, o->cols[i], t, snap);
		scols_line_set_data(ln, i, buf);
	}
}

/* ps m: a line per process (its totals), its threads under it. */
static void fill_tree(struct libscols_table *tb, const struct opts *o,
		      const struct tv_snapshot *snap)
{
	struct libscols_line *parent = NULL;
	size_t i, first = 0;
	int k;

	for (i = 0; i < snap->nthreads; i++) {
		const struct tv_thread *t = &snap->threads[i];
		struct libscols_line *ln;
		char buf[CELL_MAX];

		if (!parent || t->ti.tgid != snap->threads[first].ti.tgid) {
			const struct tv_proc *p = &snap->procs[t->proc];
			uint64_t total = 0;
			size_t j;

			first = i;
			parent = scols_table_new_line(tb, NULL);
			for (j = i; j < snap->nthreads && snap->threads[j].ti.tgid == t->ti.tgid; j++)
				total += snap->threads[j].ti.utime_ns + snap->threads[j].ti.stime_ns;
			for (k = 0; k < o->ncols; k++) {
				switch (o->cols[k]) {
				case COL_PID: snprintf(buf, sizeof(buf), "%d", p->pid); break;
				case COL_TTY: fmt_tty(buf, sizeof(buf), p->tty_nr); break;
				case COL_TIME: buf[fmt_time(buf, total)] = '\0'; break;
				case COL_USER: snprintf(buf, sizeof(buf), "%s", user_name(p->uid)); break;
				case COL_CMD: snprintf(buf, sizeof(buf), "%s", p->comm); break;
				default: snprintf(buf, sizeof(buf), "%s", o->json ? "" : "-"); break;
				}
				scols_line_set_data(parent, k, *buf ? buf : NULL);
			}
		}
		ln = scols_table_new_line(tb, parent);
		fill_line(ln, o, t, snap);
		for (k = 0; k < o->ncols; k++)
			if (o->cols[k] == COL_PID || o->cols[k] == COL_TTY || o->cols[k] == COL_USER)
				scols_line_set_data(ln, k, o->json ? NULL : "-");
	}
}

/*
 * The plain table, printed directly: the column widths from one pass over
 * the records, then the rows through one output buffer. The layout is
 * libsmartcols' (one space between columns, numbers right-aligned, no
 * padding after the last column) and so are the escapes, in threadview's C
 * locale: a non-printable byte, or a backslash before 'x', is printed \xHH.
 */
struct outbuf {
	size_t len;
	char buf[1 << 16];
};

static void ob_flush(struct outbuf *ob)
{
	fwrite(ob->buf, 1, ob->len, stdout);
	ob->len = 0;
}

static void ob_put(struct outbuf *ob, const char *s, size_t len)
{
	if (ob->len + len > sizeof(ob->buf))
		ob_flush(ob);
	memcpy(ob->buf + ob->len, s, len);
	ob->len += len;
}

static void ob_spaces(struct outbuf *ob, size_t n)
{
	if (ob->len + n > sizeof(ob->buf))
		ob_flush(ob);
	memset(ob->buf + ob->len, ' ', n);
	ob->len += n;
}

static int needs_escape(const char *s, size_t i)
{
	unsigned char ch = (unsigned char)s[i];

	return ch < 0x20 || ch > 0x7e || (ch == '\\' && s[i + 1] == 'x');
}

/* A cell as printed: s itself, or its escaped copy in esc[4 * CELL_MAX]. */
static const char *escape_cell(const char *s, size_t *len, char *esc)
{
	static const char digits[] = "0123456789abcdef";
	size_t i, n = 0;

	for (i = 0; i < *len && !needs_escape(s, i); i++)
		;
	if (i == *len)
		return s;
	for (i = 0; i < *len; i++) {
		if (needs_escape(s, i)) {
			esc[n++] = '\\';
			esc[n++] = 'x';
			esc[n++] = digits[(unsigned char)s[i] >> 4];
			esc[n++] = digits[(unsigned char)s[i] & 15];
		} else {
			esc[n++] = s[i];
		}
	}
	*len = n;
	return esc;
}

static const char *table_cell(enum col_id c, const struct tv_thread *t,
			      const struct tv_snapshot *snap, char *buf, char *esc, size_t *len)
{
	*len = fmt_cell(buf, c, t, snap);
	return cols[c].numeric ? buf : escape_cell(buf, len, esc);
}

static void put_cell(struct outbuf *ob, const struct opts *o, int k, const size_t *width,
		     const char *s, size_t len)
{
	if (k)
		ob_put(ob, " ", 1);
	if (cols[o->cols[k]].numeric)
		ob_spaces(ob, width[k] - len);
	ob_put(ob, s, len);
	if (!cols[o->cols[k]].numeric && k + 1 < o->ncols)
		ob_spaces(ob, width[k] - len);
}

static int print_table(const struct opts *o, const struct tv_snapshot *snap)
{
	struct outbuf *ob = malloc(sizeof(*ob));
	char buf[CELL_MAX], esc[4 * CELL_MAX];
	size_t width[MAXCOLS], i, len;
	const char *s;
	int k;

	if (!ob)
		return -1;
	ob->len = 0;
	for (k = 0; k < o->ncols; k++)
		width[k] = strlen(cols[o->cols[k]].header);
	for (i = 0; i < snap->nthreads; i++) {
		for (k = 0; k < o->ncols; k++) {
			table_cell(o->cols[k], &snap->threads[i], snap, buf, esc, &len);
			if (len > width[k])
				width[k] = len;
		}
	}
	for (k = 0; k < o->ncols; k++) {
		s = cols[o->cols[k]].header;
		put_cell(ob, o, k, width, s, strlen(s));
	}
	ob_put(ob, "\n", 1);
	for (i = 0; i < snap->nthreads; i++) {
		for (k = 0; k < o->ncols; k++) {
			s = table_cell(o->cols[k], &snap->threads[i], snap, buf, esc, &len);
			put_cell(ob, o, k, width, s, len);
		}
		ob_put(ob, "\n", 1);
	}
	ob_flush(ob);
	free(ob);
	return 0;
}

static const char *source_name(const struct tv_collector *c)
{
	return c->source == TV_SRC_IOCTL ? "ioctl" : "proc";
}

static int print_snapshot(const struct opts *o, const struct tv_collector *c,
			  const struct tv_snapshot *snap)
{
	struct libscols_table *tb;
	size_t i;
	char *s = NULL;

	if (!o->json && !o->tree)
		return print_table(o, snap);
	tb = new_table(o);
	if (!tb)
		return -1;
	if (o->tree) {
		fill_tree(tb, o, snap);
	} else {
		for (i = 0; i < snap->nthreads; i++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			if (!ln)
				break;
			fill_line(ln, o, &snap->threads[i], snap);
		}
	}
	if (!o->json) {
		scols_print_table(tb);
	} else if (!scols_print_table_to_string(tb, &s) && s && *s == '{') {
		/* one object: which source, then libsmartcols' "threads" array */
		printf("{\n   \"source\": \"%s\",%s\n", source_name(c), s + 1);
	}
	free(s);
	scols_unref_table(tb);
	return 0;
}

static int run_once(struct tv_collector *c, const struct opts *o, struct tv_snapshot *prev,
		    struct tv_snapshot *snap)
{
	size_t i;

	if (collect(c, o, snap))
		return -1;
	compute_pcpu(snap, prev);
	sort_opts = o;
	sort_snap = snap;
	/* both sources give a process's threads in TID order: often nothing to do */
	for (i = 1; i < snap->nthreads; i++)
		if (cmp_threads(&snap->threads[i - 1], &snap->threads[i]) > 0)
			break;
	if (i < snap->nthreads)
		qsort(snap->threads, snap->nthreads, sizeof(*snap->threads), cmp_threads);
	return 0;
}

static int watch_loop(struct tv_collector *c, struct opts *o)
{
	struct tv_snapshot prev = { 0 }, snap = { 0 };
	struct timespec ts = { (time_t)o->watch, (long)((o->watch - (time_t)o->watch) * 1e9) };
	long n;

	for (n = 0; !o->iterations || n < o->iterations; n++) {
		if (run_once(c, o, &prev, &snap))
			return 1;
		if (!o->json) {
			time_t now = time(NULL);
			char tbuf[32];

			strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&now));
			if (isatty(STDOUT_FILENO))
				fputs("\033[H\033[2J", stdout);
			printf("threadview %s  every %gs  %zu threads in %zu processes  source: %s\n\n",
			       tbuf, o->watch, snap.nthreads, snap.nprocs, source_name(c));
		}
		print_snapshot(o, c, &snap);
		fflush(stdout);
		/* keep a TID-sorted copy for the next interval's %CPU */
		tv_snapshot_free(&prev);
		prev = snap;
		qsort(prev.threads, prev.nthreads, sizeof(*prev.threads), cmp_tid);
		memset(&snap, 0, sizeof(snap));
		if (o->iterations && n + 1 >= o->iterations)
			break;
		nanosleep(&ts, NULL);
	}
	tv_snapshot_free(&prev);
	return 0;
}

int main(int argc, char **argv)
{
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
		{ "source", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .source = TV_SRC_AUTO };
	struct tv_collector c;
	struct tv_snapshot snap = { 0 };
	int opt, i, ret, add = 0;
	char *end;

	while ((opt = getopt_long(argc, argv, "p:eu:o:O:s:tJw:n:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (parse_pids(&o, optarg))
				return 2;
			break;
		case 'e': o.all = 1; break;
		case 'u':
			if (parse_user(&o, optarg))
				return 2;
			break;
		case 'O':
			add = 1;
			/* fall through */
		case 'o':
			if (parse_list(optarg, 0, add_col, &o))
				return 2;
			break;
		case 's':
			if (parse_list(optarg, 1, add_sort, &o))
				return 2;
			break;
		case 't': o.tree = 1; break;
		case 'J': o.json = 1; break;
		case 'w':
			o.watch = strtod(optarg, &end);
			if (*end || !(o.watch > 0) || o.watch > 86400) {
				fprintf(stderr, "threadview: bad --watch interval '%s'\n", optarg);
				return 2;
			}
			break;
		case 'n':
			o.iterations = strtol(optarg, &end, 10);
			if (*end || o.iterations <= 0) {
				fprintf(stderr, "threadview: bad --iterations '%s'\n", optarg);
				return 2;
			}
			break;
		case 'S':
			if (!strcmp(optarg, "auto"))
				o.source = TV_SRC_AUTO;
			else if (!strcmp(optarg, "ioctl"))
				o.source = TV_SRC_IOCTL;
			else if (!strcmp(optarg, "proc"))
				o.source = TV_SRC_PROC;
			else {
				fprintf(stderr, "threadview: --source must be auto, ioctl or proc\n");
				return 2;
			}
			break;
		case 'q': o.quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "threadview: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (add || !o.ncols) {
		/* -O: the default columns with the requested ones before CMD, like ps -O */
		enum col_id extra[MAXCOLS];
		int nextra = add ? o.ncols : 0;
		size_t ndef = sizeof(default_cols) / sizeof(default_cols[0]);

		memcpy(extra, o.cols, sizeof(extra));
		o.ncols = 0;
		for (i = 0; i < (int)ndef - 1; i++)
			add_col(&o, default_cols[i], 0);
		for (i = 0; i < nextra; i++)
			add_col(&o, extra[i], 0);
		add_col(&o, COL_CMD, 0);
	}
	if (o.tree && o.cols[o.ncols - 1] != COL_CMD) {
		fprintf(stderr, "threadview: --tree needs cmd as the last column\n");
		return 2;
	}

	if (tv_collector_open(&c, o.source))
		return 1;
	for (i = 0; i < o.ncols; i++) {
		if (o.cols[i] == COL_VCSW || o.cols[i] == COL_IVCSW)
			c.want_ctxsw = true;
		if ((o.cols[i] == COL_SP || o.cols[i] == COL_IP) && c.source == TV_SRC_IOCTL)
			c.want_regs = true;
	}
	if (!o.quiet && !o.json && !o.watch)
		fprintf(stderr, "threadview: source: %s\n",
			c.source == TV_SRC_IOCTL ? "vmlab ioctl (" VMLAB_DEVICE ")" : "/proc");

	if (o.watch) {
		ret = watch_loop(&c, &o);
	} else {
		ret = run_once(&c, &o, NULL, &snap) ? 1 : 0;
		if (!ret)
			print_snapshot(&o, &c, &snap);
		tv_snapshot_free(&snap);
	}
	tv_collector_close(&c);
	free(o.pids);
	return ret;
}
