// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench: how many processes or threads per second can this machine
 * create (and wait for), by method, clone flags and the parent's size;
 * TLPI Table 28-3 side by side with the book's numbers.
 */
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "forkbench.h"
#include "libvmlab.h"

#define MAX_METHODS 32
#define MAX_SIZES 16
#define MAX_REPS 1000

/* TLPI Table 28-3 (M. Kerrisk, The Linux Programming Interface, 2010). */
static const char *const tlpi_size[3] = { "1.70 MB", "2.70 MB", "11.70 MB" };
static const struct {
	const char *row;
	double rate[3];
} tlpi_rows[] = {
	{ "fork()", { 4544, 4135, 1276 } },
	{ "vfork()", { 28955, 28621, 28810 } },
	{ "clone()", { 34333, 34217, 34688 } },
	{ "fork() + exec()", { 764, 719, 435 } },
	{ "vfork() + exec()", { 969, 964, 960 } },
};

/* --flags-matrix: each flag alone, and with what the kernel makes it need. */
static const struct {
	uint64_t flags;
	const char *desc;
} matrix[] = {
	{ 0, "plain clone(SIGCHLD): a fork" },
	{ CLONE_VM, NULL },
	{ CLONE_FS, NULL },
	{ CLONE_FILES, NULL },
	{ CLONE_SIGHAND, NULL },
	{ CLONE_VM | CLONE_SIGHAND, "SIGHAND with the VM it needs" },
	{ CLONE_THREAD, NULL },
	{ CLONE_VM | CLONE_SIGHAND | CLONE_THREAD,
	  "THREAD with the SIGHAND and VM it needs" },
	{ CLONE_VFORK, NULL },
	{ CLONE_SYSVSEM, NULL },
	{ CLONE_IO, NULL },
	{ CLONE_SETTLS, NULL },
	{ CLONE_PIDFD, NULL },
	{ CLONE_NEWUTS, NULL },
	{ CLONE_NEWIPC, NULL },
	{ CLONE_NEWNS, NULL },
	{ CLONE_NEWPID, NULL },
	{ CLONE_NEWUSER, NULL },
	{ CLONE_NEWCGROUP, NULL },
};

struct result {
	int mi, si;
	long vmsize_kb;
	int reps, err;
	double min, med, max, tlpi;
	const char *desc; /* flags matrix: what the row's flags do */
};

static struct {
	int reps, cpu, json, csv, tlpi, matrix, sharing;
	double dur, warmup;
	const char *helper, *plot;
	enum fb_touch touch;
	uint64_t clone_flags;
} opt = { .reps = 5, .cpu = -1, .dur = 0.5, .warmup = 0.1, .touch = FB_TOUCHED };

static struct fb_method methods[MAX_METHODS];
static int nmethods;
static uint64_t sizes[MAX_SIZES]; /* 0: no padding */
static char size_label[MAX_SIZES][24];
static int nsizes;
static struct result results[MAX_METHODS * MAX_SIZES];
static int nresults;
static FILE *info; /* header: stdout, or stderr for --json/--csv */
static long base_kb;

