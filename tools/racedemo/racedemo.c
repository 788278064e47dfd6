// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo: the concurrency lecture's race conditions, critical sections
 * and locks, made measurable. This file holds the dispatcher and the
 * helpers the subcommands share (tables, time, barrier).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

	fprintf(f, "usage: racedemo [--json] COMMAND [OPTIONS]\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].what);
	fprintf(f,
		"\n'racedemo COMMAND --help' for a command's options; --json may\n"
		"also follow the command. Kernel modes need /dev/vmlab.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct rd_opts o = { 0 };
	size_t i;
	int c;

	/* Stop at the command: its options are its own. */
	while ((c = getopt_long(argc, argv, "+Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			argc -= optind;
			argv += optind;
			optind = 1;
			return commands[i].fn(argc, argv, &o);
		}
	}
	fprintf(stderr, "racedemo: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}

int rd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "racedemo %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'racedemo %s --help'.\n", cmd);
	return EXIT_USAGE;
}

struct libscols_table *rd_table(const char *name, const struct rd_col *cols,
				int ncols)
{
	struct libscols_table *t = scols_new_table();
	int i;

	if (!t) {
		perror("racedemo: scols_new_table");
		exit(1);
	}
	scols_table_set_name(t, name);
	for (i = 0; i < ncols; i++) {
		struct libscols_column *cl =
			scols_table_new_column(t, cols[i].name, 0, 0);

		if (!cl) {
			perror("racedemo: scols_table_new_column");
			exit(1);
		}
		scols_column_set_json_type(cl, cols[i].json_type);
	}
	return t;
}

void rd_row(struct libscols_table *t, const char *fmt, ...)
{
	struct libscols_line *ln = scols_table_new_line(t, NULL);
	char *buf, *cell, *save = NULL;
	va_list ap;
	size_t col = 0;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&buf, fmt, ap);
	va_end(ap);
	if (!ln || n < 0) {
		perror("racedemo: table row");
		exit(1);
	}
	for (cell = strtok_r(buf, "|", &save); cell;
	     cell = strtok_r(NULL, "|", &save))
		scols_line_set_data(ln, col++, cell);
	free(buf);
}

/* The JSON of one table without its outer braces: "name": [ ... ]. */
static char *table_json_body(struct libscols_table *t)
{
	char *s = NULL, *open, *close;

	scols_table_enable_json(t, 1);
	if (scols_print_table_to_string(t, &s) || !s)
		return NULL;
	open = strchr(s, '{');
	close = strrchr(s, '}');
	if (!open || !close || close < open) {
		free(s);
		return NULL;
	}
	*close = '\0';
	memmove(s, open + 1, strlen(open + 1) + 1);
	return s;
}

int rd_print(const struct rd_opts *o, struct libscols_table **tables, int n)
{
	int i, ret = 0;

	if (o->json)
		printf("{");
	for (i = 0; i < n; i++) {
		if (o->json) {
			char *body = table_json_body(tables[i]);

			if (!body) {
				ret = 1;
			} else {
				printf("%s%s", i ? "," : "", body);
				free(body);
			}
		} else {
			scols_print_table(tables[i]);
			printf("\n");
		}
		scols_unref_table(tables[i]);
	}
	if (o->json)
		printf("}\n");
	fflush(stdout);
	return ret;
}

void rd_say(const struct rd_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

uint64_t rd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void rd_spin_ns(uint64_t ns)
{
	uint64_t end;

	if (!ns)
		return;
	end = rd_now_ns() + ns;
	while (rd_now_ns() < end)
		rd_cpu_relax();
}

void rd_window(uint64_t ns)
{
	sched_yield();
	rd_spin_ns(ns);
}

int rd_parse_count(const char *s, long *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v >= 1) || v > 1e12 || v != floor(v))
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1000, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1000000, end++;
	if (*end)
		return -1;
	*out = (long)v;
	return 0;
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
		rd_cpu_relax();
		if (++spins % 1024 == 0)
			sched_yield();
	}
}
