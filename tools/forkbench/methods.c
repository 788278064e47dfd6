// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench methods: create one child the way a method says, wait for it,
 * and check that it did what it should. Children that share the parent's
 * memory (CLONE_VM) run on a stack of their own and use raw system calls
 * only: libc's state (errno, locks, the TLS block) belongs to the parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "forkbench.h"

#define FB_CHILD __attribute__((noinline, no_stack_protector))
#define STACK_SIZE (256 * 1024)
#define PROBE_MAGIC 0x5eed
#define PROBE_UMASK 027

extern char **environ;

/* The architecture's part, in arch/ARCH/sys.S. */
/* A raw system call that touches no libc state (no errno): for children. */
long fb_raw(long nr, long a1, long a2, long a3, long a4, long a5);
/* clone3 with a child function fn(arg), which runs on the new stack. */
long fb_clone3(void *args, size_t size, int (*fn)(void *), void *arg);
/* The fake TCB of CLONE_SETTLS, as the architecture's TLS register wants it. */
void fb_tls_init(uint64_t *tcb);

/* struct clone_args of <linux/sched.h>, version 0 (64 bytes) plus set_tid. */
struct fb_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

/*
 * Child stack and fake TCB (CLONE_SETTLS) in .bss: no mapping of their own,
 * since every mapping of the parent is one more for fork to copy.
 */
static char stack[STACK_SIZE] __attribute__((aligned(64)));
static uint64_t tls_block[512] __attribute__((aligned(64)));
static volatile int ctid; /* CHILD_CLEARTID word */
static pthread_attr_t thread_attr; /* small stacks: keep VmSize as set */

/* The exec helper. */
static int helper_fd = -1;
static char helper_path[4096];
static char helper_info[4200];
static char *const helper_argv[] = { "forkbench-child", NULL };
static char *const helper_envp[] = { NULL };

/* Probe state: the report page is MAP_SHARED so every child can fill it. */
struct probe_page {
	int ran, tid, tgid, fd;
	int kcmp[FB_NSHARE];
};
static struct probe_page *report;
static volatile int probe_word;
static int probe_fd = -1, parent_tid;
static const int kcmp_type[FB_NSHARE] = {
	[FB_VM] = KCMP_VM,
	[FB_FILES] = KCMP_FILES,
	[FB_FS] = KCMP_FS,
	[FB_SIGHAND] = KCMP_SIGHAND,
};

const char *const fb_share_name[FB_NSHARE] = {
	[FB_VM] = "memory",
	[FB_FILES] = "files",
	[FB_FS] = "fs",
	[FB_SIGHAND] = "sighand",
};

static const struct {
	const char *name;
	uint64_t flag;
	const char *desc;
} flag_names[] = {
	{ "VM", CLONE_VM, "shares the address space" },
	{ "FS", CLONE_FS, "shares cwd, root and umask" },
	{ "FILES", CLONE_FILES, "shares the file descriptor table" },
	{ "SIGHAND", CLONE_SIGHAND, "shares the signal handler table" },
	{ "PIDFD", CLONE_PIDFD, "parent gets a pidfd for the child" },
	{ "VFORK", CLONE_VFORK,
	  "parent sleeps until the child exits or execs" },
	{ "THREAD", CLONE_THREAD, "child joins the parent's thread group" },
	{ "NEWNS", CLONE_NEWNS, "new mount namespace" },
	{ "SYSVSEM", CLONE_SYSVSEM, "shares System V semaphore undo" },
	{ "SETTLS", CLONE_SETTLS, "child gets its own TLS (FS base)" },
	{ "PARENT_SETTID", CLONE_PARENT_SETTID,
	  "kernel stores the TID for the parent" },
	{ "CHILD_CLEARTID", CLONE_CHILD_CLEARTID,
	  "kernel clears a word and wakes a futex at exit" },
	{ "CHILD_SETTID", CLONE_CHILD_SETTID,
	  "kernel stores the TID in the child" },
	{ "NEWCGROUP", CLONE_NEWCGROUP, "new cgroup namespace" },
	{ "NEWUTS", CLONE_NEWUTS, "new UTS (hostname) namespace" },
	{ "NEWIPC", CLONE_NEWIPC, "new IPC namespace" },
	{ "NEWUSER", CLONE_NEWUSER, "new user namespace" },
	{ "NEWPID", CLONE_NEWPID, "new PID namespace (child is its PID 1)" },
	{ "IO", CLONE_IO, "shares the I/O context" },
	{ "CLEAR_SIGHAND", CLONE_CLEAR_SIGHAND,
	  "resets handlers to default (clone3)" },
};

