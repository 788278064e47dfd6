// SPDX-License-Identifier: GPL-2.0
/*
 * make -C tools install DESTDIR=... PREFIX=...: every tool, forkbench's
 * engine and helper, and every man page land under DESTDIR, executable
 * or readable; the installed tools run from there (forkbench finds its
 * installed engine next to itself). Nothing outside DESTDIR is written.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

static const char *const programs[] = {
	"ptdump",     "pagetouch",	  "wss",
	"threadview", "threadtrace",	  "threadpark",
	"racedemo",   "forkbench",	  "vmlabctl",
	"vmlabfuzz",  "forkbench-engine", "forkbench-child",
};

/* The tools directory of this tree: ../tools from this test's own. */
static int tools_dir(char *buf, size_t len)
{
	char self[PATH_MAX - 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(buf, len, "%s/../tools", self);
	return access(buf, F_OK);
}

FIXTURE(install)
{
	char root[64];
	char tools[PATH_MAX];
};

FIXTURE_SETUP(install)
{
	char cmd[PATH_MAX * 2];

	if (tools_dir(self->tools, sizeof(self->tools)))
		SKIP(return, "no tools/ beside selftests/ (an installed copy)");
	snprintf(self->root, sizeof(self->root), "/tmp/vmlab-install.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	snprintf(cmd, sizeof(cmd),
		 "make -s -C %s install DESTDIR=%s PREFIX=/opt/vl >/dev/null",
		 self->tools, self->root);
	ASSERT_EQ(0, system(cmd));
}

FIXTURE_TEARDOWN(install)
{
	char cmd[128];

	if (!self->root[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->root);
	EXPECT_EQ(0, system(cmd));
}

TEST_F(install, every_program_and_man_page_under_destdir)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		snprintf(path, sizeof(path), "%s/opt/vl/bin/%s", self->root,
			 programs[i]);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s not installed", path);
		EXPECT_EQ(0755, st.st_mode & 07777) TH_LOG("%s", path);
		if (!strncmp(programs[i], "forkbench-", 10))
			continue; /* not a tool: no man page of its own */
		snprintf(path, sizeof(path), "%s/opt/vl/share/man/man1/%s.1",
			 self->root, programs[i]);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s not installed", path);
		EXPECT_EQ(0644, st.st_mode & 07777) TH_LOG("%s", path);
	}
}

TEST_F(install, installed_forkbench_runs_its_installed_engine)
{
	char cmd[PATH_MAX], line[512];
	int found = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "%s/opt/vl/bin/forkbench -m fork+exec -n 1 -d 10ms -w 0 2>&1",
		 self->root);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		found += strstr(line, "# exec helper: ") &&
			 strstr(line, "/opt/vl/bin/forkbench-child");
	EXPECT_EQ(0, pclose(f));
	EXPECT_EQ(1, found) TH_LOG("the helper is not the installed file");
}

TEST_F(install, installed_tools_say_their_version)
{
	char cmd[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		if (!strncmp(programs[i], "forkbench-", 10))
			continue; /* forkbench's helpers */
		snprintf(cmd, sizeof(cmd),
			 "%s/opt/vl/bin/%s -V | grep -q '^%s from vmlab '",
			 self->root, programs[i], programs[i]);
		EXPECT_EQ(0, system(cmd)) TH_LOG("%s -V", programs[i]);
	}
}

TEST_HARNESS_MAIN