static const char *const touch_name[] = { "untouched", "touched", "huge" };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: forkbench [OPTIONS]\n"
		"\n"
		"Creates a child (process or thread) and waits for it, again and again, and\n"
		"reports creations per second: min, median and max over repetitions.\n"
		"\n"
		"Options:\n"
		"  -m, --method LIST       fork, vfork, clone, clone:PRESET, clone3, pthread,\n"
		"                          posix_spawn; fork+exec, vfork+exec, clone+exec,\n"
		"                          clone3+exec (default: fork,vfork,clone)\n"
		"      --clone-flags LIST  flags of clone/clone3: VM,FS,FILES,SIGHAND,THREAD,...\n"
		"                          or a preset: fork, vfork, tlpi, linuxthreads, thread,\n"
		"                          nptl (default: tlpi = VM,VFORK,FS,FILES,SIGHAND)\n"
		"      --vsize LIST        grow the parent's VmSize to each size (1.7M,11.7M,1G)\n"
		"      --touch MODE        untouched, touched (4 KiB pages, default) or huge\n"
		"                          (MADV_HUGEPAGE): how the added memory is mapped\n"
		"  -n, --reps N            repetitions (default 5; 1 to 1000)\n"
		"  -d, --duration TIME     length of one repetition (default 500ms; units\n"
		"                          ns, us, ms, s; a bare number is seconds)\n"
		"  -w, --warmup TIME       warm-up before each method and size (default 100ms)\n"
		"      --cpu N             pin forkbench (and so its children) to CPU N\n"
		"      --helper PATH       program for +exec methods (default: forkbench-child\n"
		"                          next to forkbench, else a built-in copy)\n"
		"      --tlpi              TLPI Table 28-3: its methods and sizes, the book's\n"
		"                          numbers beside ours\n"
		"      --flags-matrix      what each clone flag costs on its own\n"
		"      --show-sharing      one child per method reports what it shares\n"
		"  -J, --json              JSON output\n"
		"      --csv               CSV output\n"
		"      --plot FILE         gnuplot chart of rate vs VmSize (.png or .svg),\n"
		"                          or '-' for a text chart on stdout\n"
		"  -V, --version           version\n"
		"  -h, --help              this help\n"
		"\nSizes take binary units (K, M, G: powers of 1024).\n"
		"Exit status: 0 done, 1 failed (a creation, setup), 2 bad usage or a\n"
		"combination forkbench or the kernel refuses.\n");
}

static double now(void)
{
	return (double)vl_now_ns() / 1e9;
}

static double parse_seconds(const char *opt, const char *arg, uint64_t min)
{
	return (double)vl_opt_duration(opt, arg, min, 3600 * VL_NSEC_PER_SEC) /
	       1e9;
}

static void add_methods(const char *list)
{
	char buf[1024], err[512], *tok, *save;

	if (strlen(list) >= sizeof(buf))
		vl_usage_error("method list too long: %s", list);
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (nmethods == MAX_METHODS)
			vl_usage_error("too many methods (at most 32): %s",
				       list);
		if (fb_method_init(&methods[nmethods], tok, opt.clone_flags,
				   err, sizeof(err)))
			vl_usage_error("%s", err);
		nmethods++;
	}
}

static void add_sizes(const char *list)
{
	char buf[512], *tok, *save;

	if (strlen(list) >= sizeof(buf))
		vl_usage_error("size list too long: %s", list);
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (nsizes == MAX_SIZES)
			vl_usage_error("too many sizes (at most 16): %s", list);
		sizes[nsizes] = vl_opt_size("--vsize", tok, 4096, 1ULL << 40);
		snprintf(size_label[nsizes], sizeof(size_label[0]), "%s", tok);
		nsizes++;
	}
}

