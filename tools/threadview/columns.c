// SPDX-License-Identifier: GPL-2.0
/* threadview: the columns, what each shows and how it sorts. */
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "threadview.h"

const struct col_desc tv_cols[NCOLS] = {
	[COL_PID] = { "pid", "tgid", "PID", 1, "process ID (thread group)" },
	[COL_SPID] = { "spid", "tid", "SPID", 1, "thread ID (alias lwp)" },
	[COL_TTY] = { "tty", NULL, "TTY", 0, "controlling terminal" },
	[COL_STAT] = { "stat", NULL, "STAT", 0,
		       "state letter and flags, as ps" },
	[COL_STATE] = { "state", "state5", "STATE", 0,
			"the lecture's five states" },
	[COL_PSR] = { "psr", "cpu", "PSR", 1, "CPU last run on" },
	[COL_ONCPU] = { "oncpu", NULL, "ONCPU", 1,
			"1 if on a CPU now (ioctl only)" },
	[COL_CLS] = { "cls", "policy", "CLS", 0, "scheduling class" },
	[COL_PRI] = { "pri", "prio", "PRI", 1, "priority, as top's PR" },
	[COL_NI] = { "ni", "nice", "NI", 1, "nice value" },
	[COL_PCPU] = { "%cpu", "pcpu", "%CPU", 1,
		       "CPU use (lifetime, or per interval with --watch)" },
	[COL_TIME] = { "time", NULL, "TIME", 0, "user + system CPU time" },
	[COL_VCSW] = { "vcsw", NULL, "VCSW", 1, "voluntary context switches" },
	[COL_IVCSW] = { "ivcsw", NULL, "IVCSW", 1,
			"involuntary context switches" },
	[COL_MINFLT] = { "minflt", NULL, "MINFLT", 1, "minor page faults" },
	[COL_MAJFLT] = { "majflt", NULL, "MAJFLT", 1, "major page faults" },
	[COL_USER] = { "user", NULL, "USER", 0, "owner of the process" },
	[COL_SP] = { "sp", NULL, "SP", 0, "user stack pointer (root, ioctl)" },
	[COL_IP] = { "ip", NULL, "IP", 0,
		     "user instruction pointer (root, ioctl)" },
	[COL_CMD] = { "cmd", "comm", "CMD", 0, "thread name" },
};

static int name_is(const char *want, const char *name, size_t len)
{
	return want && strlen(want) == len && !strncasecmp(want, name, len);
}

int tv_find_col(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NCOLS; i++)
		if (name_is(tv_cols[i].name, name, len) ||
		    name_is(tv_cols[i].alias, name, len))
			return i;
	if (name_is("lwp", name, len))
		return COL_SPID;
	if (name_is("command", name, len))
		return COL_CMD;
	if (name_is("pc", name, len))
		return COL_IP;
	return -1;
}

const char *tv_col_header(enum col_id c, uint32_t arch)
{
	/* arm64 calls the instruction pointer the program counter */
	if (c == COL_IP && arch == VMLAB_ARCH_ARM64)
		return "PC";
	return tv_cols[c].header;
}

static void fmt_tty(char *buf, size_t size, int tty_nr)
{
	unsigned int major = ((unsigned int)tty_nr >> 8) & 0xfff;
	unsigned int minor = ((unsigned int)tty_nr & 0xff) |
			     (((unsigned int)tty_nr >> 12) & 0xfff00);

	if (!tty_nr)
		snprintf(buf, size, "?");
	else if (major >= 136 && major <= 143)
		snprintf(buf, size, "pts/%u", minor + (major - 136) * 256);
	else if (major == 4 && minor < 64)
		snprintf(buf, size, "tty%u", minor);
	else if (major == 4)
		snprintf(buf, size, "ttyS%u", minor - 64);
	else if (major == 5 && minor == 1)
		snprintf(buf, size, "console");
	else
		snprintf(buf, size, "%u:%u", major, minor);
}

/* [DD-]HH:MM:SS, as ps's TIME. */
static void fmt_time(char *buf, uint64_t ns)
{
	unsigned long long s = ns / 1000000000ULL;

	if (s >= 86400)
		snprintf(buf, CELL_MAX, "%llu-%02llu:%02llu:%02llu", s / 86400,
			 s / 3600 % 24, s / 60 % 60, s % 60);
	else
		snprintf(buf, CELL_MAX, "%02llu:%02llu:%02llu", s / 3600,
			 s / 60 % 60, s % 60);
}

static const char *cls_name(uint32_t policy)
{
	static const char *const names[] = { "TS",  "FF",  "RR", "B",
					     "ISO", "IDL", "DLN" };

	return policy < 7 ? names[policy] : "?";
}

