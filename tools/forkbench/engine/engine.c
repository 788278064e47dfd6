// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench-engine: the process forkbench measures in. fork copies the
 * parent's mappings, so the parent should map only what a process must:
 * this program is linked static and maps its text, data, heap and stack
 * (forkbench itself, with libsmartcols, libm and libc, maps three times as
 * many areas). It is what TLPI's exercise 28-1 measures, with forkbench's
 * methods. forkbench runs it and reads its lines:
 *
 *   base KB                    VmSize before any padding
 *   size SI BYTES LABEL        with -T: TLPI's sizes, from this base
 *   helper DESC                the exec helper, when a method execs
 *   start                      measuring begins
 *   result MI SI KB REPS ERR MIN MED MAX
 *   probe MI RET RAN SAME_TGID NEW_TID KCMP*4 SEEN*4 EXPECT*4
 *
 * usage: forkbench-engine [-n REPS -d NS -w NS -t TOUCH -c CPU -H HELPER
 *        -s BYTES=LABEL... -T -M -P] SPEC=FLAGS...
 * -T: TLPI's sizes; -M: the flags matrix (errors are results); -P: probe.
 * Errors are said on stderr, as forkbench's, with forkbench's exit status.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "forkbench.h"

#define MAX_METHODS 32
#define MAX_SIZES 16
#define MAX_REPS 1000

static struct {
	int reps, cpu, tlpi, matrix, probe;
	uint64_t dur_ns, warmup_ns;
	const char *helper;
	enum fb_touch touch;
} opt = { .reps = 5, .cpu = -1, .dur_ns = 500000000, .touch = FB_TOUCHED };

static struct fb_method methods[MAX_METHODS];
static int nmethods;
static uint64_t sizes[MAX_SIZES];
static char size_label[MAX_SIZES][24];
static int nsizes;

extern const unsigned char fb_helper_blob[], fb_helper_blob_end[];

/* An error of m's creation; exit 2 for a combination the kernel refuses. */
static void __attribute__((noreturn))
die_method(const struct fb_method *m, int err)
{
	const char *why = fb_flags_explain(m->flags, m->kind, -err);

	if (err == -EPROTO)
		vl_error("%s: the child did not exit with status %d%s", m->name,
			 m->exec ? FB_HELPER_STATUS : 0,
			 m->exec ? " (could it exec the helper?)" : "");
	else
		vl_error("%s(%s): %s (%s)%s%s", m->name, m->flag_str,
			 strerror(-err),
			 strerrorname_np(-err) ? strerrorname_np(-err) : "?",
			 why ? ": " : "", why ? why : "");
	exit(err == -EINVAL ? VL_EXIT_USAGE : VL_EXIT_FAIL);
}

/* Creations per second of m for ns nanoseconds: 0 or -errno. */
static int run_for(const struct fb_method *m, uint64_t ns, double *rate)
{
	uint64_t t0 = vl_now_ns(), t;
	long n = 0;
	int ret;

	do {
		ret = fb_create_one(m);
		if (ret)
			return ret;
		n++;
		t = vl_now_ns();
	} while (t - t0 < ns);
	*rate = (double)n * 1e9 / (double)(t - t0);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One method at the current size: its result line. */
static void measure(int mi, int si)
{
	const struct fb_method *m = &methods[mi];
	static double rates[MAX_REPS];
	double warm, med;
	int i, err = 0, n = opt.reps;

	if (opt.warmup_ns)
		err = run_for(m, opt.warmup_ns, &warm);
	for (i = 0; i < n && !err; i++)
		err = run_for(m, opt.dur_ns, &rates[i]);
	if (err && !opt.matrix)
		die_method(m, err);
	if (err) {
		printf("result %d %d 0 0 %d 0 0 0\n", mi, si, -err);
		return;
	}
	qsort(rates, (size_t)n, sizeof(rates[0]), cmp_double);
	med = n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
	printf("result %d %d %ld %d 0 %.3f %.3f %.3f\n", mi, si, fb_vmsize_kb(),
	       n, rates[0], med, rates[n - 1]);
	fflush(stdout);
}

/* TLPI's sizes (1.7, 2.7, 11.7 MB), or its steps from a larger base. */
static void tlpi_sizes(long base_kb)
{
	static const double mb[3] = { 1.7, 2.7, 11.7 };
	double base = (double)base_kb / 1024.0;
	int i;

	for (i = 0; i < 3; i++) {
		double s = base <= 1.7 ?
				   mb[i] :
				   (double)((long)(base * 10) + 1) / 10.0 +
					   mb[i] - 1.7;

		sizes[i] = (uint64_t)(s * 1048576);
		snprintf(size_label[i], sizeof(size_label[0]), "%.1fM", s);
		printf("size %d %llu %s\n", i, (unsigned long long)sizes[i],
		       size_label[i]);
	}
	nsizes = 3;
}

static void add_method(const char *arg)
{
	char spec[64], err[512];
	const char *eq = strrchr(arg, '=');
	uint64_t flags = 0;
	const char *why;

	if (!eq || (size_t)(eq - arg) >= sizeof(spec) ||
	    nmethods == MAX_METHODS)
		vl_usage_error("engine: bad method '%s'", arg);
	memcpy(spec, arg, (size_t)(eq - arg));
	spec[eq - arg] = '\0';
	why = vl_parse_uint(eq + 1, 0, UINT64_MAX, &flags);
	if (why)
		vl_usage_error("engine: method '%s': %s", arg, why);
	if (fb_method_init(&methods[nmethods], spec, flags, err, sizeof(err)))
		vl_usage_error("%s", err);
	nmethods++;
}

static void add_size(const char *arg)
{
	const char *eq = strchr(arg, '=');
	uint64_t v = 0;

	if (!eq || nsizes == MAX_SIZES ||
	    vl_parse_uint(strndupa(arg, (size_t)(eq - arg)), 1, UINT64_MAX, &v))
		vl_usage_error("engine: bad size '%s'", arg);
	sizes[nsizes] = v;
	snprintf(size_label[nsizes++], sizeof(size_label[0]), "%s", eq + 1);
}

static void parse_args(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "n:d:w:t:c:H:s:TMP")) != -1) {
		switch (c) {
		case 'n':
			opt.reps = (int)vl_opt_uint("-n", optarg, 1, MAX_REPS);
			break;
		case 'd':
			opt.dur_ns = vl_opt_uint("-d", optarg, 1, UINT64_MAX);
			break;
		case 'w':
			opt.warmup_ns =
				vl_opt_uint("-w", optarg, 0, UINT64_MAX);
			break;
		case 't':
			opt.touch =
				(enum fb_touch)vl_opt_uint("-t", optarg, 0, 2);
			break;
		case 'c':
			opt.cpu = (int)vl_opt_uint("-c", optarg, 0,
						   CPU_SETSIZE - 1);
			break;
		case 'H':
			opt.helper = optarg;
			break;
		case 's':
			add_size(optarg);
			break;
		case 'T':
			opt.tlpi = 1;
			break;
		case 'M':
			opt.matrix = 1;
			break;
		case 'P':
			opt.probe = 1;
			break;
		default:
			exit(VL_EXIT_USAGE);
		}
	}
	while (optind < argc)
		add_method(argv[optind++]);
}

