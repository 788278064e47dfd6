/* SPDX-License-Identifier: GPL-2.0 */
/* threadview: data model shared by the collector and the output code. */
#ifndef THREADVIEW_H
#define THREADVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vmlab.h>

enum tv_source {
	TV_SRC_AUTO,
	TV_SRC_IOCTL, /* VMLAB_IOC_THREADS, one call per process */
	TV_SRC_PROC, /* /proc/PID/task/TID/stat */
};

/* What a process contributes to its threads' lines (from /proc/PID/stat). */
struct tv_proc {
	pid_t pid;
	uid_t uid;
	int tty_nr;
	pid_t pgrp, sid, tpgid;
	unsigned int nthreads;
	char comm[16];
};

struct tv_thread {
	struct vmlab_thread_info ti;
	size_t proc; /* index into tv_snapshot.procs */
	bool on_cpu_known; /* false from /proc: R means running or ready */
	double pcpu;
};

struct tv_snapshot {
	struct tv_proc *procs;
	size_t nprocs, procs_cap;
	struct tv_thread *threads;
	size_t nthreads, threads_cap;
	uint64_t taken_ns; /* CLOCK_MONOTONIC at collection */
};

struct tv_collector {
	enum tv_source source; /* resolved: IOCTL or PROC */
	int devfd; /* /dev/vmlab with TV_SRC_IOCTL */
	int procfd; /* /proc */
	bool want_ctxsw; /* /proc: also read task/TID/status */
	bool want_regs; /* ioctl: VMLAB_THREADS_REGS */
	long hz;
};

/* Open the data source: 0 or -errno (message printed). */
int tv_collector_open(struct tv_collector *c, enum tv_source want);
void tv_collector_close(struct tv_collector *c);

/*
 * Append the threads of process pid to snap: 0, -ESRCH if it vanished or
 * is hidden, or another -errno.
 */
int tv_collect_pid(struct tv_collector *c, struct tv_snapshot *snap, pid_t pid);
void tv_snapshot_free(struct tv_snapshot *snap);

/* "R", "S", ... for a task_state_index() value. */
char tv_state_letter(uint32_t index);
/* task_state_index() of a /proc state letter. */
uint32_t tv_state_index(char letter);
const char *tv_state5_name(uint32_t state5);

/* ---- columns (columns.c) ---- */

enum col_id {
	COL_PID,
	COL_SPID,
	COL_TTY,
	COL_STAT,
	COL_STATE,
	COL_PSR,
	COL_ONCPU,
	COL_CLS,
	COL_PRI,
	COL_NI,
	COL_PCPU,
	COL_TIME,
	COL_VCSW,
	COL_IVCSW,
	COL_MINFLT,
	COL_MAJFLT,
	COL_USER,
	COL_SP,
	COL_IP,
	COL_CMD,
	NCOLS
};

struct col_desc {
	const char *name; /* -o and --sort key, JSON key */
	const char *alias;
	const char *header;
	int numeric; /* right-aligned, a JSON number, sorted as a number */
	const char *help;
};

extern const struct col_desc tv_cols[NCOLS];

#define CELL_MAX 64

/* A column by name or alias (len bytes of name): its id, or -1. */
int tv_find_col(const char *name, size_t len);
/* The header of column c on arch: the architecture's names of SP and IP. */
const char *tv_col_header(enum col_id c, uint32_t arch);
/* One cell of thread t into buf[CELL_MAX]. */
void tv_fmt_cell(char *buf, enum col_id c, const struct tv_thread *t,
		 const struct tv_snapshot *snap);
/* The value a column sorts by. */
double tv_sort_key(enum col_id c, const struct tv_thread *t,
		   const struct tv_snapshot *snap);
/* Cells of a process line (ps m): the process's totals. */
void tv_fmt_proc_cell(char *buf, enum col_id c, const struct tv_proc *p,
		      uint64_t cpu_ns);

/* ---- output (output.c) ---- */

#define MAXCOLS 32

struct sort_key {
	enum col_id col;
	int desc;
};

struct tv_output {
	enum col_id cols[MAXCOLS];
	int ncols;
	struct sort_key sort[8];
	int nsort;
	bool json, tree;
	uint32_t arch; /* VMLAB_ARCH_*: how the registers are called */
};

/* The snapshot as one table (or JSON document, with the source): 0 or -1. */
int tv_print(const struct tv_output *o, const struct tv_collector *c,
	     const struct tv_snapshot *snap);
const char *tv_source_name(const struct tv_collector *c);

#endif
