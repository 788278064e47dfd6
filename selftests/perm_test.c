// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use /dev/vmlab and what they see: the device's 0660 root:vmlab
 * mode (as the udev rule sets it), PFNs hidden without CAP_SYS_ADMIN,
 * page tables of others' processes denied where /proc/PID/pagemap is,
 * their accessed and dirty bits without CAP_SYS_ADMIN, thread info hidden
 * as the /proc mount's hidepid= hides it, the module's caps, and no
 * undefined byte in anything copied out (buffers pre-filled with 0xa5).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "pt_arch.h"
#include "vm_util.h"
#include "vmlab_pt.h"

#define MEMBER_UID	1000	/* "student", in group vmlab */
#define VMLAB_GID	900
#define POISON		0xa5
#define PARAM(name)	"/sys/module/vmlab/parameters/" name

/*
 * Become the vmlab member: uid 1000 with supplementary group 900. Changing
 * credentials makes a process non-dumpable, which hands its /proc files to
 * root; a process the member starts is dumpable, so be one again.
 */
static int become_member(void)
{
	gid_t g = VMLAB_GID;

	if (setgroups(1, &g) || setresgid(MEMBER_UID, MEMBER_UID, MEMBER_UID) ||
	    setresuid(MEMBER_UID, MEMBER_UID, MEMBER_UID) || prctl(PR_SET_DUMPABLE, 1))
		return -errno;
	return 0;
}

static int read_param(const char *path, unsigned long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%lu", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int write_param(const char *path, unsigned long v)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -errno;
	ok = fprintf(f, "%lu\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -EIO;
}

/* True if none of the n bytes at p is still the poison byte pattern word. */
static int no_poison_word(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8)
		if (!memcmp(b + i, "\xa5\xa5\xa5\xa5\xa5\xa5\xa5\xa5", 8))
			return 0;
	return 1;
}

static int all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != v)
			return 0;
	return 1;
}

/* Bytes after the string's NUL are zero: no stale kernel bytes behind it. */
static int tail_zero(const char *s, size_t n)
{
	size_t len = strnlen(s, n);

	return len < n && all_bytes(s + len, n - len, 0);
}

FIXTURE(perm) {
	struct stat orig;
};

FIXTURE_SETUP(perm)
{
	ASSERT_EQ(0, stat(VMLAB_DEVICE, &self->orig));
	/* What scripts/60-vmlab.rules does on a real host. */
	ASSERT_EQ(0, chown(VMLAB_DEVICE, 0, VMLAB_GID));
	ASSERT_EQ(0, chmod(VMLAB_DEVICE, 0660));
}

FIXTURE_TEARDOWN(perm)
{
	chown(VMLAB_DEVICE, self->orig.st_uid, self->orig.st_gid);
	chmod(VMLAB_DEVICE, self->orig.st_mode & 07777);
}

TEST_F(perm, outsider_gets_eacces)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (drop_privileges(UNPRIV_UID))
			_exit(10);
		_exit(vmlab_open() == -EACCES ? 0 : 1);
	}
	ASSERT_EQ(0, wait_exit(pid));
}

TEST_F(perm, member_can_open)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_version ver;
		int fd;

		if (become_member())
			_exit(10);
		fd = vmlab_open();
		if (fd < 0)
			_exit(20 - fd);	/* 20 + errno */
		_exit(vmlab_version(fd, &ver) == 0 ? 0 : 1);
	}
	ASSERT_EQ(0, wait_exit(pid));
}

/* One PT_QUERY of a written page of our own: 0, or -errno. */
static int query_own_page(struct vmlab_pte *pte, unsigned int *count)
{
	static char *page;
	struct vmlab_pt_query q = { .flags = VMLAB_PT_LEVELS, .count = 1 };
	int fd = vmlab_open(), ret;

	if (fd < 0)
		return fd;
	if (!page) {
		page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			return -ENOMEM;
	}
	page[0] = 1;
	memset(pte, POISON, 2 * sizeof(*pte));
	q.start = (uintptr_t)page;
	q.end = q.start + PG;
	q.entries = (uintptr_t)pte;
	ret = VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q);
	*count = q.count;
	close(fd);
	return ret;
}

