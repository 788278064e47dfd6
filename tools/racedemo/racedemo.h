/* SPDX-License-Identifier: GPL-2.0 */
/* racedemo: race conditions, critical sections and locks, measured. */
#ifndef RACEDEMO_H
#define RACEDEMO_H

#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "table.h"
#include "vl_arch.h" /* vl_cpu_relax() in every busy-wait loop */

/* The output of one run: text, or with -J (anywhere) one JSON document. */
struct rd_opts {
	bool json;
	struct vl_doc doc;
};

/* Subcommands: argc/argv start at the subcommand's name. */
int cmd_saldo(int argc, char **argv, struct rd_opts *o);
int cmd_counter(int argc, char **argv, struct rd_opts *o);
int cmd_beer(int argc, char **argv, struct rd_opts *o);
int cmd_trylock(int argc, char **argv, struct rd_opts *o);
int cmd_locks(int argc, char **argv, struct rd_opts *o);
int cmd_step(int argc, char **argv, struct rd_opts *o);
int cmd_interleave(int argc, char **argv, struct rd_opts *o);
int cmd_bench(int argc, char **argv, struct rd_opts *o);

/*
 * A subcommand's command line: its own options (-J, -V and -h are added),
 * its help and what each option does. rd_getopt() parses argv with them,
 * exits 2 on a bad option or argument, and starts o's document.
 */
struct rd_cmdline {
	const char *shortopts;
	const struct option *longopts; /* ends with { 0 } */
	void (*help)(FILE *out);
	void (*opt)(int c, const char *arg, void *ctx);
};
void rd_getopt(int argc, char **argv, const struct rd_cmdline *cl, void *ctx,
	       struct rd_opts *o);

/*
 * The index of arg among n names, the first at first and each stride bytes
 * after the one before (a name member of an array of structs); else exit 2,
 * "OPT 'ARG': unknown WHAT".
 */
int rd_pick(const char *opt, const char *arg, const char *const *first,
	    size_t n, size_t stride, const char *what);
#define RD_PICK(opt, arg, table, what)      \
	rd_pick(opt, arg, &(table)[0].name, \
		sizeof(table) / sizeof((table)[0]), sizeof((table)[0]), what)

/* A table of o's document; exits 1 when out of memory. */
struct libscols_table *rd_table(const struct rd_opts *o, const char *name,
				const struct vl_col *cols, size_t ncols);
#define RD_TABLE(o, name, cols) \
	rd_table(o, name, cols, sizeof(cols) / sizeof((cols)[0]))
/* A new row; exits 1 when out of memory. */
struct libscols_line *rd_line(struct libscols_table *tb);
/* Print tb (text: then a blank line) or keep it for the JSON: 0 or 1. */
int rd_print(struct rd_opts *o, struct libscols_table *tb);
/* Explanatory text: printed without --json, else nothing. */
#define rd_say(o, ...) vl_doc_text(&(o)->doc, __VA_ARGS__)

/* ns in milliseconds, for the tables. */
static inline double rd_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* Busy-wait ns nanoseconds. */
void rd_spin_ns(uint64_t ns);
/*
 * The window of a race, widened: offer the CPU to another thread (what a
 * timer interrupt would do at the worst moment), then stay busy ns.
 */
void rd_window(uint64_t ns);
/* A thread, or exit 1 saying why. */
void rd_thread(pthread_t *tid, void *(*fn)(void *), void *arg);

/* The widest window or busy time of a race (-w, -b, -c, -o): 1 ms. */
#define RD_WINDOW_MAX_NS 1000000ULL

/* A reusable barrier for threads (or processes over shared memory). */
struct rd_barrier {
	atomic_uint arrived;
	atomic_uint generation;
	unsigned int parties;
};
void rd_barrier_init(struct rd_barrier *b, unsigned int parties);
void rd_barrier_wait(struct rd_barrier *b);

#endif /* RACEDEMO_H */