static void parse_args(int argc, char **argv)
{
	enum {
		O_FLAGS = 256,
		O_VSIZE,
		O_TOUCH,
		O_CPU,
		O_HELPER,
		O_TLPI,
		O_MATRIX,
		O_SHARING,
		O_CSV,
		O_PLOT
	};
	static const struct option longopts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "clone-flags", required_argument, NULL, O_FLAGS },
		{ "vsize", required_argument, NULL, O_VSIZE },
		{ "touch", required_argument, NULL, O_TOUCH },
		{ "reps", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "cpu", required_argument, NULL, O_CPU },
		{ "helper", required_argument, NULL, O_HELPER },
		{ "tlpi", no_argument, NULL, O_TLPI },
		{ "flags-matrix", no_argument, NULL, O_MATRIX },
		{ "show-sharing", no_argument, NULL, O_SHARING },
		{ "json", no_argument, NULL, 'J' },
		{ "csv", no_argument, NULL, O_CSV },
		{ "plot", required_argument, NULL, O_PLOT },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *mlist = NULL, *vlist = NULL, *flist = "tlpi";
	char err[512];
	int c;

	while ((c = getopt_long(argc, argv, "m:n:d:w:JVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'm':
			mlist = optarg;
			break;
		case O_FLAGS:
			flist = optarg;
			break;
		case O_VSIZE:
			vlist = optarg;
			break;
		case O_TOUCH:
			for (c = 0; c < 3 && strcmp(optarg, touch_name[c]); c++)
				;
			if (c == 3)
				vl_usage_error(
					"--touch: '%s': expected untouched, touched or huge",
					optarg);
			opt.touch = c;
			break;
		case 'n':
			opt.reps = (int)vl_opt_count("--reps", optarg, 1,
						     MAX_REPS);
			break;
		case 'd':
			opt.dur = parse_seconds("--duration", optarg, 1000);
			break;
		case 'w':
			opt.warmup = parse_seconds("--warmup", optarg, 0);
			break;
		case O_CPU:
			opt.cpu = (int)vl_opt_uint("--cpu", optarg, 0,
						   CPU_SETSIZE - 1);
			break;
		case O_HELPER:
			opt.helper = optarg;
			break;
		case O_TLPI:
			opt.tlpi = 1;
			break;
		case O_MATRIX:
			opt.matrix = 1;
			break;
		case O_SHARING:
			opt.sharing = 1;
			break;
		case 'J':
			opt.json = 1;
			break;
		case O_CSV:
			opt.csv = 1;
			break;
		case O_PLOT:
			opt.plot = optarg;
			break;
		default:
			vl_other_option(c, usage);
		}
	}
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.json && opt.csv)
		vl_usage_error("%s", "--json and --csv exclude each other");
	if (opt.tlpi + opt.matrix + opt.sharing > 1)
		vl_usage_error(
			"%s",
			"--tlpi, --flags-matrix and --show-sharing exclude each other");
	if ((opt.tlpi || opt.matrix) && mlist)
		vl_usage_error(
			"%s",
			"--tlpi and --flags-matrix choose their own methods: drop --method");
	if (opt.sharing && (vlist || opt.plot))
		vl_usage_error(
			"%s",
			"--show-sharing measures nothing: drop --vsize and --plot");
	if (opt.plot && strcmp(opt.plot, "-")) {
		size_t n = strlen(opt.plot);

		if (n < 5 || (strcmp(opt.plot + n - 4, ".png") &&
			      strcmp(opt.plot + n - 4, ".svg")))
			vl_usage_error(
				"--plot: '%s': the file name must end in .png or .svg (or use '-')",
				opt.plot);
	}
	if (fb_parse_flags(flist, &opt.clone_flags, err, sizeof(err)))
		vl_usage_error("--clone-flags: %s", err);
	if (opt.tlpi)
		add_methods("fork,vfork,clone:tlpi,fork+exec,vfork+exec");
	else if (opt.sharing && !mlist)
		add_methods(
			"fork,vfork,clone:tlpi,clone:linuxthreads,clone:thread,clone:nptl,clone3:nptl,pthread");
	else if (!opt.matrix)
		add_methods(mlist ? mlist : "fork,vfork,clone");
	if (opt.tlpi) {
		strcpy(methods[2].name, "clone"); /* TLPI's row name */
		methods[2].tlpi = "clone()";
	}
	if (vlist)
		add_sizes(vlist);
}

static void matrix_methods(void)
{
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		struct fb_method *m = &methods[nmethods++];

		char name[sizeof(m->flag_str)];

		fb_method_init(m, "clone", matrix[i].flags, err, sizeof(err));
		snprintf(name, sizeof(name), "%s", m->flag_str);
		snprintf(m->name, sizeof(m->name), "clone%s%.40s", i ? ":" : "",
			 i ? name : "");
	}
}

