// SPDX-License-Identifier: GPL-2.0
/*
 * shmfork: the lectures' fork programs. A MAP_SHARED|MAP_ANONYMOUS buffer
 * written before fork(): the child reads the parent's message and writes
 * its own, and the parent, a second later, reads the child's. Beside it a
 * plain variable, which fork() copies: the child's write never reaches
 * the parent. Each side also prints the page frame its address maps
 * (from /proc/self/pagemap; 0 without CAP_SYS_ADMIN). With -J the child
 * notes what it saw in a second shared page and the parent prints it all.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "jvh.h"
#include "table.h"

/* The frame that maps addr in this process, or 0 when not visible. */
static uint64_t frame_of(const void *addr)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent),
		  (off_t)((uintptr_t)addr / vl_page_size()) * 8) != sizeof(ent))
		ent = 0;
	close(fd);
	/* bit 63: present; bits 0..54: the frame number */
	return ent >> 63 ? ent & ((1ULL << 55) - 1) : 0;
}

static void *create_shared_memory(size_t size)
{
	return mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

/* What one side saw at one moment: a row of the JSON table. */
struct seen {
	const char *who, *when;
	int pid, x;
	char buffer[16];
	uint64_t buffer_frame, x_frame; /* 0: not looked at */
};

enum {
	PARENT_BEFORE,
	CHILD_READ,
	CHILD_WROTE,
	PARENT_READ,
	PARENT_AFTER,
	NSEEN
};

static struct seen *seen; /* shared: the child's rows reach the parent */

static void note(int i, const char *who, const char *when, const char *shmem,
		 int x, bool frames)
{
	struct seen *s = &seen[i];

	s->who = who;
	s->when = when;
	s->pid = (int)getpid();
	s->x = x;
	snprintf(s->buffer, sizeof(s->buffer), "%s", shmem);
	if (frames) /* x is the caller's: its frame is noted there */
		s->buffer_frame = frame_of(shmem);
}

static int print_json(void)
{
	static const struct vl_col cols[] = {
		{ "WHO", 0 },	       { "WHEN", 0 },
		{ "PID", VL_NUM },     { "BUFFER", 0 },
		{ "X", VL_NUM },       { "BUFFER_FRAME", VL_NUM },
		{ "X_FRAME", VL_NUM },
	};
	struct libscols_table *tb = VL_TABLE("shmfork", true, cols);
	struct vl_doc doc;
	int i;

	if (!tb)
		return -1;
	for (i = 0; i < NSEEN; i++) {
		struct libscols_line *ln = vl_line(tb, NULL);

		vl_line_set_name(ln, 0, seen[i].who, 8);
		vl_line_set_name(ln, 1, seen[i].when, 16);
		vl_line_set_u64(ln, 2, (uint64_t)seen[i].pid);
		vl_line_set_name(ln, 3, seen[i].buffer, 16);
		vl_line_set_i64(ln, 4, seen[i].x);
		if (i != CHILD_READ && i != PARENT_READ) {
			vl_line_set_u64(ln, 5, seen[i].buffer_frame);
			vl_line_set_u64(ln, 6, seen[i].x_frame);
		}
	}
	vl_doc_init(&doc, true);
	return vl_doc_add(&doc, tb) || vl_doc_end(&doc) ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: shmfork [options]\n"
		"The parent writes \"hello\" to a MAP_SHARED|MAP_ANONYMOUS buffer and\n"
		"x = 1 to a plain variable, then forks; the child reads both, writes\n"
		"\"goodbye\" and x = 2; after a while the parent reads again.\n\n"
		"  -w, --wait TIME   how long the parent waits (default 1s; units ns, us,\n"
		"                    ms, s, min; a bare number is seconds; up to 1min)\n"
		"  -J, --json        one JSON document: what each side saw, and its frames\n"
		"  -V, --version     version\n"
		"  -h, --help        this help\n"
		"\nExit status: 0 done, 1 failed (mmap, fork), 2 bad usage.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char parent_message[] = "hello",
			  child_message[] = "goodbye";
	volatile int x = 1;
	uint64_t wait_ns = VL_NSEC_PER_SEC;
	char *shmem, waited[32], when[48];
	bool json = false;
	pid_t pid;
	int opt;

	vl_init(argv, "shmfork");
	while ((opt = getopt_long(argc, argv, "w:JVh", longopts, NULL)) != -1) {
		if (opt == 'w')
			wait_ns = vl_opt_duration("--wait", optarg, 0,
						  60 * VL_NSEC_PER_SEC);
		else if (opt == 'J')
			json = true;
		else
			vl_other_option(opt, usage);
	}
	vl_no_operands(argc, argv);
	vl_format_duration(wait_ns, waited, sizeof(waited));
	snprintf(when, sizeof(when), "after %s", waited);
	shmem = create_shared_memory(128);
	seen = create_shared_memory(NSEEN * sizeof(*seen));
	if (shmem == MAP_FAILED || seen == MAP_FAILED) {
		vl_error("mmap: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	memcpy(shmem, parent_message, sizeof(parent_message));
	note(PARENT_BEFORE, "parent", "before fork", shmem, x, true);
	seen[PARENT_BEFORE].x_frame = frame_of((void *)&x);
	if (!json) {
		printf("parent %d: shared buffer at %p (frame 0x%jx), x at %p (frame 0x%jx)\n",
		       (int)getpid(), (void *)shmem, (uintmax_t)frame_of(shmem),
		       (void *)&x, (uintmax_t)frame_of((void *)&x));
		fflush(stdout);
	}
	pid = fork();
	if (pid < 0) {
		vl_error("fork: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	if (pid == 0) {
		note(CHILD_READ, "child", "read", shmem, x, false);
		if (!json)
			printf("Child read: %s, x = %d\n", shmem, x);
		memcpy(shmem, child_message, sizeof(child_message));
		x = 2;
		note(CHILD_WROTE, "child", "wrote", shmem, x, true);
		seen[CHILD_WROTE].x_frame = frame_of((void *)&x);
		if (!json) {
			printf("Child wrote: %s, x = %d\n", shmem, x);
			printf("child %d: shared buffer frame 0x%jx, x frame 0x%jx\n",
			       (int)getpid(), (uintmax_t)frame_of(shmem),
			       (uintmax_t)frame_of((void *)&x));
			fflush(stdout);
		}
		_exit(0);
	}
	note(PARENT_READ, "parent", "read", shmem, x, false);
	if (!json) {
		printf("Parent read: %s, x = %d\n", shmem, x);
		fflush(stdout);
	}
	vl_sleep_ns(wait_ns);
	note(PARENT_AFTER, "parent", when, shmem, x, true);
	seen[PARENT_AFTER].x_frame = frame_of((void *)&x);
	if (!json) {
		printf("After %s, parent read: %s, x = %d\n", waited, shmem, x);
		printf("parent %d: shared buffer frame 0x%jx, x frame 0x%jx\n",
		       (int)getpid(), (uintmax_t)frame_of(shmem),
		       (uintmax_t)frame_of((void *)&x));
	}
	waitpid(pid, NULL, 0);
	return json && print_json() ? VL_EXIT_FAIL : VL_EXIT_OK;
}
