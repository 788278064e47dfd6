// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench on the host (no module): every method creates what it claims
 * (the child reports what it shares, the parent sees its traces), --vsize
 * gives the asked VmSize, JSON and CSV parse, bad arguments exit 2.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json_check.h"
#include "kselftest_harness.h"

#define OUT_MAX (256 * 1024)

static char out[OUT_MAX], err[OUT_MAX];

/* forkbench next to this test (VM), or in the source tree (host). */
static const char *forkbench(void)
{
	static char path[PATH_MAX + 64];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (getenv("FORKBENCH"))
		return getenv("FORKBENCH");
	if (n <= 0)
		return "forkbench";
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/forkbench", self);
	if (access(path, X_OK))
		snprintf(path, sizeof(path), "%s/../tools/forkbench/forkbench",
			 self);
	return path;
}

static void slurp(int fd, char *buf)
{
	ssize_t n = pread(fd, buf, OUT_MAX - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/* Run forkbench with @args (NULL-terminated): exit status, output in out/err. */
static int run_fb(const char *const *args)
{
	const char *argv[40] = { "forkbench" };
	int fo = memfd_create("out", 0), fe = memfd_create("err", 0), i, st;
	pid_t pid;

	for (i = 0; args[i] && i < 38; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	pid = fork();
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execv(forkbench(), (char *const *)argv);
		_exit(126);
	}
	waitpid(pid, &st, 0);
	slurp(fo, out);
	slurp(fe, err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The string value of "key" in @s ("" if missing). */
static const char *jstr(const char *s, const char *key)
{
	static char val[256];
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(s, pat);
	val[0] = '\0';
	if (p)
		sscanf(p + strlen(pat), "%255[^\"]", val);
	return val;
}

/* The number after the @nth "key": in @s, or -1. */
static double jnum(const char *s, const char *key, int nth)
{
	char pat[64];
	const char *p = s;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	while ((p = strstr(p, pat)) && nth--)
		p++;
	return p ? strtod(p + strlen(pat), NULL) : -1;
}

struct expect {
	const char *method, *flags;
	const char *memory, *files, *fs, *sighand, *group;
};

#define S "shared"
#define P "private"
static const struct expect sharing[] = {
	{ "fork", NULL, P, P, P, P, "own" },
	{ "vfork", NULL, S, P, P, P, "own" },
	{ "clone:fork", NULL, P, P, P, P, "own" },
	{ "clone:vfork", NULL, S, P, P, P, "own" },
	{ "clone:tlpi", NULL, S, S, S, S, "own" },
	{ "clone:linuxthreads", NULL, S, S, S, S, "own" },
	{ "clone:thread", NULL, S, S, S, S, "same" },
	{ "clone:nptl", NULL, S, S, S, S, "same" },
	{ "clone3:nptl", NULL, S, S, S, S, "same" },
	{ "pthread", NULL, S, S, S, S, "same" },
	{ "clone", "FILES", P, S, P, P, "own" },
	{ "clone", "FS", P, P, S, P, "own" },
	{ "clone", "VM", S, P, P, P, "own" },
	{ "clone", "VM,SIGHAND", S, P, P, S, "own" },
	{ "clone3", "VM,FILES,SIGHAND,THREAD", S, S, P, S, "same" },
	{ "clone3", "FS,FILES", P, S, S, P, "own" },
};

TEST(each_method_shares_what_its_flags_say)
{
	size_t i;

	for (i = 0; i < sizeof(sharing) / sizeof(sharing[0]); i++) {
		const struct expect *e = &sharing[i];
		const char *args[] = { "--show-sharing",
				       "--json",
				       "-m",
				       e->method,
				       e->flags ? "--clone-flags" : NULL,
				       e->flags,
				       NULL };
		const char *what = e->flags ? e->flags : e->method;

		ASSERT_EQ(0, run_fb(args)) TH_LOG("%s: %s", what, err);
		ASSERT_TRUE(json_valid(out))
		TH_LOG("%s: bad JSON: %s", what, out);
		EXPECT_STREQ("yes", jstr(out, "ran")) TH_LOG("%s", what);
		EXPECT_STREQ("yes", jstr(out, "new_tid")) TH_LOG("%s", what);
		EXPECT_STREQ(e->group, jstr(out, "thread_group"))
		TH_LOG("%s", what);
		/* The child's own view (kcmp against the parent)... */
		EXPECT_STREQ(e->memory, jstr(out, "memory_child"))
		TH_LOG("%s", what);
		EXPECT_STREQ(e->files, jstr(out, "files_child"))
		TH_LOG("%s", what);
		EXPECT_STREQ(e->fs, jstr(out, "fs_child")) TH_LOG("%s", what);
		EXPECT_STREQ(e->sighand, jstr(out, "sighand_child"))
		TH_LOG("%s", what);
		/* ...and the traces it left, as the parent saw them. */
		EXPECT_STREQ(e->memory, jstr(out, "memory")) TH_LOG("%s", what);
		EXPECT_STREQ(e->files, jstr(out, "files")) TH_LOG("%s", what);
		EXPECT_STREQ(e->fs, jstr(out, "fs")) TH_LOG("%s", what);
		EXPECT_STREQ(e->sighand, jstr(out, "sighand"))
		TH_LOG("%s", what);
		EXPECT_STREQ("as flags say", jstr(out, "verdict"))
		TH_LOG("%s", what);
	}
}

TEST(exec_methods_really_exec_the_helper)
{
	const char *args[] = {
		"-m",
		"fork+exec,vfork+exec,clone+exec,clone3+exec,posix_spawn",
		"-n",
		"1",
		"-d",
		"0.02",
		"-w",
		"0",
		"--json",
		NULL
	};
	const char *other[] = { "-m",	     "fork+exec", "--helper",
				"/bin/true", "-n",	  "1",
				"-d",	     "0.02",	  NULL };

	ASSERT_EQ(0, run_fb(args)) TH_LOG("%s", err);
	ASSERT_TRUE(json_valid(out));
	EXPECT_LT(0, jnum(out, "median_per_s", 4));
	/* A program that exits 0 is not forkbench-child (status 42): refused. */
	EXPECT_EQ(1, run_fb(other));
	EXPECT_NE(NULL, strstr(err, "did not exit with status 42"))
	TH_LOG("%s", err);
}

/* forkbench --vsize 16M,40M [--touch MODE]: the VmSize each row reports. */
static void vsize_rows(struct __test_metadata *_metadata, const char *touch)
{
	const char *args[] = { "-m",  "fork,vfork", "--vsize", "16M,40M",
			       "-n",  "1",	    "-d",      "20ms",
			       "-w",  "0",	    "--json",  "--touch",
			       touch, NULL };

	ASSERT_EQ(0, run_fb(args)) TH_LOG("%s: %s", touch, err);
	ASSERT_TRUE(json_valid(out)) TH_LOG("%s: %s", touch, out);
	EXPECT_EQ(16384, jnum(out, "vmsize_kb", 0)) TH_LOG("%s", touch);
	EXPECT_EQ(16384, jnum(out, "vmsize_kb", 1)) TH_LOG("%s", touch);
	EXPECT_EQ(40960, jnum(out, "vmsize_kb", 2)) TH_LOG("%s", touch);
	EXPECT_EQ(40960, jnum(out, "vmsize_kb", 3)) TH_LOG("%s", touch);
	EXPECT_EQ(-1, jnum(out, "vmsize_kb", 4))
	TH_LOG("%s: more rows than 2 x 2", touch);
}

TEST(vsize_sets_vmsize)
{
	vsize_rows(_metadata, "touched");
	vsize_rows(_metadata, "untouched");
}

TEST(vsize_sets_vmsize_with_huge_pages)
{
	/* Debian's PREEMPT_RT kernel has no THP: forkbench must say so, exit 1. */
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK)) {
		const char *args[] = { "-m",	  "fork", "--vsize", "16M",
				       "--touch", "huge", "-n",	     "1",
				       "-d",	  "20ms", "-w",	     "0",
				       NULL };

		EXPECT_EQ(1, run_fb(args));
		EXPECT_NE(NULL, strstr(err, "no transparent huge pages"))
		TH_LOG("%s", err);
		SKIP(return, "no transparent huge pages on this kernel");
	}
	vsize_rows(_metadata, "huge");
}

/* Read VmSize and VmRSS of @pid (kB); -1 if gone. */
static int vm_of(pid_t pid, long *size, long *rss)
{
	char path[64], buf[4096], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "VmSize:");
	*size = p ? strtol(p + 7, NULL, 10) : 0;
	p = strstr(buf, "VmRSS:");
	*rss = p ? strtol(p + 6, NULL, 10) : 0;
	return 0;
}

/* forkbench measures in its engine, its child: that child's pid, or 0. */
static pid_t engine_of(pid_t pid)
{
	char path[64], buf[64] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return (pid_t)strtol(buf, NULL, 10);
}

/* Watch forkbench's engine from outside while it measures at --vsize 48M. */
static void watch(struct __test_metadata *_metadata, const char *touch,
		  long enough, long *size, long *rss)
{
	const char *argv[] = { "forkbench", "-m",  "vfork", "--vsize", "48M",
			       "--touch",   touch, "-n",    "1",       "-d",
			       "3",	    "-w",  "0",	    NULL };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i, st, devnull = open("/dev/null", O_WRONLY);
	pid_t engine = 0, pid = fork();
	long s, r;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(devnull, 1);
		execv(forkbench(), (char *const *)argv);
		_exit(126);
	}
	close(devnull);
	*size = *rss = 0;
	/*
	 * Keep the highest VmRSS while VmSize reads 48M, until @enough is
	 * resident or the run ends (touching is slow under TCG on a busy host).
	 */
	for (i = 0; i < 1000 && !(engine = engine_of(pid)); i++)
		nanosleep(&ts, NULL);
	for (i = 0; i < 1000 && !vm_of(engine, &s, &r); i++) {
		if (s == 48 * 1024) {
			*size = s;
			*rss = r > *rss ? r : *rss;
			if (*rss >= enough)
				break;
		} else if (*size) {
			break;
		}
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
}

TEST(vsize_seen_from_outside)
{
	long size, rss;

	watch(_metadata, "touched", 44 * 1024, &size, &rss);
	EXPECT_EQ(48 * 1024, size);
	EXPECT_LE(44 * 1024, rss) TH_LOG("touched: only %ld kB resident", rss);
	watch(_metadata, "untouched", LONG_MAX, &size, &rss);
	EXPECT_EQ(48 * 1024, size);
	EXPECT_GT(20 * 1024, rss) TH_LOG("untouched: %ld kB resident", rss);
}

TEST(csv_parses)
{
	const char *args[] = { "-m",	"fork,clone:thread",
			       "-n",	"2",
			       "-d",	"0.02",
			       "-w",	"0",
			       "--csv", NULL };
	char *line, *save;
	int fields0 = -1, rows = 0;

	ASSERT_EQ(0, run_fb(args)) TH_LOG("%s", err);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int fields = 1, quoted = 0;
		char *p;

		for (p = line; *p; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == ',' && !quoted)
				fields++;
		}
		if (fields0 < 0) {
			fields0 = fields;
			EXPECT_EQ(0, strncmp(line, "method,flags,", 13));
			continue;
		}
		EXPECT_EQ(fields0, fields) TH_LOG("%s", line);
		rows++;
	}
	EXPECT_EQ(2, rows);
}

