// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo: the concurrency lecture's race conditions, critical sections
 * and locks, made measurable. This file holds the dispatcher and the
 * helpers the subcommands share (command line, tables, time, barrier).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "racedemo.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct rd_opts *o);
	const char *what;
} commands[] = {
	{ "saldo", cmd_saldo,
	  "the lecture's bank balance: 100 +10 +20, lost updates" },
	{ "interleavings", cmd_interleave,
	  "every interleaving of x=1|x=2 and x=x+1|x=x+2, run" },
	{ "step", cmd_step,
	  "the saldo race on two real threads, one step at a time, you choose" },
	{ "counter", cmd_counter,
	  "threads/processes adding to one counter, per mode" },
	{ "beer", cmd_beer, "the too-much-beer note problem and its attempts" },
	{ "trylock", cmd_trylock,
	  "pthread_mutex_trylock and _timedlock against a held mutex" },
	{ "locks", cmd_locks,
	  "mutual exclusion, progress and bounded waiting, measured" },
	{ "bench", cmd_bench,
	  "kernel counter ioctl costs (used by make bench)" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: racedemo [-J] COMMAND [OPTIONS]\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].what);
	fprintf(f,
		"\n  -J, --json      one JSON document (here or after the command)\n"
		"  -V, --version   the version\n"
		"  -h, --help      this help\n\n"
		"'racedemo COMMAND --help' for a command's options. Counts take k, M, G\n"
		"(powers of 1000); durations ns, us, ms, s or min (a bare number is\n"
		"seconds). The kernel modes need %s.\n",
		vl_device());
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static char prog[32];
	struct rd_opts o = { 0 };
	size_t i;
	int c, ret;

	vl_init(argv, "racedemo");
	/* Stop at the command: its options are its own. */
	while ((c = getopt_long(argc, argv, "+JVh", longopts, NULL)) != -1) {
		if (c == 'J')
			o.json = true;
		else
			vl_other_option(c, usage);
	}
	if (optind >= argc)
		vl_usage_error("missing COMMAND");
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[optind], commands[i].name))
			break;
	if (i == NCOMMANDS)
		vl_usage_error("unknown command '%s'", argv[optind]);
	/* "racedemo saldo: ..." and "Try 'racedemo saldo --help'." */
	snprintf(prog, sizeof(prog), "racedemo %s", commands[i].name);
	vl_init(argv + optind, prog);
	ret = commands[i].fn(argc - optind, argv + optind, &o);
	if (ret)
		return ret;
	if (vl_doc_end(&o.doc)) {
		vl_error("writing the output: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	return VL_EXIT_OK;
}

void rd_getopt(int argc, char **argv, const struct rd_cmdline *cl, void *ctx,
	       struct rd_opts *o)
{
	static const struct option common[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
	};
	size_t n = 0;
	char shortopts[64];
	int c;

	while (cl->longopts && cl->longopts[n].name)
		n++;

	struct option longopts[n + 4];

	memcpy(longopts, cl->longopts, n * sizeof(*longopts));
	memcpy(longopts + n, common, sizeof(common));
	memset(&longopts[n + 3], 0, sizeof(longopts[0]));
	snprintf(shortopts, sizeof(shortopts), "%sJVh", cl->shortopts);
	optind = 0; /* restart getopt: main() parsed the global options */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o->json = true;
			break;
		case 'V':
			vl_prog = "racedemo";
			vl_version();
		case 'h':
		case '?':
			vl_other_option(c, cl->help);
		default:
			cl->opt(c, optarg, ctx);
		}
	}
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
	vl_doc_init(&o->doc, o->json);
}

int rd_pick(const char *opt, const char *arg, const char *const *first,
	    size_t n, size_t stride, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, *(const char *const *)((const char *)first +
							i * stride)))
			return (int)i;
	vl_usage_error("%s '%s': unknown %s (see %s --help)", opt, arg, what,
		       vl_prog);
}

struct libscols_table *rd_table(const struct rd_opts *o, const char *name,
				const struct vl_col *cols, size_t ncols)
{
	struct libscols_table *tb = vl_table_new(name, o->json, cols, ncols);

	if (!tb) {
		vl_error("table %s: out of memory", name);
		exit(VL_EXIT_FAIL);
	}
	return tb;
}

struct libscols_line *rd_line(struct libscols_table *tb)
{
	struct libscols_line *ln = vl_line(tb, NULL);

	if (!ln) {
		vl_error("table row: out of memory");
		exit(VL_EXIT_FAIL);
	}
	return ln;
}

int rd_print(struct rd_opts *o, struct libscols_table *tb)
{
	int ret = vl_doc_add(&o->doc, tb);

	if (ret) {
		vl_error("printing a table: %s", strerror(-ret));
		return VL_EXIT_FAIL;
	}
	rd_say(o, "\n");
	return 0;
}

void rd_spin_ns(uint64_t ns)
{
	uint64_t end;

	if (!ns)
		return;
	end = vl_now_ns() + ns;
	while (vl_now_ns() < end)
		vl_cpu_relax();
}

void rd_window(uint64_t ns)
{
	sched_yield();
	rd_spin_ns(ns);
}

void rd_thread(pthread_t *tid, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(tid, NULL, fn, arg);

	if (err) {
		vl_error("pthread_create: %s", strerror(err));
		exit(VL_EXIT_FAIL);
	}
}

void rd_barrier_init(struct rd_barrier *b, unsigned int parties)
{
	atomic_init(&b->arrived, 0);
	atomic_init(&b->generation, 0);
	b->parties = parties;
}

/*
 * Spin (so the parties leave together, which is what makes races show),
 * yielding now and then so a busy machine still makes progress.
 */
void rd_barrier_wait(struct rd_barrier *b)
{
	unsigned int gen = atomic_load(&b->generation);
	unsigned long spins = 0;

	if (atomic_fetch_add(&b->arrived, 1) + 1 == b->parties) {
		atomic_store(&b->arrived, 0);
		atomic_fetch_add(&b->generation, 1);
		return;
	}
	while (atomic_load(&b->generation) == gen) {
		vl_cpu_relax();
		if (++spins % 1024 == 0)
			sched_yield();
	}
}