static void print_header(void)
{
	struct utsname u;
	char line[512], model[256] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "re");
	int i;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "model name : %255[^\n]", model) == 1)
				break;
		fclose(f);
	}
	uname(&u);
	fprintf(info,
		opt.sharing ?
			"# forkbench: one child per method reports what it shares\n" :
			"# forkbench: create a child, wait for it, repeat (as TLPI 28.3 does)\n");
	fprintf(info, "# machine: %s, %ld CPUs online, %s\n", u.machine,
		sysconf(_SC_NPROCESSORS_ONLN), model);
	fprintf(info, "# kernel: %s %s %s\n", u.sysname, u.release, u.version);
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
	if (f && fgets(line, sizeof(line), f))
		fprintf(info, "# THP: %s", line);
	else
		fprintf(info, "# THP: not available\n");
	if (f)
		fclose(f);
	if (!opt.sharing) {
		fprintf(info,
			"# runs: %d x %.2f s after a %.2f s warm-up; CPU %s%s; added memory %s\n",
			opt.reps, opt.dur, opt.warmup,
			opt.cpu < 0 ? "not pinned" : "pinned to ",
			opt.cpu < 0 ?
				"" :
				(snprintf(line, sizeof(line), "%d", opt.cpu),
				 line),
			opt.touch == FB_UNTOUCHED ?
				"untouched (no page tables)" :
			opt.touch == FB_TOUCHED ?
				"touched (4 KiB pages, MADV_NOHUGEPAGE)" :
				"touched with MADV_HUGEPAGE (2 MiB pages)");
		fprintf(info, "# VmSize of forkbench before padding: %ld kB\n",
			base_kb);
	}
	for (i = 0; i < nmethods; i++) {
		if (methods[i].exec) {
			fprintf(info, "# exec helper: %s\n", fb_helper_desc());
			break;
		}
	}
	for (i = 0; i < nmethods && !opt.sharing; i++) {
		const struct fb_method *m = &methods[i];
		char added[64] = "";

		if (m->added)
			fb_flags_str(m->added, added, sizeof(added));
		fprintf(info, "# %s: flags %s%s%s%s; child: %s\n", m->name,
			m->flag_str, *added ? " (" : "", added,
			*added ? " added to wait for it)" : "", m->child);
	}
	fflush(info);
}

/* Report an error of @m's first creation; exit 2 for a refused combination. */
static void __attribute__((noreturn))
die_method(const struct fb_method *m, int err)
{
	const char *why = fb_flags_explain(m->flags, m->kind, -err);

	if (err == -EPROTO)
		fprintf(stderr,
			"forkbench: %s: the child did not exit with status %d%s\n",
			m->name, m->exec ? FB_HELPER_STATUS : 0,
			m->exec ? " (could it exec the helper?)" : "");
	else
		fprintf(stderr, "forkbench: %s(%s): %s (%s)%s%s\n", m->name,
			m->flag_str, strerror(-err),
			strerrorname_np(-err) ? strerrorname_np(-err) : "?",
			why ? ": " : "", why ? why : "");
	exit(err == -EINVAL ? 2 : 1);
}

