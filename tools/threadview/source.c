// SPDX-License-Identifier: GPL-2.0
/*
 * threadview: collect thread records from the vmlab ioctl or from /proc.
 *
 * Both sources read /proc/PID/stat once per process (TTY, session, thread
 * count). The ioctl then returns every thread in one call; the /proc
 * fallback opens the task directory once and reads TID/stat relative to
 * it with openat(), so no path is rebuilt from /proc down per thread.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "threadview.h"

static const char state_letters[] = "RSDTtXZPI";

char tv_state_letter(uint32_t index)
{
	return index < sizeof(state_letters) - 1 ? state_letters[index] : '?';
}

uint32_t tv_state_index(char letter)
{
	const char *p = letter ? strchr(state_letters, letter) : NULL;

	if (letter == 'W') /* paging/waking on old kernels: runnable */
		return 0;
	return p ? (uint32_t)(p - state_letters) : 2;
}

const char *tv_state5_name(uint32_t state5)
{
	static const char *const names[] = {
		"Init", "Ready", "Running", "Waiting", "Finished",
	};

	return state5 < 5 ? names[state5] : "?";
}

int tv_collector_open(struct tv_collector *c, enum tv_source want)
{
	memset(c, 0, sizeof(*c));
	c->devfd = -1;
	c->hz = sysconf(_SC_CLK_TCK);
	c->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->procfd < 0) {
		fprintf(stderr, "threadview: /proc: %s\n", strerror(errno));
		return -errno;
	}
	c->source = TV_SRC_PROC;
	if (want == TV_SRC_PROC)
		return 0;
	c->devfd = vmlab_open();
	if (c->devfd >= 0) {
		c->source = TV_SRC_IOCTL;
		return 0;
	}
	if (want == TV_SRC_IOCTL) {
		vl_error("cannot open %s: %s%s", vl_device(),
			 strerror(-c->devfd),
			 c->devfd == -ENOENT ? " (is vmlab.ko loaded?)" : "");
		close(c->procfd);
		return c->devfd;
	}
	return 0;
}

void tv_collector_close(struct tv_collector *c)
{
	if (c->devfd >= 0)
		close(c->devfd);
	close(c->procfd);
}

void tv_snapshot_free(struct tv_snapshot *snap)
{
	free(snap->procs);
	free(snap->threads);
	memset(snap, 0, sizeof(*snap));
}

/* Read a small file relative to dirfd into buf (NUL terminated): length or -errno. */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

/*
 * Split a stat line: comm (between the first '(' and the last ')') and
 * the fields after it, field[0] being field 3 (state) of proc(5). Fields
 * are found by hand and read with num(): 10,000 threads are 10,000 lines
 * of 50 fields, and strtok/strtoul per field is most of the parsing time.
 */
#define STAT_FIELDS 39 /* up to policy (41) */
static int parse_stat(char *buf, size_t len, char comm[16], const char **field)
{
	char *open = memchr(buf, '(', len), *close = memrchr(buf, ')', len);
	const char *p, *end = buf + len;
	size_t clen;
	int n = 0;

	if (!open || !close || close < open)
		return -EIO;
	clen = (size_t)(close - open - 1);
	if (clen > 15)
		clen = 15;
	memcpy(comm, open + 1, clen);
	comm[clen] = '\0';
	for (p = close + 1; p < end && n < STAT_FIELDS; p++) {
		if (*p == ' ')
			continue;
		field[n++] = p;
		while (p < end && *p != ' ')
			p++;
	}
	return n == STAT_FIELDS ? 0 : -EIO;
}

