// SPDX-License-Identifier: GPL-2.0
/*
 * Every tool's -J, against the module: each command exits 0 and prints
 * exactly one valid JSON document (json_check.h is strict: no raw
 * control bytes, only JSON's escapes and numbers), whatever the view and
 * wherever -J stands. A thread name with bytes outside printable ASCII
 * comes out as text \xHH, in valid JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "json_check.h"
#include "kselftest_harness.h"

#define OUT_MAX (1 << 20)

static char out[OUT_MAX];

/* Run cmd (a shell command); its stdout in out; its exit status. */
static int run(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0, got;
	int st;

	out[0] = '\0';
	if (!f)
		return -1;
	while (n < OUT_MAX - 1 && (got = fread(out + n, 1, OUT_MAX - 1 - n, f)))
		n += got;
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* %d in each command is this test's PID, %s the name of its region. */
static const char *const commands[] = {
	"ptdump -J %d",
	"ptdump %d --json --pages --levels",
	"ptdump -s %d -J",
	"ptdump -J -e 7fff00000000 %d",
	"ptdump -J -e ffffffff81000000 %d",
	"ptdump -J -s -w 50ms -- sleep 1",
	"pagetouch -J write:0 fork dump clear faults sleep:1ms ro rw lock flush",
	"pagetouch read:all dump:first -s 64K -J",
	"wss -J -n 2 -i 10ms -s 256K",
	"wss -w hotcold -c 2 -n 2 -i 10ms -s 256K -J",
	"vmlabctl -J info",
	"vmlabctl info -J",
	"vmlabctl shm create %s 8K -J",
	"vmlabctl shm attach %s write=0x10 read add=1k touch=2 pfn stat sleep=1ms -J",
	"vmlabctl shm attach --private %s write=5 peek -J",
	"vmlabctl shm stat %s -J",
	"vmlabctl -J shm ls",
	"vmlabctl shm bench --size 64K --reps 1 -J",
	"vmlabctl shm unlink %s -J",
	"vmlabctl shm stat -J",
	"threadview -J -p %d",
	"threadview -p %d --tree -J -O %%cpu,vcsw,sp,ip",
	"threadview -q -e -s -pid,cmd -J",
	"threadview --source proc -u root -J",
	"vmlabfuzz -J -n 300 -j 2 -s 3",
	"forkbench -J -m fork,pthread -n 1 -d 10ms -w 0",
	"forkbench --show-sharing -J",
	"heapalloc malloc:a:100 dump free:a vma malloc:b:10K -J dump",
	"heapalloc -J bench 2",
	"protfault write-ro -J write-rw read:ffffffff80000000",
	"tlbchase -J -l 1k -m 64",
	"filemap -s 64K /tmp/json%d.map -J",
	"shmfork -w 10ms -J",
	"pagealign -J 0x10",
	"earlyvm -J",
	"vmquiz -J -n 3 %d",
	"vmquiz -s 2 -n 7 -c /dev/null -J %d",
};

/* The commands took 26-29 s on the debug kernel: near the harness's default of 30 s. */
FIXTURE(tools)
{
	int unused;
};

FIXTURE_SETUP(tools)
{
}

FIXTURE_TEARDOWN(tools)
{
}

TEST_F_TIMEOUT(tools, every_tool_prints_one_json_document, 300)
{
	char cmd[512], name[32];
	size_t i;

	snprintf(name, sizeof(name), "json%d", (int)getpid());
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char fmt[512];

		/* Both %d and %s: the first of the two placeholders is given. */
		snprintf(fmt, sizeof(fmt), "%s 2>/dev/null", commands[i]);
		if (strstr(fmt, "%s"))
			snprintf(cmd, sizeof(cmd), fmt, name);
		else
			snprintf(cmd, sizeof(cmd), fmt, (int)getpid());
		EXPECT_EQ(0, run(cmd)) TH_LOG("%s", cmd);
		EXPECT_TRUE(json_valid(out))
		TH_LOG("%s: not one JSON document:\n%.2000s", cmd, out);
	}
}

TEST(threadtrace_prints_one_json_document)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		SKIP(return, "no /sys/kernel/btf/vmlinux: no BPF CO-RE here");
	ASSERT_EQ(0, run("threadtrace -J -- sleep 0.05 2>/dev/null"));
	EXPECT_TRUE(json_valid(out)) TH_LOG("%.2000s", out);
	EXPECT_NE(NULL, strstr(out, "\"timeline\": ["));
}

TEST(thread_names_outside_ascii_are_escaped)
{
	char cmd[128];

	/* A name of 0x01 and 0xe9 bytes, as a program may set. */
	ASSERT_EQ(0, prctl(PR_SET_NAME, "n\x01\xe9x", 0, 0, 0));
	snprintf(cmd, sizeof(cmd), "threadview -J -p %d -o spid,cmd", getpid());
	ASSERT_EQ(0, run(cmd));
	EXPECT_TRUE(json_valid(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"cmd\": \"n\\\\x01\\\\xe9x\""))
	TH_LOG("%s", out);
	snprintf(cmd, sizeof(cmd), "threadview -q -p %d -o cmd", getpid());
	ASSERT_EQ(0, run(cmd));
	EXPECT_NE(NULL, strstr(out, "n\\x01\\xe9x")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