static int run_for(const struct fb_method *m, double secs, double *rate)
{
	double t0 = now(), t;
	long n = 0;
	int ret;

	do {
		ret = fb_create_one(m);
		if (ret)
			return ret;
		n++;
		t = now();
	} while (t - t0 < secs);
	*rate = n / (t - t0);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void measure(struct result *r)
{
	const struct fb_method *m = &methods[r->mi];
	static double rates[MAX_REPS];
	double dummy;
	int i;

	if (opt.warmup > 0 && (r->err = run_for(m, opt.warmup, &dummy)))
		return;
	for (i = 0; i < opt.reps; i++)
		if ((r->err = run_for(m, opt.dur, &rates[i])))
			return;
	r->vmsize_kb = fb_vmsize_kb();
	qsort(rates, opt.reps, sizeof(rates[0]), cmp_double);
	r->reps = opt.reps;
	r->min = rates[0];
	r->max = rates[opt.reps - 1];
	r->med = opt.reps % 2 ?
			 rates[opt.reps / 2] :
			 (rates[opt.reps / 2 - 1] + rates[opt.reps / 2]) / 2;
}

static double tlpi_rate(const struct fb_method *m, int si)
{
	size_t i;

	if (!opt.tlpi || si > 2 || !m->tlpi)
		return 0;
	for (i = 0; i < sizeof(tlpi_rows) / sizeof(tlpi_rows[0]); i++)
		if (!strcmp(tlpi_rows[i].row, m->tlpi))
			return tlpi_rows[i].rate[si];
	return 0;
}

/* TLPI's sizes if forkbench is small enough, else its steps (+1, +10 MB). */
static void tlpi_sizes(void)
{
	static const double mb[3] = { 1.7, 2.7, 11.7 };
	double base = base_kb / 1024.0;
	int i;

	if (nsizes)
		return;
	for (i = 0; i < 3; i++) {
		double s = base <= 1.7 ?
				   mb[i] :
				   ((long)(base * 10) + 1) / 10.0 + mb[i] - 1.7;

		sizes[i] = s * 1048576;
		snprintf(size_label[i], sizeof(size_label[0]), "%.1fM", s);
	}
	nsizes = 3;
	if (base > 1.7)
		fprintf(info,
			"# forkbench itself maps %.2f MB (TLPI's program: 1.70 MB): sizes %s, %s, %s keep TLPI's steps (+1 MB, +10 MB)\n",
			base, size_label[0], size_label[1], size_label[2]);
}

static void fmt_rate(char *buf, size_t len, double v)
{
	if (v > 0)
		snprintf(buf, len, "%.0f", v);
	else
		buf[0] = '\0';
}

static const char *result_error(const struct result *r, char *buf, size_t len)
{
	const struct fb_method *m = &methods[r->mi];
	const char *why;

	buf[0] = '\0';
	if (!r->err)
		return buf;
	why = fb_flags_explain(m->flags, m->kind, -r->err);
	snprintf(buf, len, "%s%s%s",
		 strerrorname_np(-r->err) ? strerrorname_np(-r->err) :
					    strerror(-r->err),
		 why ? ": " : "", why ? why : "");
	return buf;
}

static struct libscols_column *add_col(struct libscols_table *tb,
				       const char *name, int num)
{
	struct libscols_column *cl =
		scols_table_new_column(tb, name, 0, num ? SCOLS_FL_RIGHT : 0);

	if (cl && num)
		scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	return cl;
}

/* The long format: one line per method and size (table, JSON, CSV). */
static void print_results(void)
{
	static const char *const cols[] = {
		"method",	"flags",     "vsize",	   "vmsize_kb",
		"touch",	"reps",	     "duration_s", "min_per_s",
		"median_per_s", "max_per_s", "tlpi_per_s", "vs_none",
		"effect",	"error"
	};
	static const int num[] = { 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0 };
	const int ncols = sizeof(cols) / sizeof(cols[0]);
	struct libscols_table *tb = scols_new_table();
	char v[16][600];
	int i, c;

	if (!tb)
		exit(1);
	scols_table_enable_json(tb, opt.json);
	scols_table_set_name(tb, "forkbench");
	for (c = 0; c < ncols; c++) {
		if (!opt.csv && !opt.json &&
		    ((c == 10 && !opt.tlpi) || (c >= 11 && !opt.matrix) ||
		     (c == 1 && opt.matrix) || c == 4 || c == 6 ||
		     (c == 2 && !nsizes)))
			continue;
		if (opt.csv)
			printf("%s%s", c ? "," : "", cols[c]);
		else
			add_col(tb, cols[c], num[c]);
	}
	if (opt.csv)
		printf("\n");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];
		const struct fb_method *m = &methods[r->mi];
		struct libscols_line *ln;
		int k = 0;

		snprintf(v[0], sizeof(v[0]), "%s", m->name);
		snprintf(v[1], sizeof(v[1]), "%s", m->flag_str);
		snprintf(v[2], sizeof(v[2]), "%s",
			 nsizes ? size_label[r->si] : "");
		snprintf(v[3], sizeof(v[3]), r->err ? "" : "%ld", r->vmsize_kb);
		snprintf(v[4], sizeof(v[4]), "%s", touch_name[opt.touch]);
		snprintf(v[5], sizeof(v[5]), r->err ? "" : "%d", r->reps);
		snprintf(v[6], sizeof(v[6]), "%g", opt.dur);
		fmt_rate(v[7], sizeof(v[7]), r->min);
		fmt_rate(v[8], sizeof(v[8]), r->med);
		fmt_rate(v[9], sizeof(v[9]), r->max);
		fmt_rate(v[10], sizeof(v[10]), r->tlpi);
		v[11][0] = '\0';
		if (opt.matrix && !r->err && results[r->si * nmethods].med > 0)
			snprintf(v[11], sizeof(v[11]), "%.2f",
				 r->med / results[r->si * nmethods].med);
		snprintf(v[12], sizeof(v[12]), "%s", r->desc ? r->desc : "");
		result_error(r, v[13], sizeof(v[13]));
		if (opt.csv) {
			for (c = 0; c < ncols; c++)
				printf(c == 1 || c == 12 || c == 13 ?
					       "%s\"%s\"" :
					       "%s%s",
				       c ? "," : "", v[c]);
			printf("\n");
			continue;
		}
		ln = scols_table_new_line(tb, NULL);
		for (c = 0; c < ncols; c++) {
			if (!opt.json && ((c == 10 && !opt.tlpi) ||
					  (c >= 11 && !opt.matrix) ||
					  (c == 1 && opt.matrix) || c == 4 ||
					  c == 6 || (c == 2 && !nsizes)))
				continue;
			if (*v[c] || !num[c])
				scols_line_set_data(ln, k, v[c]);
			k++;
		}
	}
	if (!opt.csv)
		scols_print_table(tb);
	scols_unref_table(tb);
}