TEST_F(perm, pfn_hidden_without_cap_sys_admin)
{
	const struct pt_arch *a;
	struct vmlab_pte pte[2];
	unsigned int count;
	uint64_t pfn_mask;
	int ret, i, fd;
	pid_t pid;

	fd = vmlab_open();
	ASSERT_LE(0, fd);
	a = pt_arch(fd);
	close(fd);
	ASSERT_NE(NULL, a);
	pfn_mask = a->pfn_mask;	/* frame bits of the architecture's entries */
	ret = query_own_page(pte, &count);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(1, count);
	/* As root the PFN is there: the check below can fail. */
	ASSERT_NE(0, pte[0].pfn);
	ASSERT_NE(0, pte[0].entry & pfn_mask);
	/* The record after the one filled is untouched. */
	ASSERT_TRUE(all_bytes(&pte[1], sizeof(pte[1]), POISON));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (become_member())
			_exit(10);
		if (query_own_page(pte, &count) || count != 1)
			_exit(11);
		if (pte[0].pfn || (pte[0].entry & pfn_mask))
			_exit(12);
		for (i = 0; i < 4; i++)
			if (pte[0].upper[i] & pfn_mask)
				_exit(13);
		if (!(pte[0].flags & VMLAB_PTE_PRESENT) || pte[0].level != VMLAB_LEVEL_PTE)
			_exit(14);
		_exit(all_bytes(&pte[1], sizeof(pte[1]), POISON) ? 0 : 15);
	}
	ASSERT_EQ(0, wait_exit(pid));
}

/*
 * A member cannot open another user's /proc/PID/pagemap, so it cannot name
 * that process to PT_QUERY; its own pagemap works; other fds are refused.
 */
TEST_F(perm, pt_query_of_other_users_process_denied)
{
	int fd, sync[2];
	pid_t victim, pid;

	ASSERT_EQ(0, pipe(sync));
	victim = fork();	/* a root process, alive until we close the pipe */
	ASSERT_GE(victim, 0);
	if (victim == 0) {
		char c;

		close(sync[1]);
		read(sync[0], &c, 1);
		_exit(0);
	}
	close(sync[0]);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_pt_query q = { .flags = VMLAB_PT_PAGEMAP_FD, .end = 1ULL << 47 };
		char path[64];
		int pm, st;

		snprintf(path, sizeof(path), "/proc/%d/pagemap", victim);
		st = open("/proc/self/status", O_RDONLY);
		if (become_member())
			_exit(10);
		fd = vmlab_open();
		if (fd < 0)
			_exit(11);
		if (open(path, O_RDONLY) != -1 || errno != EACCES)
			_exit(12);
		/* not a pagemap fd: refused */
		snprintf(path, sizeof(path), "/proc/%d/status", victim);
		q.pagemap_fd = open(path, O_RDONLY);
		if (q.pagemap_fd < 0 || VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q) != -EINVAL)
			_exit(13);
		q.pagemap_fd = st;
		q.start = 0;
		if (VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q) != -EINVAL)
			_exit(14);
		/* our own pagemap is fine */
		pm = open("/proc/self/pagemap", O_RDONLY);
		if (pm < 0)
			_exit(15);
		q.pagemap_fd = pm;
		q.start = 0;
		q.end = vmlab_pt_task_size(fd);	/* 4- or 5-level, arm64 2^48 */
		_exit(VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q) == 0 ? 0 : 16);
	}
	ASSERT_EQ(0, wait_exit(pid));
	close(sync[1]);
	ASSERT_EQ(0, wait_exit(victim));
}

/* The member's THREADS of pid (0: its own process): 0 or the errno. */
static int member_threads_of(pid_t pid)
{
	struct vmlab_thread_info ti[4];
	struct vmlab_threads t = { .count = 4 };
	pid_t child = fork();
	int fd;

	if (child == 0) {
		if (become_member())
			_exit(100);
		fd = vmlab_open();
		if (fd < 0)
			_exit(101);
		t.pid = pid ? pid : getpid();
		t.entries = (uintptr_t)ti;
		_exit(-VMLAB_CALL(fd, VMLAB_IOC_THREADS, &t));
	}
	return wait_exit(child);
}

static int remount_proc(const char *options)
{
	return mount("proc", "/proc", "proc", MS_REMOUNT, options) ? -errno : 0;
}

/* /proc's hidepid= and gid= decide, as for ps; the test restores hidepid=0. */
FIXTURE(hidepid) {
	int unused;
};

FIXTURE_SETUP(hidepid)
{
	ASSERT_EQ(0, chown(VMLAB_DEVICE, 0, VMLAB_GID));
	ASSERT_EQ(0, chmod(VMLAB_DEVICE, 0660));
}

FIXTURE_TEARDOWN(hidepid)
{
	remount_proc("hidepid=0,gid=0");
}

