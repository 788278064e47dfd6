// SPDX-License-Identifier: GPL-2.0
/*
 * fork-loop: the reference forkbench is held to, TLPI's exercise 28-1 as
 * small as it goes. For SECONDS, create a child that exits at once and
 * wait for it before creating the next; print the creations per second.
 * Linked static, nothing else in the process: what fork copies is only
 * what a process must have.
 *
 * usage: fork-loop fork|vfork|clone SECONDS
 * clone is forkbench's default clone:tlpi, VM|VFORK|FS|FILES|SIGHAND.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STACK_SIZE (64 * 1024)

static char stack[STACK_SIZE] __attribute__((aligned(16)));

static int child(void *arg)
{
	(void)arg;
	return 0;
}

static pid_t create(const char *method)
{
	pid_t pid;

	if (!strcmp(method, "fork")) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		return pid;
	}
	if (!strcmp(method, "vfork")) {
		pid = vfork();
		if (pid == 0)
			_exit(0);
		return pid;
	}
	return clone(child, stack + STACK_SIZE,
		     CLONE_VM | CLONE_VFORK | CLONE_FS | CLONE_FILES |
			     CLONE_SIGHAND | SIGCHLD,
		     NULL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs, t0, t;
	long n = 0;
	pid_t pid;

	if (argc != 3 ||
	    (strcmp(argv[1], "fork") && strcmp(argv[1], "vfork") &&
	     strcmp(argv[1], "clone")) ||
	    !(secs = strtod(argv[2], NULL)) || secs <= 0) {
		fprintf(stderr, "usage: fork-loop fork|vfork|clone SECONDS\n");
		return 2;
	}
	t0 = now();
	do {
		pid = create(argv[1]);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
			perror("fork-loop");
			return 1;
		}
		n++;
		t = now();
	} while (t - t0 < secs);
	printf("%.0f\n", (double)n / (t - t0));
	return 0;
}
