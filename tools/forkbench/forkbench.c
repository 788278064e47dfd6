// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench: how many processes or threads per second can this machine
 * create (and wait for), by method, clone flags and the parent's size;
 * TLPI Table 28-3 side by side with the book's numbers. This is the
 * command line; the measuring runs in forkbench-engine (engine/engine.c),
 * the output is report.c.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

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

struct fb_opts opt = { .reps = 5,
		       .cpu = -1,
		       .dur = 0.5,
		       .warmup = 0.1,
		       .touch = FB_TOUCHED };

struct fb_method methods[MAX_METHODS];
int nmethods;
uint64_t sizes[MAX_SIZES];
char size_label[MAX_SIZES][24];
int nsizes;
struct result results[MAX_METHODS * MAX_SIZES];
int nresults;
FILE *info;
long base_kb;
char helper_desc[4200];

/* What the engine is told to build each method from. */
static char method_spec[MAX_METHODS][48];
static uint64_t method_flags[MAX_METHODS];

static void init_method(const char *spec, uint64_t flags)
{
	char err[512];

	if (nmethods == MAX_METHODS)
		vl_usage_error("too many methods (at most %d)", MAX_METHODS);
	if (fb_method_init(&methods[nmethods], spec, flags, err, sizeof(err)))
		vl_usage_error("%s", err);
	snprintf(method_spec[nmethods], sizeof(method_spec[0]), "%s", spec);
	method_flags[nmethods++] = flags;
}
const char *const touch_name[] = { "untouched", "touched", "huge" };

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
		"      --touch MODE        untouched, touched (base pages, default) or huge\n"
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

static double parse_seconds(const char *opt, const char *arg, uint64_t min)
{
	return (double)vl_opt_duration(opt, arg, min, 3600 * VL_NSEC_PER_SEC) /
	       1e9;
}

static void add_methods(const char *list)
{
	char buf[1024], *tok, *save;

	if (strlen(list) >= sizeof(buf))
		vl_usage_error("method list too long: %s", list);
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		init_method(tok, opt.clone_flags);
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
		sizes[nsizes] =
			vl_opt_size("--vsize", tok, vl_page_size(), 1ULL << 40);
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
	size_t i;

	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		struct fb_method *m = &methods[nmethods];
		char name[sizeof(m->flag_str)];

		init_method("clone", matrix[i].flags);
		snprintf(name, sizeof(name), "%s", m->flag_str);
		snprintf(m->name, sizeof(m->name), "clone%s%.40s", i ? ":" : "",
			 i ? name : "");
	}
}

/* The engine's command line: what to measure, or probe. */
static char **engine_argv(const char *path)
{
	static char num[8][32], specs[MAX_METHODS][80], sz[MAX_SIZES][64];
	static char *argv[64 + MAX_METHODS + MAX_SIZES];
	int n = 0, i;

	argv[n++] = (char *)path;
	snprintf(num[0], sizeof(num[0]), "%d", opt.reps);
	snprintf(num[1], sizeof(num[1]), "%.0f", opt.dur * 1e9);
	snprintf(num[2], sizeof(num[2]), "%.0f", opt.warmup * 1e9);
	snprintf(num[3], sizeof(num[3]), "%d", (int)opt.touch);
	snprintf(num[4], sizeof(num[4]), "%d", opt.cpu);
	argv[n++] = "-n", argv[n++] = num[0];
	argv[n++] = "-d", argv[n++] = num[1];
	argv[n++] = "-w", argv[n++] = num[2];
	argv[n++] = "-t", argv[n++] = num[3];
	if (opt.cpu >= 0)
		argv[n++] = "-c", argv[n++] = num[4];
	if (opt.helper)
		argv[n++] = "-H", argv[n++] = (char *)opt.helper;
	for (i = 0; i < nsizes; i++) {
		snprintf(sz[i], sizeof(sz[i]), "%llu=%.23s", /* size_label[i] */
			 (unsigned long long)sizes[i], size_label[i]);
		argv[n++] = "-s", argv[n++] = sz[i];
	}
	if (opt.tlpi)
		argv[n++] = "-T";
	if (opt.matrix)
		argv[n++] = "-M";
	if (opt.sharing)
		argv[n++] = "-P";
	for (i = 0; i < nmethods; i++) {
		snprintf(specs[i], sizeof(specs[i]),
			 "%.47s=0x%llx", /* method_spec */
			 method_spec[i], (unsigned long long)method_flags[i]);
		argv[n++] = specs[i];
	}
	argv[n] = NULL;
	return argv;
}