/*
 * The book's finding, checked on our numbers: from the first to the last
 * size fork() loses (it copies page tables), vfork() and clone() do not.
 */
static void tlpi_shape(void)
{
	double ratio[3];
	int mi;

	if (nsizes < 2)
		return;
	for (mi = 0; mi < 3; mi++)
		ratio[mi] = results[(nsizes - 1) * nmethods + mi].med /
			    results[mi].med;
	printf("\nfrom %s to %s: fork() keeps %.0f%% of its rate, vfork() %.0f%%, clone() %.0f%%\n",
	       size_label[0], size_label[nsizes - 1], 100 * ratio[0],
	       100 * ratio[1], 100 * ratio[2]);
	if (ratio[0] < 0.8 && ratio[1] > 0.8 && ratio[2] > 0.8)
		printf("fork slows as the parent grows; vfork and clone do not (TLPI's shape)\n");
	else
		printf("TLPI's shape (fork below 80%%, vfork and clone above) not seen in this run: noise? try larger -n/-d\n");
}

/* Table 28-3's layout: a row per method, per size ours and the book's. */
static void print_tlpi(void)
{
	struct libscols_table *tb = scols_new_table();
	char name[64], buf[32];
	int mi, si;

	if (!tb)
		exit(1);
	add_col(tb, "method", 0);
	for (si = 0; si < nsizes; si++) {
		snprintf(name, sizeof(name), "%s /s", size_label[si]);
		add_col(tb, name, 1);
		if (si < 3) {
			snprintf(name, sizeof(name), "TLPI %s", tlpi_size[si]);
			add_col(tb, name, 1);
		}
	}
	for (mi = 0; mi < nmethods; mi++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		int k = 1;

		scols_line_set_data(ln, 0,
				    methods[mi].tlpi ? methods[mi].tlpi :
						       methods[mi].name);
		for (si = 0; si < nsizes; si++) {
			const struct result *r = &results[si * nmethods + mi];

			fmt_rate(buf, sizeof(buf), r->med);
			scols_line_set_data(ln, k++, buf);
			if (si < 3) {
				fmt_rate(buf, sizeof(buf), r->tlpi);
				scols_line_set_data(ln, k++, buf);
			}
		}
	}
	printf("\nTable 28-3 layout: creations per second (median); TLPI column: the book's\n"
	       "numbers (M. Kerrisk, The Linux Programming Interface, 2010, Table 28-3)\n");
	scols_print_table(tb);
	scols_unref_table(tb);
	tlpi_shape();
}

static void text_plot(void)
{
	double top = 0;
	int i, j;

	for (i = 0; i < nresults; i++)
		if (results[i].med > top)
			top = results[i].med;
	printf("\ncreations per second (median), one # per 2%% of the fastest\n");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];
		int w = top > 0 ? (int)(50 * r->med / top + 0.5) : 0;

		printf("%-28s %8s |", methods[r->mi].name,
		       nsizes ? size_label[r->si] : "");
		for (j = 0; j < 50; j++)
			putchar(j < w ? '#' : ' ');
		printf("| %.0f\n", r->med);
	}
}

