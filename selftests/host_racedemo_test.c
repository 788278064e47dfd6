// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo on the host: unsynchronised user-space modes lose updates in at
 * least one of K runs, synchronised ones never do, and every --json output
 * is valid JSON with the documented keys (checked with jq).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define K 8	/* runs allowed to show a race */

static char *racedemo;

/* tools/racedemo/racedemo next to this test's selftests/ directory. */
static int find_racedemo(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	free(racedemo);
	if (asprintf(&racedemo, "%s/../tools/racedemo/racedemo", self) < 0)
		return -1;
	return access(racedemo, X_OK);
}

/*
 * Run "racedemo --json ARGS | jq -e FILTER"; the filter's value (one line)
 * goes to out. Returns jq's exit status: 0 when the JSON parsed and the
 * filter gave neither false nor null.
 */
static int rd_jq(const char *args, const char *filter, char *out, size_t len)
{
	char *cmd;
	FILE *p;
	int st;

	if (asprintf(&cmd, "'%s' --json %s | jq -e -r '%s'", racedemo, args, filter) < 0)
		return -1;
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return -1;
	if (!fgets(out, len, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long rd_jq_long(struct __test_metadata *_metadata, const char *args, const char *filter)
{
	char out[256];

	EXPECT_EQ(0, rd_jq(args, filter, out, sizeof(out)))
		TH_LOG("racedemo --json %s | jq '%s' gave '%s'", args, filter, out);
	return atol(out);
}

FIXTURE(rd) {
	int dummy;
};

FIXTURE_SETUP(rd)
{
	if (find_racedemo())
		SKIP(return, "tools/racedemo/racedemo not built");
	if (system("command -v jq >/dev/null"))
		SKIP(return, "jq is needed to validate the JSON output");
}

FIXTURE_TEARDOWN(rd)
{
}

static const char *const counter_keys =
	".counter[0] | (has(\"expected\") and has(\"actual\") and has(\"lost\") and "
	"has(\"ops_per_s\")) and .lost == .expected - .actual";

TEST_F(rd, counter_json_has_the_keys)
{
	char out[64];

	ASSERT_EQ(0, rd_jq("counter -t 2 -n 1000 -m atomic", counter_keys, out, sizeof(out)));
	EXPECT_STREQ("true", out);
	ASSERT_EQ(0, rd_jq("counter -t 2 -n 1000 -m atomic",
			   ".counter[0].expected", out, sizeof(out)));
	EXPECT_STREQ("2000", out);
}

/* The unsynchronised counter loses updates, threads or processes. */
TEST_F(rd, counter_none_loses_updates)
{
	const char *const args[] = { "counter -t 4 -n 1M -y 1000 -m none",
				     "counter -P 2 -t 2 -n 1M -y 1000 -m none" };
	unsigned int i, run;

	for (i = 0; i < 2; i++) {
		long lost = 0;

		for (run = 0; run < K && lost <= 0; run++)
			lost = rd_jq_long(_metadata, args[i], ".counter[0].lost");
		EXPECT_LT(0, lost) TH_LOG("%s: no update lost in %d runs", args[i], K);
	}
}

TEST_F(rd, counter_synchronised_modes_are_exact)
{
	const char *const modes[] = { "atomic", "pthread-mutex", "spin" };
	unsigned int i, run;
	char args[128];

	for (i = 0; i < 3; i++) {
		for (run = 0; run < 3; run++) {
			snprintf(args, sizeof(args), "counter -t 4 -n 200k -m %s", modes[i]);
			EXPECT_EQ(0, rd_jq_long(_metadata, args, ".counter[0].lost")) TH_LOG("%s", args);
			snprintf(args, sizeof(args), "counter -P 2 -t 2 -n 100k -m %s%s", modes[i],
				 strcmp(modes[i], "pthread-mutex") ? "" : " -y 1000");
			EXPECT_EQ(400000, rd_jq_long(_metadata, args, ".counter[0].actual"))
				TH_LOG("%s", args);
		}
	}
}

/* saldo: below 130 without a lock, in at least one of K x 200 runs; never with one. */
TEST_F(rd, saldo)
{
	const char *lost_f = "[.saldo[] | select(.mode == \"none\" and .final < 130) | .runs] | add // 0";
	const char *mutex_f = "[.saldo[] | select(.mode == \"mutex\" and .final == 130)][0].runs";
	/* A losing run comes with its interleaving: both loaded 100. */
	const char *example_f = "[(.interleaving // [])[] | select(.instruction == \"load r1, saldo\")"
				" | .r1] == [100, 100]";
	long lost = 0, run;
	char out[64];
	int wrong = 1;

	for (run = 0; run < K && lost <= 0; run++)
		lost = rd_jq_long(_metadata, "saldo -r 200", lost_f);
	EXPECT_LT(0, lost);
	EXPECT_EQ(200, rd_jq_long(_metadata, "saldo -r 200", mutex_f));
	for (run = 0; run < K && wrong; run++)
		wrong = rd_jq("saldo -r 200", example_f, out, sizeof(out));
	EXPECT_EQ(0, wrong) TH_LOG("no losing run showed both loads of 100: %s", out);
}

/* All 20 orders of load/add/store x2: 9 end at 1, 9 at 2, 2 at 3. */
TEST_F(rd, interleavings)
{
	const char *f = "[.outcomes[] | select(.program == \"A:x=x+1 B:x=x+2\") | .interleavings]"
			" == [9, 9, 2] and ([.orders[] | select(.program == \"A:x=1 B:x=2\")]"
			" | length) == 2";
	char out[64];

	ASSERT_EQ(0, rd_jq("interleavings", f, out, sizeof(out)));
	EXPECT_STREQ("true", out);
}

static long beer(struct __test_metadata *_metadata, const char *attempt, const char *field)
{
	char args[128], filter[64];

	snprintf(args, sizeof(args), "beer -r 300 -a %s", attempt);
	snprintf(filter, sizeof(filter), ".beer[0].%s", field);
	return rd_jq_long(_metadata, args, filter);
}

TEST_F(rd, beer)
{
	long both = 0, nobody = 0, deadlocks = 0, run;

	for (run = 0; run < K && both <= 0; run++)
		both = beer(_metadata, "note", "both_bought");
	EXPECT_LT(0, both) TH_LOG("the lecture's first attempt never bought twice");
	for (run = 0; run < K && nobody <= 0; run++)
		nobody = beer(_metadata, "two-notes", "nobody_bought");
	EXPECT_LT(0, nobody);
	for (run = 0; run < K && deadlocks <= 0; run++)
		deadlocks = beer(_metadata, "wait-for-note", "deadlocks");
	EXPECT_LT(0, deadlocks);
	/* Two notes never buy twice; the classic solution and the lock buy once. */
	EXPECT_EQ(0, beer(_metadata, "two-notes", "both_bought"));
	EXPECT_EQ(300, beer(_metadata, "asymmetric", "one_bought"));
	EXPECT_EQ(300, beer(_metadata, "lock", "one_bought"));
}

TEST_F(rd, locks)
{
	const char *const good[] = { "tas", "ticket", "pthread-mutex" };
	long violations = 0, run;
	char args[128];
	unsigned int i;

	for (run = 0; run < K && violations <= 0; run++)
		violations = rd_jq_long(_metadata, "locks -d 100ms -l broken", ".locks[0].violations");
	EXPECT_LT(0, violations);
	for (i = 0; i < 3; i++) {
		snprintf(args, sizeof(args), "locks -d 100ms -l %s", good[i]);
		EXPECT_EQ(0, rd_jq_long(_metadata, args, ".locks[0].violations")) TH_LOG("%s", good[i]);
		EXPECT_LT(0, rd_jq_long(_metadata, args, ".locks[0].acquisitions"));
	}
	/* Nobody who asked later passes a ticket holder: runs of at most 2. */
	EXPECT_GE(2, rd_jq_long(_metadata, "locks -t 3 -d 100ms -l ticket", ".locks[0].max_streak"));
}

/* Exit status of a shell command line; %s in fmt is the racedemo path. */
static int sh_status(const char *fmt, const char *args, const char *grep)
{
	char *cmd;
	int st;

	if (asprintf(&cmd, fmt, racedemo, args, grep) < 0)
		return -1;
	st = system(cmd);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* stderr of racedemo ARGS (no device) matches grep: 0. */
static int run_status(const char *args, const char *grep)
{
	return sh_status("VMLAB_DEVICE=/nonexistent '%s' %s 2>&1 >/dev/null | grep -q '%s'",
			 args, grep);
}

static int exit_status(const char *args)
{
	return sh_status("VMLAB_DEVICE=/nonexistent '%s' %s >/dev/null 2>&1%s", args, "");
}

/* Kernel modes say clearly that they need the device; usage errors exit 2. */
TEST_F(rd, errors)
{
	EXPECT_EQ(0, run_status("counter -m kernel-mutex", "cannot open /nonexistent"));
	EXPECT_EQ(1, exit_status("counter -m kernel-atomic"));
	EXPECT_EQ(2, exit_status("counter -m bogus"));
	EXPECT_EQ(2, exit_status("counter -t 0"));
	EXPECT_EQ(2, exit_status("nosuchcommand"));
	EXPECT_EQ(2, exit_status("saldo extra"));
	EXPECT_EQ(0, run_status("counter -m none -d 5us", "kernel modes"));
}

TEST_HARNESS_MAIN