static void read_result(const char *line)
{
	struct result *r = &results[nresults];
	int mi;

	if (nresults == MAX_METHODS * MAX_SIZES ||
	    sscanf(line, "result %d %d %ld %d %d %lf %lf %lf", &r->mi, &r->si,
		   &r->vmsize_kb, &r->reps, &r->err, &r->min, &r->med,
		   &r->max) != 8 ||
	    r->mi < 0 || r->mi >= nmethods)
		return;
	mi = r->mi;
	r->err = -r->err;
	r->desc = !opt.matrix	  ? NULL :
		  matrix[mi].desc ? matrix[mi].desc :
				    fb_flag_desc(matrix[mi].flags);
	r->tlpi = tlpi_rate(&methods[mi], r->si);
	nresults++;
}

static void read_probe(const char *line, struct fb_probe_line *probes)
{
	struct fb_probe_line p;
	struct fb_sharing *s = &p.s;
	int mi;

	if (sscanf(line,
		   "probe %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d",
		   &mi, &p.ret, &s->ran, &s->same_tgid, &s->new_tid,
		   &s->kcmp[0], &s->kcmp[1], &s->kcmp[2], &s->kcmp[3],
		   &s->seen[0], &s->seen[1], &s->seen[2], &s->seen[3],
		   &s->expect[0], &s->expect[1], &s->expect[2],
		   &s->expect[3]) == 17 &&
	    mi >= 0 && mi < nmethods)
		probes[mi] = p;
}

/* One line of the engine (see engine.c). */
static void engine_line(const char *line, struct fb_probe_line *probes)
{
	int si;
	unsigned long long bytes;
	char label[24];

	if (!strncmp(line, "base ", 5))
		base_kb = strtol(line + 5, NULL, 10);
	else if (!strncmp(line, "helper ", 7))
		snprintf(helper_desc, sizeof(helper_desc), "%s", line + 7);
	else if (sscanf(line, "size %d %llu %23s", &si, &bytes, label) == 3 &&
		 si >= 0 && si < MAX_SIZES) {
		sizes[si] = bytes;
		snprintf(size_label[si], sizeof(size_label[0]), "%s", label);
		nsizes = si + 1 > nsizes ? si + 1 : nsizes;
	} else if (!strcmp(line, "start"))
		print_header();
	else if (!strncmp(line, "result ", 7))
		read_result(line);
	else if (!strncmp(line, "probe ", 6))
		read_probe(line, probes);
}

extern const unsigned char fb_engine_blob[], fb_engine_blob_end[];

/* Run the engine and read what it measured: its exit status. */
static int run_engine(struct fb_probe_line *probes)
{
	struct fb_program p;
	char desc[512], *line = NULL;
	size_t cap = 0;
	int fds[2], status;
	pid_t pid;
	FILE *f;

	if (fb_find_program("forkbench-engine", NULL, fb_engine_blob,
			    fb_engine_blob_end, &p, desc, sizeof(desc)) ||
	    pipe(fds)) {
		vl_error("engine: %s", desc);
		return VL_EXIT_FAIL;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execv(p.path, engine_argv(p.path));
		vl_error("engine %s: %s", p.path, strerror(errno));
		_exit(VL_EXIT_FAIL);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		engine_line(line, probes);
	}
	free(line);
	if (f)
		fclose(f);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return VL_EXIT_FAIL;
	return WIFEXITED(status) ? WEXITSTATUS(status) : VL_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static struct fb_probe_line probes[MAX_METHODS];
	int ret;

	vl_init(argv, "forkbench");
	parse_args(argc, argv);
	info = (opt.json || opt.csv) ? stderr : stdout;
	if (opt.matrix)
		matrix_methods();
	ret = run_engine(probes);
	if (ret)
		return ret;
	if (opt.sharing) {
		print_header();
		return show_sharing(probes);
	}
	print_results();
	if (opt.tlpi && !opt.json && !opt.csv)
		print_tlpi();
	if (opt.plot && !strcmp(opt.plot, "-"))
		text_plot();
	else if (opt.plot && gnuplot(opt.plot))
		return VL_EXIT_FAIL;
	return 0;
}
