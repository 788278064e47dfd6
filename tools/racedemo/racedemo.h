/* SPDX-License-Identifier: GPL-2.0 */
/* racedemo: race conditions, critical sections and locks, measured. */
#ifndef RACEDEMO_H
#define RACEDEMO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <libsmartcols.h>

/* Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
#define EXIT_USAGE 2

struct rd_opts {
	bool json;
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

/* Column spec of rd_table(): name and JSON type (SCOLS_JSON_*). */
struct rd_col {
	const char *name;
	int json_type;
};

struct libscols_table *rd_table(const char *name, const struct rd_col *cols,
				int ncols);
/* Add a row; fmt holds one conversion per column, separated by '|'. */
void rd_row(struct libscols_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Print tables: as text with their titles, or with --json as one JSON
 * object whose keys are the table names. Frees them.
 */
int rd_print(const struct rd_opts *o, struct libscols_table **tables, int n);
/* Explanatory text: printed to stdout without --json, else nothing. */
void rd_say(const struct rd_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

uint64_t rd_now_ns(void);
/*
 * Once round every busy-wait loop: the pause a spinning CPU should make.
 * It also tells an emulator running the vCPUs in turn to switch to the
 * one that holds what this one waits for.
 */
static inline void rd_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}
/* Busy-wait ns nanoseconds. */
void rd_spin_ns(uint64_t ns);
/*
 * The window of a race, widened: offer the CPU to another thread (what a
 * timer interrupt would do at the worst moment), then stay busy ns.
 */
void rd_window(uint64_t ns);
/* Parse a positive count ("1e6", "1000000", "64K"): 0 or -1. */
int rd_parse_count(const char *s, long *out);
int rd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A reusable barrier for threads (or processes over shared memory). */
struct rd_barrier {
	atomic_uint arrived;
	atomic_uint generation;
	unsigned int parties;
};
void rd_barrier_init(struct rd_barrier *b, unsigned int parties);
void rd_barrier_wait(struct rd_barrier *b);

#endif /* RACEDEMO_H */