static int gnuplot(const char *file)
{
	size_t n = strlen(file);
	FILE *gp = popen("gnuplot", "w");
	int mi, si, first = 1;

	if (!gp) {
		perror("forkbench: gnuplot");
		return -1;
	}
	fprintf(gp,
		"set terminal %s size 900,560 font ',11'\nset output '%s'\n",
		!strcmp(file + n - 4, ".svg") ? "svg" : "pngcairo", file);
	fprintf(gp,
		"set title 'Process and thread creation rate vs size of the parent (memory %s)'\n"
		"set xlabel 'VmSize of the parent (MB)'\nset ylabel 'creations per second (median, bars: min..max)'\n"
		"set logscale y\nset grid\nset key outside right\n",
		touch_name[opt.touch]);
	if (nsizes > 1 && sizes[nsizes - 1] > 8 * sizes[0])
		fprintf(gp, "set logscale x\n");
	for (mi = 0; mi < nmethods; mi++) {
		fprintf(gp, "$m%d << EOD\n", mi);
		for (si = 0; si < (nsizes ? nsizes : 1); si++) {
			const struct result *r = &results[si * nmethods + mi];

			if (!r->err)
				fprintf(gp, "%.3f %.1f %.1f %.1f\n",
					r->vmsize_kb / 1024.0, r->med, r->min,
					r->max);
		}
		fprintf(gp, "EOD\n");
	}
	fprintf(gp, "plot ");
	for (mi = 0; mi < nmethods; mi++) {
		fprintf(gp,
			"%s$m%d using 1:2:3:4 with yerrorlines lw 2 title '%s'",
			first ? "" : ", ", mi, methods[mi].name);
		first = 0;
	}
	fprintf(gp, "\n");
	if (pclose(gp)) {
		fprintf(stderr, "forkbench: gnuplot failed to write %s\n",
			file);
		return -1;
	}
	fprintf(info, "# plot written to %s\n", file);
	return 0;
}

static const char *share_word(int v)
{
	return v ? "shared" : "private";
}