TEST(tlpi_json_has_the_books_numbers)
{
	const char *args[] = { "--tlpi", "-n", "1",	 "-d", "0.02",
			       "-w",	 "0",  "--json", NULL };

	ASSERT_EQ(0, run_fb(args)) TH_LOG("%s", err);
	ASSERT_TRUE(json_valid(out));
	EXPECT_NE(NULL, strstr(out, "\"tlpi_per_s\": 4544"));
	EXPECT_NE(NULL, strstr(out, "\"tlpi_per_s\": 435"));
	EXPECT_NE(NULL, strstr(out, "\"tlpi_per_s\": 960"));
	EXPECT_EQ(1, jnum(out, "reps", 14)); /* 5 methods x 3 sizes */
	EXPECT_EQ(-1, jnum(out, "reps", 15));
}

TEST(flags_matrix_reports_refused_flags)
{
	const char *args[] = {
		"--flags-matrix", "-n", "1", "-d", "0.01", "-w", "0",
		"--json",	  NULL
	};

	ASSERT_EQ(0, run_fb(args)) TH_LOG("%s", err);
	ASSERT_TRUE(json_valid(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "EINVAL: CLONE_SIGHAND needs CLONE_VM"));
	EXPECT_NE(NULL,
		  strstr(out, "EINVAL: CLONE_THREAD needs CLONE_SIGHAND"));
}