#define NPTL_FLAGS                                                           \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SIGHAND | \
	 CLONE_THREAD | CLONE_SETTLS | CLONE_PARENT_SETTID |                 \
	 CLONE_CHILD_CLEARTID)

static const struct {
	const char *name;
	uint64_t flags;
} presets[] = {
	{ "fork", 0 },
	{ "vfork", CLONE_VM | CLONE_VFORK },
	{ "tlpi",
	  CLONE_VM | CLONE_VFORK | CLONE_FS | CLONE_FILES | CLONE_SIGHAND },
	{ "linuxthreads", CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND },
	{ "thread", CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			    CLONE_THREAD | CLONE_CHILD_CLEARTID },
	{ "nptl", NPTL_FLAGS },
};

int fb_parse_flags(const char *s, uint64_t *flags, char *err, size_t errlen)
{
	char buf[512], *tok, *save;
	size_t i;

	for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (!strcmp(s, presets[i].name)) {
			*flags = presets[i].flags;
			return 0;
		}
	}
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "clone flags too long");
		return -EINVAL;
	}
	strcpy(buf, s);
	*flags = 0;
	for (tok = strtok_r(buf, ",|", &save); tok;
	     tok = strtok_r(NULL, ",|", &save)) {
		if (!strncasecmp(tok, "CLONE_", 6))
			tok += 6;
		if (!strcasecmp(tok, "SIGCHLD"))
			continue; /* always the exit signal of non-threads */
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (!strcasecmp(tok, flag_names[i].name))
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0])) {
			if (!strcasecmp(tok, "PARENT"))
				snprintf(
					err, errlen,
					"CLONE_PARENT makes the child our sibling: forkbench could not wait for it");
			else
				snprintf(
					err, errlen,
					"unknown clone flag '%s' (known: VM, FS, FILES, SIGHAND, THREAD, VFORK, SYSVSEM, SETTLS, PARENT_SETTID, CHILD_SETTID, CHILD_CLEARTID, PIDFD, IO, NEW{NS,UTS,IPC,USER,PID,CGROUP}, CLEAR_SIGHAND; presets: fork, vfork, tlpi, linuxthreads, thread, nptl)",
					tok);
			return -EINVAL;
		}
		*flags |= flag_names[i].flag;
	}
	return 0;
}

void fb_flags_str(uint64_t flags, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if ((flags & flag_names[i].flag) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      flag_names[i].name);
	if (!n)
		snprintf(buf, len, "(none)");
}

const char *fb_flag_desc(uint64_t flag)
{
	size_t i;

	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].desc;
	return "";
}

/* The checks of the kernel's copy_process() and clone3, in words. */
const char *fb_flags_explain(uint64_t f, enum fb_kind kind, int err)
{
	if (err == EINVAL) {
		if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
			return "CLONE_THREAD needs CLONE_SIGHAND: a thread group has one signal-handler table";
		if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
			return "CLONE_SIGHAND needs CLONE_VM: shared handlers are addresses in one shared address space";
		if ((f & CLONE_NEWNS) && (f & CLONE_FS))
			return "CLONE_NEWNS with CLONE_FS: a new mount namespace cannot share root and cwd with the parent";
		if ((f & CLONE_NEWUSER) && (f & CLONE_FS))
			return "CLONE_NEWUSER with CLONE_FS: a new user namespace cannot share root and cwd with the parent";
		if ((f & CLONE_THREAD) && (f & (CLONE_NEWUSER | CLONE_NEWPID)))
			return "CLONE_THREAD with CLONE_NEWUSER/NEWPID: a thread stays in its process's namespaces";
		if ((f & CLONE_NEWIPC) && (f & CLONE_SYSVSEM))
			return "CLONE_NEWIPC with CLONE_SYSVSEM: a new IPC namespace cannot share semaphore undo lists";
		if ((f & CLONE_PIDFD) && (f & CLONE_THREAD))
			return "CLONE_PIDFD with CLONE_THREAD: pidfds of threads need Linux 6.9";
		if ((f & CLONE_PIDFD) && (f & CLONE_PARENT_SETTID) &&
		    kind == FB_CLONE)
			return "CLONE_PIDFD with CLONE_PARENT_SETTID: clone() returns both through the same pointer (clone3 has two)";
		if ((f & CLONE_CLEAR_SIGHAND) && (f & CLONE_SIGHAND))
			return "CLONE_CLEAR_SIGHAND with CLONE_SIGHAND: handlers cannot be both shared and reset";
	}
	if (err == EPERM && (f & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
				  CLONE_NEWPID | CLONE_NEWCGROUP)))
		return "a new namespace needs CAP_SYS_ADMIN (run as root, or add NEWUSER)";
	if ((err == EPERM || err == ENOSPC) && (f & CLONE_NEWUSER))
		return "user namespaces are restricted here (sysctl user.max_user_namespaces / kernel.unprivileged_userns_clone)";
	return NULL;
}