static int show_sharing(void)
{
	struct libscols_table *tb = scols_new_table();
	static const char *const cols[] = {
		"method",	 "flags",	 "ran",		"new_tid",
		"thread_group",	 "memory",	 "files",	"fs",
		"sighand",	 "memory_child", "files_child", "fs_child",
		"sighand_child", "verdict"
	};
	int i, c, bad = 0;

	if (!tb)
		return 1;
	scols_table_enable_json(tb, opt.json);
	scols_table_set_name(tb, "forkbench");
	for (c = 0; c < 14; c++)
		if (opt.json || (c < 9 || c == 13))
			add_col(tb, cols[c], 0);
	for (i = 0; i < nmethods; i++) {
		const struct fb_method *m = &methods[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		struct fb_sharing s;
		char verdict[128] = "", v[14][128];
		int ret = fb_probe(m, &s), r, k = 0;

		if (ret && ret != -EOPNOTSUPP)
			die_method(m, ret);
		snprintf(v[0], 64, "%.47s", m->name);
		snprintf(v[1], 128, "%.127s", m->flag_str);
		snprintf(v[2], 64, "%s", ret ? "n/a" : s.ran ? "yes" : "no");
		snprintf(v[3], 64, "%s",
			 ret	   ? "n/a" :
			 s.new_tid ? "yes" :
				     "no");
		snprintf(v[4], 64, "%s",
			 ret	     ? "n/a" :
			 s.same_tgid ? "same" :
				       "own");
		for (r = 0; r < FB_NSHARE; r++) {
			int child = s.kcmp[r] < 0 ? s.seen[r] : s.kcmp[r];

			snprintf(v[5 + r], 64, "%s",
				 ret		    ? "n/a" :
				 child != s.seen[r] ? "disagree" :
						      share_word(s.seen[r]));
			snprintf(v[9 + r], 64, "%s",
				 ret	       ? "n/a" :
				 s.kcmp[r] < 0 ? "kcmp failed" :
						 share_word(s.kcmp[r]));
			if (!ret &&
			    (child != s.seen[r] || s.seen[r] != s.expect[r]))
				snprintf(verdict + strlen(verdict),
					 sizeof(verdict) - strlen(verdict),
					 " %s", fb_share_name[r]);
		}
		if (ret)
			snprintf(v[13], 64, "exec replaces the image");
		else if (!s.ran || !s.new_tid ||
			 s.same_tgid != !!(m->flags & CLONE_THREAD) || *verdict)
			snprintf(v[13], 64, "MISMATCH:%s%s", verdict,
				 s.ran ? "" : " did not run");
		else
			snprintf(v[13], 64, "as flags say");
		if (!ret && strcmp(v[13], "as flags say"))
			bad++;
		for (c = 0; c < 14; c++)
			if (opt.json || (c < 9 || c == 13))
				scols_line_set_data(ln, k++, v[c]);
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	if (!opt.json)
		printf("%s\n",
		       bad ? "some children did NOT behave as their flags say" :
			     "every child shared exactly what its flags say (seen by the child via kcmp, and by the parent)");
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	static void *volatile heap;
	char desc[512];
	int i, si, ret;

	vl_init(argv, "forkbench");
	parse_args(argc, argv);
	/* Create the heap now: VmSize must not move once --vsize has set it. */
	heap = malloc(1);
	free(heap);
	info = (opt.json || opt.csv) ? stderr : stdout;
	if (opt.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(opt.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "forkbench: --cpu %d: %s\n", opt.cpu,
				strerror(errno));
			return 2;
		}
	}
	if ((ret = fb_prepare())) {
		fprintf(stderr, "forkbench: setup: %s\n", strerror(-ret));
		return 1;
	}
	if (opt.matrix)
		matrix_methods();
	for (i = 0; i < nmethods; i++) {
		const char *why = fb_method_refuse(&methods[i]);

		if (why) {
			fprintf(stderr, "forkbench: %s(%s): %s\n",
				methods[i].name, methods[i].flag_str, why);
			return 2;
		}
		if (methods[i].exec &&
		    fb_helper_setup(opt.helper, desc, sizeof(desc)) < 0) {
			fprintf(stderr, "forkbench: exec helper: %s\n", desc);
			return opt.helper ? 2 : 1;
		}
	}
	/* First creation of each method: errors here are the interesting ones. */
	for (i = 0; i < nmethods && !opt.sharing; i++) {
		ret = fb_create_one(&methods[i]);
		if (ret && !opt.matrix)
			die_method(&methods[i], ret);
	}
	base_kb = fb_vmsize_kb();
	if (opt.sharing) {
		print_header();
		return show_sharing();
	}
	if (opt.tlpi)
		tlpi_sizes();
	for (si = 0; si < nsizes; si++) {
		if (sizes[si] < (uint64_t)base_kb * 1024) {
			fprintf(stderr,
				"forkbench: --vsize %s: forkbench itself already maps %ld kB (VmSize); the smallest size here is %.1fM\n",
				size_label[si], base_kb,
				(base_kb / 1024.0 * 10 + 1) / 10);
			return 2;
		}
	}
	print_header();
	for (si = 0; si < (nsizes ? nsizes : 1); si++) {
		if (nsizes && (ret = fb_set_vsize(sizes[si], opt.touch))) {
			fprintf(stderr, "forkbench: --vsize %s: %s\n",
				size_label[si],
				ret == -ERANGE ?
					"forkbench grew past it" :
				ret == -EOPNOTSUPP ?
					"--touch huge: this kernel has no transparent huge pages" :
					strerror(-ret));
			return 1;
		}
		for (i = 0; i < nmethods; i++) {
			struct result *r = &results[nresults++];

			r->mi = i;
			r->si = si;
			r->desc = opt.matrix ?
					  (matrix[i].desc ?
						   matrix[i].desc :
						   fb_flag_desc(
							   matrix[i].flags)) :
					  NULL;
			measure(r);
			if (r->err && !opt.matrix)
				die_method(&methods[i], r->err);
			r->tlpi = tlpi_rate(&methods[i], si);
		}
	}
	print_results();
	if (opt.tlpi && !opt.json && !opt.csv)
		print_tlpi();
	if (opt.plot && !strcmp(opt.plot, "-"))
		text_plot();
	else if (opt.plot && gnuplot(opt.plot))
		return 1;
	return 0;
}
