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
	TV_SRC_IOCTL,	/* VMLAB_IOC_THREADS, one call per process */
	TV_SRC_PROC,	/* /proc/PID/task/TID/stat */
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
	size_t proc;		/* index into tv_snapshot.procs */
	bool on_cpu_known;	/* false from /proc: R means running or ready */
	double pcpu;
};

struct tv_snapshot {
	struct tv_proc *procs;
	size_t nprocs, procs_cap;
	struct tv_thread *threads;
	size_t nthreads, threads_cap;
	uint64_t taken_ns;	/* CLOCK_MONOTONIC at collection */
};

struct tv_collector {
	enum tv_source source;	/* resolved: IOCTL or PROC */
	int devfd;		/* /dev/vmlab with TV_SRC_IOCTL */
	int procfd;		/* /proc */
	bool want_ctxsw;	/* /proc: also read task/TID/status */
	bool want_regs;		/* ioctl: VMLAB_THREADS_REGS */
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

#endif