int fb_method_init(struct fb_method *m, const char *spec, uint64_t clone_flags,
		   char *err, size_t errlen)
{
	char base[48];
	const char *colon;
	size_t len = strlen(spec);

	memset(m, 0, sizeof(*m));
	if (len >= sizeof(m->name)) {
		snprintf(err, errlen, "method name too long: '%s'", spec);
		return -EINVAL;
	}
	strcpy(m->name, spec);
	strcpy(base, spec);
	if (len > 5 && !strcmp(base + len - 5, "+exec")) {
		m->exec = 1;
		base[len - 5] = '\0';
	}
	colon = strchr(base, ':');
	if (colon &&
	    (!strncmp(base, "clone:", 6) || !strncmp(base, "clone3:", 7))) {
		if (fb_parse_flags(colon + 1, &clone_flags, err, errlen))
			return -EINVAL;
		base[colon - base] = '\0';
	}
	if (!strcmp(base, "fork")) {
		m->kind = FB_FORK;
		m->flags = CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
		m->tlpi = m->exec ? "fork() + exec()" : "fork()";
	} else if (!strcmp(base, "vfork")) {
		m->kind = FB_VFORK;
		m->flags = CLONE_VM | CLONE_VFORK;
		m->tlpi = m->exec ? "vfork() + exec()" : "vfork()";
	} else if (!strcmp(base, "clone") || !strcmp(base, "clone3")) {
		m->kind = base[5] ? FB_CLONE3 : FB_CLONE;
		m->flags = clone_flags;
		if ((clone_flags & CLONE_THREAD) &&
		    !(clone_flags & CLONE_CHILD_CLEARTID))
			m->added = CLONE_CHILD_CLEARTID;
		m->flags |= m->added;
	} else if (!strcmp(base, "pthread") && !m->exec) {
		m->kind = FB_PTHREAD;
		m->flags = NPTL_FLAGS;
	} else if (!strcmp(base, "posix_spawn") && !m->exec) {
		m->kind = FB_SPAWN;
		m->exec = 1;
		m->flags = CLONE_VM | CLONE_VFORK;
	} else {
		snprintf(
			err, errlen,
			"unknown method '%s' (fork, vfork, clone, clone:PRESET, clone3, pthread, posix_spawn; fork, vfork and clone[3] also as NAME+exec)",
			spec);
		return -EINVAL;
	}
	fb_flags_str(m->flags, m->flag_str, sizeof(m->flag_str));
	if (m->exec)
		m->child =
			m->kind == FB_SPAWN ?
				"posix_spawn() runs forkbench-child (exits 42); parent waitpid()s" :
				"execve(forkbench-child), which exits 42; parent waitpid()s";
	else if (m->kind == FB_PTHREAD)
		m->child = "thread function returns; parent pthread_join()s";
	else if (m->kind == FB_FORK || m->kind == FB_VFORK)
		m->child = "_exit(0) at once; parent waitpid()s";
	else if (m->flags & CLONE_THREAD)
		m->child =
			"exit(0) at once on its own stack; parent futex-waits on CHILD_CLEARTID";
	else
		m->child =
			"exit(0) at once on its own stack; parent waitpid()s";
	return 0;
}

const char *fb_method_refuse(const struct fb_method *m)
{
	if (m->kind != FB_CLONE && m->kind != FB_CLONE3)
		return NULL;
	if (m->exec && (m->flags & CLONE_THREAD))
		return "exec in a CLONE_THREAD child would end every other thread of the group, forkbench included";
	if (m->kind == FB_CLONE && (m->flags >> 32))
		return "CLONE_CLEAR_SIGHAND exists only for clone3 (clone() has 32 flag bits)";
	return NULL;
}

int fb_prepare(void)
{
	report = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (report == MAP_FAILED)
		return -errno;
	fb_tls_init(tls_block);
	pthread_attr_init(&thread_attr);
	return -pthread_attr_setstacksize(&thread_attr, STACK_SIZE);
}

