// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo step: the lecture's saldo race, one instruction at a time, on
 * two real threads. Thread A deposits 10 and thread B 20 into saldo = 100,
 * each as load / add / store. Before every instruction a thread waits on a
 * futex until the student (the main thread) hands it the turn; after it,
 * it hands the turn back. Who runs next comes from --schedule A,B,... or,
 * interactively, from a prompt. The lost update happens when the schedule
 * makes it happen; --predict grades a guess of the final balance.
 */
#include <ctype.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "racedemo.h"

enum { TURN_MAIN = 0, TURN_A = 1, TURN_B = 2, TURN_QUIT = 3 };
#define NSTEPS 3

struct step_shared {
	atomic_int turn;
	long saldo; /* the shared memory word; the futex orders access */
	long r1[2]; /* each thread's register, reported after a step */
	int pc[2]; /* instructions done */
	pid_t tid[2];
	long loaded[2]; /* what each thread's load read */
};

struct step_thread {
	struct step_shared *sh;
	int idx;
};

static const long step_amount[2] = { 10, 20 };

static void futex_wait(atomic_int *w, int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(atomic_int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0);
}

/* Wait until the turn is mine (or quit): the hand-off point between steps. */
static int wait_turn(struct step_shared *sh, int me)
{
	int t;

	while ((t = atomic_load(&sh->turn)) != me && t != TURN_QUIT)
		futex_wait(&sh->turn, t);
	return t;
}

static void give_turn(struct step_shared *sh, int to)
{
	atomic_store(&sh->turn, to);
	futex_wake(&sh->turn);
}

static void *step_thread_fn(void *arg)
{
	struct step_thread *t = arg;
	struct step_shared *sh = t->sh;
	int me = t->idx + 1;
	long r1 = 0;

	sh->tid[t->idx] = (pid_t)syscall(SYS_gettid);
	give_turn(sh, TURN_MAIN);
	while (sh->pc[t->idx] < NSTEPS) {
		if (wait_turn(sh, me) == TURN_QUIT)
			return NULL;
		switch (sh->pc[t->idx]) {
		case 0: /* load r1, saldo */
			r1 = sh->saldo;
			sh->loaded[t->idx] = r1;
			break;
		case 1: /* add r1, r1, amount */
			r1 += step_amount[t->idx];
			break;
		default: /* store saldo, r1 */
			sh->saldo = r1;
		}
		sh->r1[t->idx] = r1;
		sh->pc[t->idx]++;
		give_turn(sh, TURN_MAIN);
	}
	return NULL;
}

/* Run thread idx's next instruction and wait until it is done. */
static void run_step(struct step_shared *sh, int idx)
{
	give_turn(sh, idx + 1);
	wait_turn(sh, TURN_MAIN);
}

static void step_help(FILE *f)
{
	fprintf(f,
		"Usage: racedemo step [-s A,B,...] [-P SALDO]\n\n"
		"saldo = 100; thread A: saldo = saldo + 10, thread B: saldo = saldo + 20,\n"
		"each as load / add / store, on two real threads held between steps.\n"
		"You choose who runs each next instruction (text only: no --json).\n\n"
		"  -s, --schedule LIST  the order, e.g. A,A,B,B,A,B (else asked on stdin;\n"
		"                       a short list is completed with A's, then B's steps)\n"
		"  -P, --predict SALDO  grade this guess of the final balance (a number)\n"
		"  -V, --version        the version\n"
		"  -h, --help           this help\n");
}

/* Parse "A,b,B" into idx[] (0 = A, 1 = B): how many, or -1. */
static int parse_schedule(const char *s, int *idx, int max)
{
	int n = 0;

	for (; *s; s++) {
		int c = toupper((unsigned char)*s);

		if (c == ',' || c == ' ')
			continue;
		if ((c != 'A' && c != 'B') || n == max)
			return -1;
		idx[n++] = c - 'A';
	}
	return n;
}

/* Ask on stdin until a runnable thread is named: its index, or -1 at EOF. */
static int ask_next(const struct step_shared *sh, int step)
{
	char line[64];

	for (;;) {
		printf("step %d: who runs next, A or B? ", step);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return -1;
		int c = toupper((unsigned char)line[0]);

		if (c != 'A' && c != 'B') {
			printf("  answer A or B\n");
			continue;
		}
		if (sh->pc[c - 'A'] == NSTEPS) {
			printf("  %c has finished its 3 instructions: choose %c\n",
			       c, 'A' + 'B' - c);
			continue;
		}
		return c - 'A';
	}
}