/* A decimal, optionally negative, after blanks; stops at the first non-digit. */
static int64_t num(const char *s)
{
	uint64_t v = 0;
	int neg;

	while (*s == ' ' || *s == '\t')
		s++;
	neg = *s == '-';
	for (s += neg; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	return neg ? -(int64_t)v : (int64_t)v;
}

#define F(n) (field[(n)-3]) /* proc(5) numbering */

static struct tv_proc *new_proc(struct tv_snapshot *snap)
{
	if (snap->nprocs == snap->procs_cap) {
		size_t cap = snap->procs_cap ? 2 * snap->procs_cap : 64;
		struct tv_proc *p = realloc(snap->procs, cap * sizeof(*p));

		if (!p)
			return NULL;
		snap->procs = p;
		snap->procs_cap = cap;
	}
	return memset(&snap->procs[snap->nprocs], 0, sizeof(struct tv_proc));
}

static int reserve_threads(struct tv_snapshot *snap, size_t more)
{
	size_t cap = snap->threads_cap ? snap->threads_cap : 256;
	struct tv_thread *t;

	if (snap->nthreads + more <= snap->threads_cap)
		return 0;
	while (cap < snap->nthreads + more)
		cap *= 2;
	t = realloc(snap->threads, cap * sizeof(*t));
	if (!t)
		return -ENOMEM;
	snap->threads = t;
	snap->threads_cap = cap;
	return 0;
}

static int read_proc(struct tv_proc *p, int pidfd, pid_t pid)
{
	char buf[1024];
	const char *field[STAT_FIELDS];
	struct stat st;
	ssize_t n;

	if (fstat(pidfd, &st))
		return -errno;
	n = read_at(pidfd, "stat", buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	if (parse_stat(buf, (size_t)n, p->comm, field))
		return -EIO;
	p->pid = pid;
	p->uid = st.st_uid;
	p->pgrp = (pid_t)num(F(5));
	p->sid = (pid_t)num(F(6));
	p->tty_nr = (int)num(F(7));
	p->tpgid = (pid_t)num(F(8));
	p->nthreads = (unsigned int)num(F(20));
	return 0;
}

/* Slots of records kept across calls: one buffer grows to the largest group. */
static struct vmlab_thread_info *ibuf;
static size_t ibuf_cap;

static int collect_ioctl(struct tv_collector *c, struct tv_snapshot *snap,
			 size_t pi)
{
	const struct tv_proc *proc = &snap->procs[pi];
	struct vmlab_threads arg;
	size_t want = proc->nthreads + 16, i;
	int ret;

	for (;;) {
		if (want > ibuf_cap) {
			struct vmlab_thread_info *b =
				realloc(ibuf, want * sizeof(*b));

			if (!b)
				return -ENOMEM;
			ibuf = b;
			ibuf_cap = want;
		}
		memset(&arg, 0, sizeof(arg));
		arg.pid = proc->pid;
		arg.count = (uint32_t)ibuf_cap;
		arg.entries = (uintptr_t)ibuf;
		arg.flags = c->want_regs ? VMLAB_THREADS_REGS : 0;
		ret = VMLAB_CALL(c->devfd, VMLAB_IOC_THREADS, &arg);
		if (ret)
			return ret;
		if (arg.count >= arg.total)
			break;
		want = arg.total + 64; /* the group grew meanwhile: ask again */
	}
	if (reserve_threads(snap, arg.count))
		return -ENOMEM;
	for (i = 0; i < arg.count; i++) {
		struct tv_thread *t = &snap->threads[snap->nthreads++];

		memset(t, 0, sizeof(*t));
		t->ti = ibuf[i];
		t->proc = pi;
		t->on_cpu_known = true;
	}
	return 0;
}

/* "TID/NAME" into name[32]: no printf per thread. */
static void task_path(char *name, const char *tid, const char *file)
{
	size_t n = strnlen(tid, 16), m = strlen(file);

	memcpy(name, tid, n);
	name[n] = '/';
	memcpy(name + n + 1, file, m + 1);
}

/* "voluntary_ctxt_switches:\t12" lines of task/TID/status. */
static void read_ctxsw(int taskfd, const char *tid,
		       struct vmlab_thread_info *ti)
{
	char name[32], buf[4096], *p;

	task_path(name, tid, "status");
	if (read_at(taskfd, name, buf, sizeof(buf)) < 0)
		return;
	p = strstr(buf, "\nvoluntary_ctxt_switches:");
	if (p)
		ti->nvcsw = (uint64_t)num(p + 25);
	p = strstr(buf, "\nnonvoluntary_ctxt_switches:");
	if (p)
		ti->nivcsw = (uint64_t)num(p + 28);
}

static int thread_from_stat(struct tv_collector *c, int taskfd, const char *tid,
			    struct vmlab_thread_info *ti)
{
	char name[32], buf[1024];
	const char *field[STAT_FIELDS];
	uint64_t tick_ns = 1000000000ULL / (uint64_t)c->hz;
	ssize_t n;

	task_path(name, tid, "stat");
	n = read_at(taskfd, name, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	memset(ti, 0, sizeof(*ti));
	if (parse_stat(buf, (size_t)n, ti->comm, field))
		return -EIO;
	ti->tid = (int32_t)num(buf);
	ti->state = tv_state_index(F(3)[0]);
	/* R is "running or ready" in /proc: shown as Running */
	ti->state5 = ti->state == 0			? VMLAB_STATE_RUNNING :
		     (ti->state == 5 || ti->state == 6) ? VMLAB_STATE_FINISHED :
							  VMLAB_STATE_WAITING;
	ti->min_flt = (uint64_t)num(F(10));
	ti->maj_flt = (uint64_t)num(F(12));
	ti->utime_ns = (uint64_t)num(F(14)) * tick_ns;
	ti->stime_ns = (uint64_t)num(F(15)) * tick_ns;
	ti->prio = (int32_t)num(F(18));
	ti->nice = (int32_t)num(F(19));
	ti->start_time_ns = (uint64_t)num(F(22)) * tick_ns;
	ti->cpu = (int32_t)num(F(39));
	ti->policy = (uint32_t)num(F(41));
	if (c->want_ctxsw)
		read_ctxsw(taskfd, tid, ti);
	return 0;
}

static int collect_proc(struct tv_collector *c, struct tv_snapshot *snap,
			size_t pi, int pidfd)
{
	struct dirent *de;
	DIR *dir;
	int taskfd, ret = 0;

	taskfd = openat(pidfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	dir = fdopendir(taskfd);
	if (!dir) {
		close(taskfd);
		return -errno;
	}
	if (reserve_threads(snap, snap->procs[pi].nthreads + 16)) {
		closedir(dir);
		return -ENOMEM;
	}
	while ((de = readdir(dir))) {
		struct tv_thread *t;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (reserve_threads(snap, 1)) {
			ret = -ENOMEM;
			break;
		}
		t = &snap->threads[snap->nthreads];
		memset(t, 0, sizeof(*t));
		if (thread_from_stat(c, taskfd, de->d_name, &t->ti))
			continue; /* the thread exited since readdir */
		t->ti.tgid = snap->procs[pi].pid;
		t->proc = pi;
		snap->nthreads++;
	}
	closedir(dir);
	return ret;
}

int tv_collect_pid(struct tv_collector *c, struct tv_snapshot *snap, pid_t pid)
{
	char name[16];
	struct tv_proc *proc;
	int pidfd, ret;

	snprintf(name, sizeof(name), "%d", (int)pid);
	pidfd = openat(c->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	proc = new_proc(snap);
	ret = proc ? read_proc(proc, pidfd, pid) : -ENOMEM;
	if (ret)
		goto out;
	snap->nprocs++;
	ret = -EACCES;
	if (c->source == TV_SRC_IOCTL)
		ret = collect_ioctl(c, snap, snap->nprocs - 1);
	/* Under hidepid= the module shows less than procfs: /proc decides there. */
	if (ret == -EACCES || ret == -ESRCH)
		ret = collect_proc(c, snap, snap->nprocs - 1, pidfd);
	if (ret)
		snap->nprocs--;
out:
	close(pidfd);
	return ret;
}