TEST_F(hidepid, threads_hidden_like_proc)
{
	ASSERT_EQ(0, remount_proc("hidepid=0"));
	EXPECT_EQ(0, member_threads_of(1));
	ASSERT_EQ(0, remount_proc("hidepid=1"));
	EXPECT_EQ(EACCES, member_threads_of(1));
	EXPECT_EQ(0, member_threads_of(0)) TH_LOG("one's own process stays visible");
	ASSERT_EQ(0, remount_proc("hidepid=2"));
	EXPECT_EQ(ESRCH, member_threads_of(1));
	EXPECT_EQ(0, member_threads_of(0));
	/* gid= names a group that sees every process, as procfs has it. */
	ASSERT_EQ(0, remount_proc("hidepid=2,gid=900"));
	EXPECT_EQ(0, member_threads_of(1));
}

/*
 * Another process's accessed and dirty bits need CAP_SYS_ADMIN (as
 * /sys/kernel/mm/page_idle does), even where its pagemap can be opened:
 * the member sees its child's written page present, without A and D.
 */
TEST_F(perm, others_accessed_dirty_bits_need_cap_sys_admin)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_pte pte[2];
		struct vmlab_pt_query q = {
			.flags = VMLAB_PT_PAGEMAP_FD | VMLAB_PT_LEVELS,
			.count = 2, .entries = (uintptr_t)pte,
		};
		volatile char *page;
		int sync[2], fd, own;
		char path[64], c;
		pid_t child;

		if (become_member() || pipe(sync))
			_exit(10);
		page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			_exit(11);
		child = fork();
		if (child == 0) {
			page[0] = 1;	/* written after the fork: this child's own page */
			close(sync[0]);
			write(sync[1], "x", 1);
			pause();
			_exit(0);
		}
		close(sync[1]);
		if (read(sync[0], &c, 1) != 1)
			_exit(12);
		fd = vmlab_open();
		snprintf(path, sizeof(path), "/proc/%d/pagemap", child);
		q.pagemap_fd = open(path, O_RDONLY);
		if (fd < 0 || q.pagemap_fd < 0)
			_exit(13);
		q.start = (uintptr_t)page;
		q.end = q.start + PG;
		if (VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q) || q.count != 1)
			_exit(14);
		kill(child, SIGKILL);
		if (!(pte[0].flags & VMLAB_PTE_PRESENT) || !(pte[0].flags & VMLAB_PTE_WRITE))
			_exit(15);
		if (pte[0].flags & (VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY))
			_exit(16);
		if (pt_arch_raw_ad(pt_arch(fd), pte[0].entry))	/* x86 A, D; arm64 AF, dirty */
			_exit(17);
		/* Its own page through its own pagemap: A and D are there. */
		page[0] = 2;
		own = open("/proc/self/pagemap", O_RDONLY);
		q.pagemap_fd = own;
		q.start = (uintptr_t)page;	/* the first call moved it to the end */
		q.count = 2;
		if (own < 0 || VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q) || q.count != 1)
			_exit(18);
		if ((pte[0].flags & (VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY)) !=
		    (VMLAB_PTE_ACCESSED | VMLAB_PTE_DIRTY))
			_exit(19);
		_exit(0);
	}
	ASSERT_EQ(0, wait_exit(pid));
}

/* An fd is a pagemap fd by what it is, not by its name or filesystem. */
TEST_F(perm, pagemap_fd_is_recognised_exactly)
{
	struct vmlab_pt_query q = { .flags = VMLAB_PT_PAGEMAP_FD, .end = PG };
	const char *others[] = { "/proc/self/maps", "/proc/self/smaps", "/proc/self/mem",
				 "/proc/self/status", "/dev/null" };
	int fd = vmlab_open();
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		q.pagemap_fd = open(others[i], O_RDONLY);
		ASSERT_LE(0, q.pagemap_fd) TH_LOG("%s", others[i]);
		EXPECT_EQ(-EINVAL, VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q)) TH_LOG("%s", others[i]);
		close(q.pagemap_fd);
	}
	q.pagemap_fd = 1000;
	EXPECT_EQ(-EBADF, VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q));
	q.pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	ASSERT_LE(0, q.pagemap_fd);
	EXPECT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q));
	close(q.pagemap_fd);
	close(fd);
}