static void print_step(const struct step_shared *sh, int step, int idx)
{
	static const char *const insn[NSTEPS] = { "load r1, saldo",
						  "add r1, r1, %ld",
						  "store saldo, r1" };
	char buf[32], ra[16] = "-", rb[16] = "-";

	snprintf(buf, sizeof(buf), insn[sh->pc[idx] - 1], step_amount[idx]);
	if (sh->pc[0])
		snprintf(ra, sizeof(ra), "%ld", sh->r1[0]);
	if (sh->pc[1])
		snprintf(rb, sizeof(rb), "%ld", sh->r1[1]);
	printf("%-4d %c (+%ld) %-16s %5s %5s %5ld\n", step, 'A' + idx,
	       step_amount[idx], buf, ra, rb, sh->saldo);
}

static void print_verdict(const struct step_shared *sh)
{
	printf("\nfinal saldo: %ld (both deposits: 130)\n", sh->saldo);
	if (sh->saldo == 130)
		printf("no update lost: one thread loaded after the other had stored\n");
	else
		printf("lost update: both loaded %ld before either stored; %c's store (%ld)\n"
		       "overwrote %c's, so the +%ld is gone\n",
		       sh->loaded[0], sh->saldo == 110 ? 'A' : 'B', sh->saldo,
		       sh->saldo == 110 ? 'B' : 'A',
		       sh->saldo == 110 ? step_amount[1] : step_amount[0]);
}

struct step_args {
	int sched[2 * NSTEPS], nsched;
	long predict;
};

static void step_opt(int c, const char *arg, void *ctx)
{
	struct step_args *a = ctx;
	int i, k, n;

	if (c == 'P') {
		a->predict = (long)vl_opt_uint("--predict", arg, 0, 1000000);
		return;
	}
	a->nsched = parse_schedule(arg, a->sched, 2 * NSTEPS);
	if (a->nsched < 0)
		vl_bad_arg("--schedule", arg, "up to 6 of A and B");
	for (i = 0; i < 2; i++) {
		for (k = 0, n = 0; k < a->nsched; k++)
			n += a->sched[k] == i;
		if (n > NSTEPS)
			vl_bad_arg("--schedule", arg,
				   i ? "B has only 3 instructions" :
				       "A has only 3 instructions");
	}
}

int cmd_step(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "schedule", required_argument, NULL, 's' },
		{ "predict", required_argument, NULL, 'P' },
		{ 0 }
	};
	static const struct rd_cmdline cl = { "s:P:", longopts, step_help,
					      step_opt };
	struct step_shared sh = { .saldo = 100 };
	struct step_args a = { .nsched = -1, .predict = -1 };
	struct step_thread th[2];
	int i, step;
	pthread_t tid[2];

	rd_getopt(argc, argv, &cl, &a, o);
	if (o->json)
		vl_usage_error(
			"--json: step is interactive, its output is text");
	for (i = 0; i < 2; i++) {
		th[i] = (struct step_thread){ &sh, i };
		atomic_store(&sh.turn, TURN_QUIT + 1);
		rd_thread(&tid[i], step_thread_fn, &th[i]);
		wait_turn(&sh, TURN_MAIN); /* the thread is up and waiting */
	}
	printf("saldo = 100. Thread A (TID %d) deposits 10, thread B (TID %d) 20,\n"
	       "each as load / add / store; both wait on a futex before every step.\n\n",
	       (int)sh.tid[0], (int)sh.tid[1]);
	printf("step thread  instruction       A.r1  B.r1 saldo\n");
	for (step = 1; step <= 2 * NSTEPS; step++) {
		int idx;

		if (a.nsched < 0) {
			idx = ask_next(&sh, step);
			if (idx < 0) {
				printf("\n(no answer: stopped)\n");
				give_turn(&sh, TURN_QUIT);
				break;
			}
		} else if (step <= a.nsched) {
			idx = a.sched[step - 1];
		} else {
			if (step == a.nsched + 1)
				printf("(schedule ended: A's remaining steps, then B's)\n");
			idx = sh.pc[0] < NSTEPS ? 0 : 1;
		}
		run_step(&sh, idx);
		print_step(&sh, step, idx);
	}
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	if (sh.pc[0] < NSTEPS || sh.pc[1] < NSTEPS)
		return 1;
	print_verdict(&sh);
	if (a.predict >= 0)
		printf("you predicted %ld: %s\n", a.predict,
		       a.predict == sh.saldo ? "right" : "wrong");
	return 0;
}