int fb_helper_setup(const char *path, const unsigned char *blob,
		    const unsigned char *blob_end, char *desc, size_t desclen)
{
	struct fb_program p;
	int ret = fb_find_program("forkbench-child", path, blob, blob_end, &p,
				  desc, desclen);

	if (ret)
		return ret;
	helper_fd = p.fd;
	memcpy(helper_path, p.path, sizeof(helper_path));
	memcpy(helper_info, p.info, sizeof(helper_info));
	return 0;
}

const char *fb_helper_desc(void)
{
	return helper_info;
}

static FB_CHILD int child_exit(void *arg)
{
	(void)arg;
	return 0;
}

static FB_CHILD int child_exec(void *arg)
{
	(void)arg;
	if (helper_fd >= 0)
		fb_raw(SYS_execveat, helper_fd, (long)"", (long)helper_argv,
		       (long)helper_envp, AT_EMPTY_PATH);
	else
		fb_raw(SYS_execve, (long)helper_path, (long)helper_argv,
		       (long)helper_envp, 0, 0);
	return 127;
}

struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* Look at sharing from inside, with kcmp(), then leave a trace per resource. */
static FB_CHILD int child_probe(void *arg)
{
	struct ksigaction ign = { .handler = SIG_IGN };
	long tid = fb_raw(SYS_gettid, 0, 0, 0, 0, 0);
	int i;

	(void)arg;
	report->tid = tid;
	report->tgid = fb_raw(SYS_getpid, 0, 0, 0, 0, 0);
	for (i = 0; i < FB_NSHARE; i++)
		report->kcmp[i] =
			fb_raw(SYS_kcmp, parent_tid, tid, kcmp_type[i], 0, 0);
	probe_word = PROBE_MAGIC;
	report->fd = fb_raw(SYS_dup, probe_fd, 0, 0, 0, 0);
	fb_raw(SYS_umask, PROBE_UMASK, 0, 0, 0, 0);
	fb_raw(SYS_rt_sigaction, SIGURG, (long)&ign, 0, 8, 0);
	report->ran = 1;
	return 0;
}

static void *thread_fn(void *arg)
{
	int (*fn)(void *) = (int (*)(void *))arg;

	fn(NULL);
	return NULL;
}

static int wait_cleartid(void)
{
	int v;

	while ((v = __atomic_load_n(&ctid, __ATOMIC_ACQUIRE)) != 0)
		if (syscall(SYS_futex, &ctid, FUTEX_WAIT, v, NULL, NULL, 0) &&
		    errno != EAGAIN && errno != EINTR)
			return -errno;
	return 0;
}

/* vfork() in a function of its own: nothing of the caller's frame is live. */
static __attribute__((noinline)) pid_t vfork_run(int (*fn)(void *))
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(fn(NULL));
	return pid;
}

static int run_child(const struct fb_method *m, int (*fn)(void *))
{
	uint64_t f = m->flags;
	int sig = (f & CLONE_THREAD) ? 0 : SIGCHLD;
	int expect = m->exec ? FB_HELPER_STATUS : 0;
	int st, ptid = -1, pidfd = -1, ret = 0;
	pthread_t th;
	pid_t pid = -1;

	switch (m->kind) {
	case FB_FORK:
		pid = fork();
		if (pid == 0)
			_exit(fn(NULL));
		break;
	case FB_VFORK:
		pid = vfork_run(fn);
		break;
	case FB_CLONE:
		ctid = 1;
		pid = clone(fn, stack + STACK_SIZE, (int)f | sig, NULL, &ptid,
			    tls_block, (pid_t *)&ctid);
		if (f & CLONE_PIDFD)
			pidfd = ptid;
		break;
	case FB_CLONE3: {
		struct fb_clone_args a = {
			.flags = f,
			.exit_signal = sig,
			.pidfd = (uintptr_t)&pidfd,
			.parent_tid = (uintptr_t)&ptid,
			.child_tid = (uintptr_t)&ctid,
			.tls = (uintptr_t)tls_block,
			.stack = (uintptr_t)stack,
			.stack_size = STACK_SIZE,
		};
		long r;

		ctid = 1;
		r = fb_clone3(&a, 64, fn, NULL);
		if (r < 0) {
			errno = -r;
			pid = -1;
		} else {
			pid = r;
		}
		break;
	}
	case FB_PTHREAD:
		ret = pthread_create(&th, &thread_attr, thread_fn, (void *)fn);
		if (ret)
			return -ret;
		return -pthread_join(th, NULL);
	case FB_SPAWN:
		ret = posix_spawn(&pid, helper_path, NULL, NULL, helper_argv,
				  helper_envp);
		if (ret)
			return -ret;
		break;
	}
	if (pid < 0)
		return -errno;
	if ((m->kind == FB_CLONE || m->kind == FB_CLONE3) &&
	    (f & CLONE_THREAD)) {
		ret = wait_cleartid();
	} else if (waitpid(pid, &st, __WALL) < 0) {
		ret = -errno;
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != expect) {
		ret = -EPROTO;
	}
	if (pidfd >= 0)
		close(pidfd);
	return ret;
}