TEST(bad_arguments_exit_2)
{
	static const struct {
		const char *args[6];
		const char *msg;
	} bad[] = {
		{ { "-m", "spoon" }, "unknown method" },
		{ { "-n", "0" },
		  "forkbench: --reps '0': must be between 1 and 1000\n" },
		{ { "-n", "2M" },
		  "forkbench: --reps '2M': must be between 1 and 1000\n" },
		{ { "-d", "-1" }, "forkbench: --duration '-1': negative\n" },
		{ { "-d", "5x" },
		  "forkbench: --duration '5x': unknown unit 'x'" },
		{ { "-w", "2h" },
		  "forkbench: --warmup '2h': unknown unit 'h'" },
		{ { "--cpu", "-3" }, "forkbench: --cpu '-3': negative\n" },
		{ { "--vsize", "lots" },
		  "forkbench: --vsize 'lots': not a number\n" },
		{ { "--vsize", "2T" },
		  "forkbench: --vsize '2T': must be between 4K and 1T\n" },
		{ { "--vsize", "64K" }, "forkbench's engine already maps" },
		{ { "--touch", "maybe" }, "--touch" },
		{ { "--json", "--csv" }, "exclude each other" },
		{ { "--plot", "chart.gif" }, ".png or .svg" },
		{ { "--clone-flags", "VM,WARP" }, "unknown clone flag 'WARP'" },
		{ { "--clone-flags", "PARENT" }, "sibling" },
		{ { "-m", "clone", "--clone-flags", "VM,THREAD" },
		  "EINVAL): CLONE_THREAD needs CLONE_SIGHAND" },
		{ { "-m", "clone", "--clone-flags", "SIGHAND" },
		  "EINVAL): CLONE_SIGHAND needs CLONE_VM" },
		{ { "-m", "clone", "--clone-flags", "CLEAR_SIGHAND" },
		  "only for clone3" },
		{ { "-m", "clone3", "--clone-flags",
		    "VM,SIGHAND,CLEAR_SIGHAND" },
		  "both shared and reset" },
		{ { "-m", "clone+exec", "--clone-flags", "thread" },
		  "CLONE_THREAD child" },
		{ { "--tlpi", "-m", "fork" }, "drop --method" },
		{ { "stray" }, "unexpected argument" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[10];
		int j;

		for (j = 0; j < 6 && bad[i].args[j]; j++)
			args[j] = bad[i].args[j];
		args[j++] = "-d";
		args[j++] = "0.01";
		args[j] = NULL;
		EXPECT_EQ(2, run_fb(args))
		TH_LOG("%s %s: %s", bad[i].args[0], bad[i].args[1], err);
		EXPECT_NE(NULL, strstr(err, bad[i].msg))
		TH_LOG("want '%s' in: %s", bad[i].msg, err);
		EXPECT_EQ(0, out[0]) TH_LOG("stdout not empty: %s", out);
	}
}

TEST_HARNESS_MAIN