/* Processes rarely differ in owner: one lookup per change. */
static const char *user_name(uid_t uid)
{
	static char buf[32];
	static uid_t last = (uid_t)-1;
	struct passwd *pw;

	if (uid == last)
		return buf;
	pw = getpwuid(uid);
	if (pw)
		snprintf(buf, sizeof(buf), "%s", pw->pw_name);
	else
		snprintf(buf, sizeof(buf), "%u", (unsigned int)uid);
	last = uid;
	return buf;
}

/* ps's STAT for a thread: state letter, then < N s l + as they apply. */
static void fmt_stat(char *buf, const struct tv_thread *t,
		     const struct tv_proc *p)
{
	size_t n = 0;

	buf[n++] = tv_state_letter(t->ti.state);
	if (t->ti.nice < 0)
		buf[n++] = '<';
	else if (t->ti.nice > 0)
		buf[n++] = 'N';
	if (p->sid == p->pid)
		buf[n++] = 's';
	if (p->nthreads > 1)
		buf[n++] = 'l';
	if (p->tpgid > 0 && p->tpgid == p->pgrp)
		buf[n++] = '+';
	buf[n] = '\0';
}

void tv_fmt_cell(char *buf, enum col_id c, const struct tv_thread *t,
		 const struct tv_snapshot *snap)
{
	const struct tv_proc *p = &snap->procs[t->proc];
	const struct vmlab_thread_info *ti = &t->ti;

	switch (c) {
	case COL_TTY:
		fmt_tty(buf, CELL_MAX, p->tty_nr);
		return;
	case COL_STAT:
		fmt_stat(buf, t, p);
		return;
	case COL_STATE:
		snprintf(buf, CELL_MAX, "%s", tv_state5_name(ti->state5));
		return;
	case COL_ONCPU:
		snprintf(buf, CELL_MAX, t->on_cpu_known ? "%u" : "-",
			 ti->on_cpu);
		return;
	case COL_CLS:
		snprintf(buf, CELL_MAX, "%s", cls_name(ti->policy));
		return;
	case COL_PCPU:
		snprintf(buf, CELL_MAX, "%.1f", t->pcpu);
		return;
	case COL_TIME:
		fmt_time(buf, ti->utime_ns + ti->stime_ns);
		return;
	case COL_USER:
		snprintf(buf, CELL_MAX, "%s", user_name(p->uid));
		return;
	case COL_SP:
	case COL_IP:
		snprintf(buf, CELL_MAX, "0x%" PRIx64,
			 (uint64_t)(c == COL_SP ? ti->user_sp : ti->user_ip));
		return;
	case COL_CMD:
		snprintf(buf, CELL_MAX, "%.*s", (int)sizeof(ti->comm),
			 ti->comm);
		return;
	default:
		snprintf(buf, CELL_MAX, "%.0f", tv_sort_key(c, t, snap));
	}
}

double tv_sort_key(enum col_id c, const struct tv_thread *t,
		   const struct tv_snapshot *snap)
{
	const struct vmlab_thread_info *ti = &t->ti;

	switch (c) {
	case COL_PID:
		return ti->tgid;
	case COL_SPID:
		return ti->tid;
	case COL_TTY:
		return snap->procs[t->proc].tty_nr;
	case COL_PSR:
		return ti->cpu;
	case COL_ONCPU:
		return ti->on_cpu;
	case COL_PRI:
		return ti->prio;
	case COL_NI:
		return ti->nice;
	case COL_PCPU:
		return t->pcpu;
	case COL_TIME:
		return (double)(ti->utime_ns + ti->stime_ns);
	case COL_VCSW:
		return (double)ti->nvcsw;
	case COL_IVCSW:
		return (double)ti->nivcsw;
	case COL_MINFLT:
		return (double)ti->min_flt;
	case COL_MAJFLT:
		return (double)ti->maj_flt;
	case COL_SP:
		return (double)ti->user_sp;
	case COL_IP:
		return (double)ti->user_ip;
	case COL_STATE:
		return ti->state5;
	case COL_CLS:
		return ti->policy;
	default:
		return 0;
	}
}

void tv_fmt_proc_cell(char *buf, enum col_id c, const struct tv_proc *p,
		      uint64_t cpu_ns)
{
	switch (c) {
	case COL_PID:
		snprintf(buf, CELL_MAX, "%d", p->pid);
		return;
	case COL_TTY:
		fmt_tty(buf, CELL_MAX, p->tty_nr);
		return;
	case COL_TIME:
		fmt_time(buf, cpu_ns);
		return;
	case COL_USER:
		snprintf(buf, CELL_MAX, "%s", user_name(p->uid));
		return;
	case COL_CMD:
		snprintf(buf, CELL_MAX, "%s", p->comm);
		return;
	default:
		buf[0] = '\0';
	}
}