/* Pinning, stacks, the helper, and every method's refusals: exits on an error. */
static void setup(void)
{
	char desc[512];
	int i, ret, helper = 0;

	if (opt.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(opt.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			vl_error("--cpu %d: %s", opt.cpu, strerror(errno));
			exit(VL_EXIT_USAGE);
		}
	}
	ret = fb_prepare();
	if (ret) {
		vl_error("setup: %s", strerror(-ret));
		exit(VL_EXIT_FAIL);
	}
	for (i = 0; i < nmethods; i++) {
		const char *why = fb_method_refuse(&methods[i]);

		if (why) {
			vl_error("%s(%s): %s", methods[i].name,
				 methods[i].flag_str, why);
			exit(VL_EXIT_USAGE);
		}
		if (!methods[i].exec || helper++)
			continue;
		if (fb_helper_setup(opt.helper, fb_helper_blob,
				    fb_helper_blob_end, desc,
				    sizeof(desc)) < 0) {
			vl_error("exec helper: %s", desc);
			exit(opt.helper ? VL_EXIT_USAGE : VL_EXIT_FAIL);
		}
		printf("helper %s\n", fb_helper_desc());
	}
}

static void probe(void)
{
	int i, r;

	for (i = 0; i < nmethods; i++) {
		struct fb_sharing s;
		int ret = fb_probe(&methods[i], &s);

		if (ret && ret != -EOPNOTSUPP)
			die_method(&methods[i], ret);
		printf("probe %d %d %d %d %d", i, ret, s.ran, s.same_tgid,
		       s.new_tid);
		for (r = 0; r < FB_NSHARE; r++)
			printf(" %d", s.kcmp[r]);
		for (r = 0; r < FB_NSHARE; r++)
			printf(" %d", s.seen[r]);
		for (r = 0; r < FB_NSHARE; r++)
			printf(" %d", s.expect[r]);
		printf("\n");
	}
}

/* Every size at least what the engine maps already: exits 2 if not. */
static void check_sizes(long base_kb)
{
	int si;

	for (si = 0; si < nsizes; si++) {
		if (sizes[si] >= (uint64_t)base_kb * 1024)
			continue;
		vl_error(
			"--vsize %s: forkbench's engine already maps %ld kB (VmSize); the smallest size here is %.1fM",
			size_label[si], base_kb,
			((double)base_kb / 1024.0 * 10 + 1) / 10);
		exit(VL_EXIT_USAGE);
	}
}

static void set_size(int si)
{
	int ret = fb_set_vsize(sizes[si], opt.touch);

	if (!ret)
		return;
	vl_error(
		"--vsize %s: %s", size_label[si],
		ret == -ERANGE ?
			"forkbench grew past it" :
		ret == -EOPNOTSUPP ?
			"--touch huge: this kernel has no transparent huge pages" :
			strerror(-ret));
	exit(VL_EXIT_FAIL);
}

int main(int argc, char **argv)
{
	static void *volatile heap;
	long base_kb;
	int i, si;

	vl_init(argv, "forkbench");
	parse_args(argc, argv);
	/* Create the heap now: VmSize must not move once a size is set. */
	heap = malloc(1);
	free(heap);
	setup();
	if (opt.probe) {
		probe();
		return 0;
	}
	/* First creation of each method: errors here are the interesting ones. */
	for (i = 0; i < nmethods; i++) {
		int ret = fb_create_one(&methods[i]);

		if (ret && !opt.matrix)
			die_method(&methods[i], ret);
	}
	base_kb = fb_vmsize_kb();
	printf("base %ld\n", base_kb);
	if (opt.tlpi && !nsizes)
		tlpi_sizes(base_kb);
	check_sizes(base_kb);
	printf("start\n");
	fflush(stdout);
	for (si = 0; si < (nsizes ? nsizes : 1); si++) {
		if (nsizes)
			set_size(si);
		for (i = 0; i < nmethods; i++)
			measure(i, si);
	}
	return 0;
}