TEST_F(perm, thread_registers_need_cap_sys_admin)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_thread_info ti[1];
		struct vmlab_threads t = { .flags = VMLAB_THREADS_REGS, .count = 1 };
		int fd, ret;

		if (become_member())
			_exit(100);
		fd = vmlab_open();
		t.pid = getpid();
		t.entries = (uintptr_t)ti;
		ret = VMLAB_CALL(fd, VMLAB_IOC_THREADS, &t);
		_exit(ret == -EPERM ? 0 : 1);
	}
	ASSERT_EQ(0, wait_exit(pid));
}

/* As the member, create counters past ctr_max: refused with ENOSPC. */
TEST_F(perm, counters_capped)
{
	unsigned long orig;
	pid_t pid;

	if (read_param(PARAM("ctr_max"), &orig))
		SKIP(return, "no ctr_max parameter (counter area not loaded)");
	ASSERT_EQ(0, write_param(PARAM("ctr_max"), 8));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_ctr_create c;
		struct vmlab_ctr_op op;
		uint32_t ids[16];
		int fd, i, n = 0, ret = 0;

		if (become_member())
			_exit(100);
		fd = vmlab_open();
		for (i = 0; i < 16; i++) {
			memset(&c, 0, sizeof(c));
			ret = VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &c);
			if (ret)
				break;
			ids[n++] = c.id;
		}
		for (i = 0; i < n; i++) {
			memset(&op, 0, sizeof(op));
			op.id = ids[i];
			VMLAB_CALL(fd, VMLAB_IOC_CTR_DESTROY, &op);
		}
		/* exactly the cap (none exist before), then ENOSPC */
		_exit(n == 8 && ret == -ENOSPC ? 0 : 1);
	}
	EXPECT_EQ(0, wait_exit(pid));
	ASSERT_EQ(0, write_param(PARAM("ctr_max"), orig));
}

/* Regions past shm_max_regions, and pages past shm_max_pages. */
TEST_F(perm, regions_and_pages_capped)
{
	unsigned long oregions, opages;
	pid_t pid;

	if (read_param(PARAM("shm_max_regions"), &oregions) ||
	    read_param(PARAM("shm_max_pages"), &opages))
		SKIP(return, "no shm_max_* parameters (shm area not loaded)");
	ASSERT_EQ(0, write_param(PARAM("shm_max_regions"), 4));
	ASSERT_EQ(0, write_param(PARAM("shm_max_pages"), 16));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_shm_attach a;
		int fds[6], i, ret = 0;

		if (become_member())
			_exit(100);
		for (i = 0; i < 5; i++) {
			fds[i] = vmlab_open();
			memset(&a, 0, sizeof(a));
			a.flags = VMLAB_SHM_CREATE;
			a.length = 4 * PG;
			snprintf(a.name, sizeof(a.name), "permcap%d", i);
			ret = VMLAB_CALL(fds[i], VMLAB_IOC_SHM_ATTACH, &a);
			if (ret)
				break;
		}
		if (i != 4 || ret != -ENOSPC)
			_exit(1);
		/* a region longer than every page allowed is refused at once */
		fds[5] = vmlab_open();
		memset(&a, 0, sizeof(a));
		a.flags = VMLAB_SHM_CREATE;
		a.length = 17 * PG;
		strcpy(a.name, "permcap-big");
		if (VMLAB_CALL(fds[5], VMLAB_IOC_SHM_ATTACH, &a) != -ENOSPC)
			_exit(2);
		for (i = 0; i < 4; i++) {
			struct vmlab_shm_unlink u = { 0 };

			snprintf(u.name, sizeof(u.name), "permcap%d", i);
			VMLAB_CALL(fds[0], VMLAB_IOC_SHM_UNLINK, &u);
		}
		_exit(0);
	}
	EXPECT_EQ(0, wait_exit(pid));

	/* 4 regions of 8 pages: touching the 17th page is SIGBUS, like a full tmpfs. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct vmlab_shm_attach a;
		char *p[2];
		int i, j, fd;

		if (become_member())
			_exit(100);
		for (i = 0; i < 2; i++) {
			fd = vmlab_open();
			memset(&a, 0, sizeof(a));
			a.flags = VMLAB_SHM_CREATE;
			a.length = 16 * PG;
			snprintf(a.name, sizeof(a.name), "permpg%d", i);
			if (VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &a))
				_exit(3);
			p[i] = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (p[i] == MAP_FAILED)
				_exit(4);
			struct vmlab_shm_unlink u = { 0 };

			memcpy(u.name, a.name, sizeof(u.name));
			VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
		}
		for (i = 0; i < 16; i++)
			p[0][i * PG] = 1;	/* exactly the cap */
		for (j = 0; j < 16; j++)
			p[1][j * PG] = 1;	/* the first of these dies */
		_exit(5);
	}
	{
		int status;

		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) {
			TH_LOG("status 0x%x: expected death by SIGBUS at the page cap", status);
		}
	}
	ASSERT_EQ(0, write_param(PARAM("shm_max_regions"), oregions));
	ASSERT_EQ(0, write_param(PARAM("shm_max_pages"), opages));
}