int fb_create_one(const struct fb_method *m)
{
	return run_child(m, m->exec ? child_exec : child_exit);
}

static int flag_expect(uint64_t f, enum fb_share s)
{
	static const uint64_t bit[FB_NSHARE] = {
		[FB_VM] = CLONE_VM,
		[FB_FILES] = CLONE_FILES,
		[FB_FS] = CLONE_FS,
		[FB_SIGHAND] = CLONE_SIGHAND,
	};

	return !!(f & bit[s]);
}

int fb_probe(const struct fb_method *m, struct fb_sharing *s)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old, now;
	struct stat a, b;
	mode_t mask;
	int free_fd, ret, i;

	memset(s, 0, sizeof(*s));
	if (m->exec)
		return -EOPNOTSUPP;
	memset(report, 0, sizeof(*report));
	probe_word = 0;
	parent_tid = gettid();
	probe_fd = open("/", O_PATH | O_CLOEXEC);
	if (probe_fd < 0)
		return -errno;
	free_fd = fcntl(probe_fd, F_DUPFD, 0); /* the number dup() will pick */
	close(free_fd);
	mask = umask(022);
	umask(mask);
	sigaction(SIGURG, &dfl, &old);

	ret = run_child(m, child_probe);

	s->ran = report->ran;
	s->same_tgid = report->tgid == getpid();
	s->new_tid = report->tid && report->tid != parent_tid;
	for (i = 0; i < FB_NSHARE; i++) {
		int k = report->kcmp[i];

		s->kcmp[i] = k == 0 ? 1 : (k > 0 ? 0 : k);
		s->expect[i] = flag_expect(m->flags, i);
	}
	s->seen[FB_VM] = probe_word == PROBE_MAGIC;
	s->seen[FB_FILES] = report->fd == free_fd && !fstat(free_fd, &a) &&
			    !fstat(probe_fd, &b) && a.st_ino == b.st_ino &&
			    a.st_dev == b.st_dev;
	if (s->seen[FB_FILES])
		close(free_fd);
	s->seen[FB_FS] = umask(mask) == PROBE_UMASK && mask != PROBE_UMASK;
	sigaction(SIGURG, &old, &now);
	s->seen[FB_SIGHAND] = now.sa_handler == SIG_IGN;
	close(probe_fd);
	return ret;
}

long fb_vmsize_kb(void)
{
	char buf[4096], *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	/* No stdio: its buffers would change the very size being measured. */
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nVmSize:");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

static void *pad;
static size_t pad_len;

int fb_set_vsize(uint64_t target, enum fb_touch touch)
{
	const size_t huge = vl_pmd_size(), page = vl_page_size();
	size_t need, off;
	long kb;
	char *p;

	if (pad)
		munmap(pad, pad_len);
	pad = NULL;
	pad_len = 0;
	kb = fb_vmsize_kb();
	if (kb < 0)
		return -EIO;
	target = (target + page - 1) & ~(uint64_t)(page - 1);
	if (target < (uint64_t)kb * 1024)
		return -ERANGE;
	need = target - (uint64_t)kb * 1024;
	if (!need)
		return 0;
	/* Over-allocate so that huge pages can start PMD aligned, then trim. */
	p = mmap(NULL, need + huge, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	off = (huge - ((uintptr_t)p & (huge - 1))) & (huge - 1);
	if (off)
		munmap(p, off);
	munmap(p + off + need, huge - off);
	pad = p + off;
	pad_len = need;
	/*
	 * THP may be "always": say which page size we want. Kernels without
	 * THP (PREEMPT_RT) refuse both advices: only "huge" needs it.
	 */
	if (madvise(pad, pad_len,
		    touch == FB_HUGE ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) &&
	    touch == FB_HUGE)
		return errno == EINVAL ? -EOPNOTSUPP : -errno;
	if (touch != FB_UNTOUCHED)
		for (off = 0; off < pad_len; off += page)
			((volatile char *)pad)[off] = 1;
	return 0;
}