/* Every byte copied out is defined: padding zero, no poison left. */
TEST_F(perm, no_undefined_bytes_copied_out)
{
	int fd = vmlab_open();
	struct vmlab_version ver;
	struct vmlab_ctr_create cc = { .mode = VMLAB_CTR_MUTEX };
	struct vmlab_ctr_stat cs;
	struct vmlab_ctr_op op;
	struct vmlab_shm_attach a = { .flags = VMLAB_SHM_CREATE, .length = 2 * PG };
	struct vmlab_shm_unlink u = { 0 };
	struct vmlab_shm_stat ss = { 0 };
	struct vmlab_shm_info info[4];
	struct vmlab_shm_list sl = { 0 };
	struct vmlab_thread_info ti[8];
	struct vmlab_threads th = { 0 };
	unsigned int i;

	ASSERT_GE(fd, 0);

	/* VERSION: the out fields pre-poisoned */
	memset(&ver, POISON, sizeof(ver));
	ver.flags = 0;
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_VERSION, &ver));
	EXPECT_TRUE(no_poison_word(&ver, sizeof(ver)));
	EXPECT_EQ(VMLAB_ABI_MAJOR, ver.major);

	/* CTR_STAT: every out field pre-poisoned */
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &cc));
	EXPECT_EQ(0, cc.pad);
	memset(&cs, POISON, sizeof(cs));
	cs.flags = 0;
	cs.id = cc.id;
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_CTR_STAT, &cs));
	EXPECT_TRUE(no_poison_word(&cs, sizeof(cs)));
	EXPECT_TRUE(tail_zero(cs.name, sizeof(cs.name)));
	EXPECT_EQ(VMLAB_CTR_MUTEX, cs.mode);
	memset(&op, 0, sizeof(op));
	memset(&op.value, POISON, sizeof(op.value));
	op.id = cc.id;
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_CTR_GET, &op));
	EXPECT_EQ(0, op.value);
	EXPECT_EQ(0, op.pad);
	memset(&op, 0, sizeof(op));
	op.id = cc.id;
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_CTR_DESTROY, &op));

	/* SHM_STAT and SHM_LIST: records pre-poisoned */
	strcpy(a.name, "permbytes");
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &a));
	memset(&ss.info, POISON, sizeof(ss.info));
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_SHM_STAT, &ss));
	EXPECT_TRUE(no_poison_word(&ss, sizeof(ss)));
	EXPECT_TRUE(tail_zero(ss.info.name, sizeof(ss.info.name)));
	EXPECT_EQ(0, ss.info.pad);
	memset(info, POISON, sizeof(info));
	sl.count = 4;
	sl.entries = (uintptr_t)info;
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, &sl));
	ASSERT_GE(sl.count, 1);
	for (i = 0; i < sl.count; i++) {
		EXPECT_TRUE(no_poison_word(&info[i], sizeof(info[i])));
		EXPECT_TRUE(tail_zero(info[i].name, sizeof(info[i].name)));
		EXPECT_EQ(0, info[i].pad);
	}
	for (; i < 4; i++)
		EXPECT_TRUE(all_bytes(&info[i], sizeof(info[i]), POISON));
	strcpy(u.name, "permbytes");
	EXPECT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u));

	/* THREADS: records pre-poisoned, more than the threads we have */
	memset(ti, POISON, sizeof(ti));
	th.pid = getpid();
	th.count = 8;
	th.entries = (uintptr_t)ti;
	ASSERT_EQ(0, VMLAB_CALL(fd, VMLAB_IOC_THREADS, &th));
	ASSERT_EQ(1, th.count);
	EXPECT_EQ(0, th.pad);
	EXPECT_TRUE(no_poison_word(&ti[0], sizeof(ti[0])));
	EXPECT_TRUE(tail_zero(ti[0].comm, sizeof(ti[0].comm)));
	EXPECT_EQ(0, ti[0].flags);
	EXPECT_EQ(0, ti[0].user_sp);	/* no VMLAB_THREADS_REGS asked */
	EXPECT_TRUE(all_bytes(&ti[1], sizeof(ti[1]), POISON));
	close(fd);
}

TEST_HARNESS_MAIN
