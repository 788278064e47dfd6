// SPDX-License-Identifier: GPL-2.0
/*
 * Shared regions: sharing across fork and by name, MAP_PRIVATE copy-on-write,
 * demand paging with exact counts, every bad input, unlink, limits and
 * munmap/fork/exit storms that leave the module's totals where they started.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vm_util.h"

#define PARAM_DIR "/sys/module/vmlab/parameters/"

/* Names here are shorter than VMLAB_NAME_MAX; the rest stays zero. */
static void set_name(char *dst, const char *src)
{
	size_t n = strlen(src);

	memcpy(dst, src, n < VMLAB_NAME_MAX ? n : VMLAB_NAME_MAX - 1);
}

static int shm_attach(int fd, const char *name, uint64_t length, uint32_t flags,
		      uint64_t *out)
{
	struct vmlab_shm_attach a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.flags = flags;
	a.length = length;
	set_name(a.name, name);
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_ATTACH, &a);
	if (!ret && out)
		*out = a.length;
	return ret;
}

static int shm_unlink_name(int fd, const char *name)
{
	struct vmlab_shm_unlink u;

	memset(&u, 0, sizeof(u));
	set_name(u.name, name);
	return VMLAB_CALL(fd, VMLAB_IOC_SHM_UNLINK, &u);
}

/* Statistics of a name, or of fd's own region when name is NULL. */
static int shm_stat(int fd, const char *name, struct vmlab_shm_info *info)
{
	struct vmlab_shm_stat s;
	int ret;

	memset(&s, 0, sizeof(s));
	if (name)
		set_name(s.name, name);
	ret = VMLAB_CALL(fd, VMLAB_IOC_SHM_STAT, &s);
	*info = s.info;
	return ret;
}

static int shm_totals(int fd, struct vmlab_shm_list *l)
{
	memset(l, 0, sizeof(*l));
	return VMLAB_CALL(fd, VMLAB_IOC_SHM_LIST, l);
}

/* A new fd attached to name (created with length if missing). */
static int open_attached(const char *name, uint64_t length)
{
	int fd = vmlab_open();

	if (fd < 0)
		return fd;
	if (shm_attach(fd, name, length, length ? VMLAB_SHM_CREATE : 0, NULL)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *map(int fd, size_t len, int flags, off_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);
}

/* Run fn(p) in a child; return the signal that killed it, or 0. */
static int child_signal(void (*fn)(volatile char *), volatile char *p)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn(p);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void write_byte(volatile char *p)
{
	*p = 1;
}

static long read_param(const char *name)
{
	char path[128], buf[32] = "";
	int fd, n;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int write_param(const char *name, long value)
{
	char path[128], buf[32];
	int fd, n, len;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	len = snprintf(buf, sizeof(buf), "%ld", value);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	close(fd);
	return n == len ? 0 : -EIO;
}

FIXTURE(shm) {
	int fd;
	char name[16];	/* short, so that derived names fit */
	struct vmlab_shm_list start;
};

FIXTURE_SETUP(shm)
{
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
	snprintf(self->name, sizeof(self->name), "t%d", getpid());
	ASSERT_EQ(0, shm_totals(self->fd, &self->start));
}

FIXTURE_TEARDOWN(shm)
{
	shm_unlink_name(self->fd, self->name);
	close(self->fd);
}

TEST_F(shm, create_then_attach_by_name)
{
	uint64_t len = 0;
	char *a, *b;
	int fd2;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, 4 * PG, VMLAB_SHM_CREATE, &len));
	EXPECT_EQ(4 * PG, len);
	a = map(self->fd, 4 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, a);
	strcpy(a + PG, "hello");

	fd2 = vmlab_open();
	ASSERT_LE(0, fd2);
	len = 0;
	ASSERT_EQ(0, shm_attach(fd2, self->name, 0, 0, &len));
	EXPECT_EQ(4 * PG, len) TH_LOG("length 0 without CREATE reports the region's");
	b = map(fd2, 2 * PG, MAP_SHARED, PG);
	ASSERT_NE(MAP_FAILED, b);
	EXPECT_STREQ("hello", b);
	b[PG] = 'x';
	EXPECT_EQ('x', a[2 * PG]);
	munmap(a, 4 * PG);
	munmap(b, 2 * PG);
	close(fd2);
}

TEST_F(shm, share_across_fork)
{
	struct vmlab_shm_info info;
	volatile uint64_t *p;
	pid_t pid;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, 2 * PG, VMLAB_SHM_CREATE, NULL));
	p = map(self->fd, 2 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[PG / 8] = 1;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		p[PG / 8] += 41;
		_exit(0);
	}
	ASSERT_EQ(0, wait_exit(pid));
	EXPECT_EQ(42, p[PG / 8]) TH_LOG("the parent sees the child's write");
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(1, info.mappings) TH_LOG("the child's copy of the VMA is gone");
	EXPECT_EQ(1, info.attachments);
	munmap((void *)p, 2 * PG);
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(0, info.mappings);
}

/*
 * Two children that share nothing but the name: each opens the device and
 * attaches on its own, one writes, the other reads and answers.
 */
TEST_F(shm, share_between_unrelated_processes)
{
	int ready[2], go[2], status, i;
	struct vmlab_shm_info info;
	pid_t kids[2];
	char c;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, PG, VMLAB_SHM_CREATE, NULL));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			int fd = open_attached(self->name, 0);
			volatile uint64_t *p;

			close(self->fd);
			close(go[1]);
			if (fd < 0)
				_exit(10);
			p = map(fd, PG, MAP_SHARED, 0);
			if (p == MAP_FAILED)
				_exit(11);
			if (i == 0) {
				p[0] = 0xabc;
			} else {
				if (p[0] != 0xabc)
					_exit(12);
				p[1] = 0xdef;
			}
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 0)
				_exit(13);
			_exit(i == 0 && p[1] != 0xdef ? 14 : 0);
		}
		ASSERT_EQ(1, read(ready[0], &c, 1));
	}
	ASSERT_EQ(0, shm_stat(self->fd, self->name, &info));
	EXPECT_EQ(3, info.attachments);
	EXPECT_EQ(2, info.mappings);
	EXPECT_EQ(1, info.resident_pages);
	close(go[1]);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("child %d status %#x", i, status);
	}
	ASSERT_EQ(0, shm_stat(self->fd, self->name, &info));
	EXPECT_EQ(1, info.attachments);
	EXPECT_EQ(0, info.mappings);
}

TEST_F(shm, private_mapping_is_copy_on_write)
{
	volatile uint64_t *s, *p, *q;
	struct vmlab_shm_info info;
	int sync1[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, 2 * PG, VMLAB_SHM_CREATE, NULL));
	s = map(self->fd, 2 * PG, MAP_SHARED, 0);
	p = map(self->fd, 2 * PG, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, s);
	ASSERT_NE(MAP_FAILED, p);
	s[0] = 42;
	EXPECT_EQ(42, p[0]) TH_LOG("a private read sees the shared page");
	p[0] = 99;
	EXPECT_EQ(42, s[0]) TH_LOG("the private write went to a copy");
	EXPECT_EQ(99, p[0]);
	s[0] = 7;
	EXPECT_EQ(99, p[0]) TH_LOG("the copy no longer follows the region");
	EXPECT_EQ(0, p[PG / 8]);
	s[PG / 8] = 5;
	EXPECT_EQ(5, p[PG / 8]) TH_LOG("an unwritten private page still is the region's");
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(2, info.resident_pages) TH_LOG("private copies are not region pages");

	/* After fork, parent and child each get their own copy on write. */
	q = map(self->fd, PG, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_EQ(7, q[0]);
	ASSERT_EQ(0, pipe(sync1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		q[0] = 1;
		if (write(sync1[1], "w", 1) != 1)
			_exit(2);
		usleep(100000);
		_exit(q[0] == 1 && s[0] == 7 ? 0 : 1);
	}
	ASSERT_EQ(1, read(sync1[0], &c, 1));
	EXPECT_EQ(7, q[0]) TH_LOG("the child's private write is not seen");
	q[0] = 2;
	EXPECT_EQ(0, wait_exit(pid)) TH_LOG("the child kept its own value");
	EXPECT_EQ(2, q[0]);
	EXPECT_EQ(7, s[0]) TH_LOG("the region never saw a private write");
	munmap((void *)s, 2 * PG);
	munmap((void *)p, 2 * PG);
	munmap((void *)q, PG);
}

TEST_F(shm, demand_paging_exact_counts)
{
	struct vmlab_shm_info info;
	volatile char *a, *b;
	const int touched[] = { 0, 3, 7 };
	int i;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, 16 * PG, VMLAB_SHM_CREATE, NULL));
	a = map(self->fd, 16 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(0, info.resident_pages) TH_LOG("nothing is allocated before a touch");
	EXPECT_EQ(0, info.faults);

	for (i = 0; i < 3; i++)
		a[touched[i] * PG + 1] = 'a' + i;
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(3, info.resident_pages);
	EXPECT_EQ(3, info.faults);
	for (i = 0; i < 3; i++)
		a[touched[i] * PG + 2] = 'A' + i;
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(3, info.faults) TH_LOG("a mapped page does not fault again");

	/* A second mapping faults on its own but finds the pages resident. */
	b = map(self->fd, 16 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, b);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ('a' + i, b[touched[i] * PG + 1]);
	}
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(3, info.resident_pages);
	EXPECT_EQ(6, info.faults);
	EXPECT_EQ(0, b[10 * PG]) TH_LOG("a new page is zero-filled");
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(4, info.resident_pages);
	EXPECT_EQ(7, info.faults);
	munmap((void *)a, 16 * PG);
	munmap((void *)b, 16 * PG);
}

TEST_F(shm, attach_bad_inputs)
{
	struct vmlab_shm_attach a;
	const char *bad_names[] = { "", "a/b", "has space", "tab\t", "\x7f", "\xc3\xa9" };
	uint64_t bad_lengths[] = { 1, PG - 1, PG + 1, 0xfffffffffffff000ULL, 1ULL << 63 };
	unsigned int i;

	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		EXPECT_EQ(-EINVAL, shm_attach(self->fd, bad_names[i], PG, VMLAB_SHM_CREATE, NULL))
			TH_LOG("name '%s'", bad_names[i]);
	}
	for (i = 0; i < sizeof(bad_lengths) / sizeof(bad_lengths[0]); i++) {
		EXPECT_EQ(-EINVAL, shm_attach(self->fd, self->name, bad_lengths[i],
					      VMLAB_SHM_CREATE, NULL))
			TH_LOG("length %#llx", (unsigned long long)bad_lengths[i]);
	}
	EXPECT_EQ(-EINVAL, shm_attach(self->fd, self->name, 0, VMLAB_SHM_CREATE, NULL))
		TH_LOG("CREATE needs a length");
	EXPECT_EQ(-EINVAL, shm_attach(self->fd, self->name, PG, 1U << 2, NULL));
	EXPECT_EQ(-EINVAL, shm_attach(self->fd, self->name, PG, VMLAB_SHM_EXCL, NULL))
		TH_LOG("EXCL without CREATE");
	EXPECT_EQ(-ENOENT, shm_attach(self->fd, self->name, PG, 0, NULL));

	/* A name filling all VMLAB_NAME_MAX bytes has no NUL. */
	memset(&a, 0, sizeof(a));
	memset(a.name, 'n', sizeof(a.name));
	a.flags = VMLAB_SHM_CREATE;
	a.length = PG;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_ATTACH, &a));
	a.name[sizeof(a.name) - 1] = 0;
	a.size = sizeof(a) - 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_SHM_ATTACH, &a));
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_SHM_ATTACH, NULL));
	/* The longest valid name works (and is then removed). */
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_ATTACH, &a));
	EXPECT_EQ(0, shm_unlink_name(self->fd, a.name));

	/* Nothing above left a region behind. */
	struct vmlab_shm_list now;

	ASSERT_EQ(0, shm_totals(self->fd, &now));
	EXPECT_EQ(self->start.total, now.total);
}

TEST_F(shm, attach_twice_length_mismatch_and_excl)
{
	int fd2 = vmlab_open();

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, shm_attach(self->fd, self->name, 2 * PG,
				VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, NULL));
	EXPECT_EQ(-EBUSY, shm_attach(self->fd, self->name, 2 * PG, 0, NULL))
		TH_LOG("a file binds to one region only");
	EXPECT_EQ(-EEXIST, shm_attach(fd2, self->name, 2 * PG,
				      VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, NULL));
	EXPECT_EQ(-EINVAL, shm_attach(fd2, self->name, 4 * PG, VMLAB_SHM_CREATE, NULL))
		TH_LOG("an existing region keeps its length");
	EXPECT_EQ(0, shm_attach(fd2, self->name, 2 * PG, VMLAB_SHM_CREATE, NULL))
		TH_LOG("CREATE without EXCL opens an existing region");
	close(fd2);
}

TEST_F(shm, other_ioctls_bad_inputs)
{
	struct vmlab_shm_unlink u;
	struct vmlab_shm_stat s;
	struct vmlab_shm_list l;
	struct vmlab_shm_info info, entries[2];

	EXPECT_EQ(-ENXIO, shm_stat(self->fd, NULL, &info)) TH_LOG("not attached");
	EXPECT_EQ(-ENOENT, shm_stat(self->fd, self->name, &info));
	EXPECT_EQ(-EINVAL, shm_stat(self->fd, "a/b", &info));
	EXPECT_EQ(-ENOENT, shm_unlink_name(self->fd, self->name));
	EXPECT_EQ(-EINVAL, shm_unlink_name(self->fd, ""));

	memset(&s, 0, sizeof(s));
	s.flags = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_STAT, &s));
	s.flags = 0;
	s.info.faults = 1;
	EXPECT_EQ(-ENXIO, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_STAT, &s))
		TH_LOG("output fields are ignored on input");
	s.info.faults = 0;

	memset(&u, 0, sizeof(u));
	strcpy(u.name, self->name);
	u.flags = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_UNLINK, &u));
	u.flags = 0;

	memset(&l, 0, sizeof(l));
	l.flags = 1;
	EXPECT_EQ(-EINVAL, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l));
	l.flags = 0;
	l.pages_used = 1;
	EXPECT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l))
		TH_LOG("output fields are ignored on input");
	l.pages_used = 0;
	ASSERT_EQ(0, shm_attach(self->fd, self->name, PG, VMLAB_SHM_CREATE, NULL));
	l.count = 2;
	EXPECT_EQ(-EFAULT, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l)) TH_LOG("NULL entries");
	l.count = 2;
	l.entries = (uintptr_t)0xffff888000000000ULL;
	EXPECT_EQ(-EFAULT, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l));
	memset(&l, 0, sizeof(l));
	l.count = 2;
	l.entries = (uintptr_t)entries;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l));
	EXPECT_LE(1, l.count);
	EXPECT_EQ(self->start.total + 1, l.total);
}

TEST_F(shm, mmap_bad_inputs)
{
	int fd2 = vmlab_open();

	ASSERT_LE(0, fd2);
	EXPECT_EQ(MAP_FAILED, map(fd2, PG, MAP_SHARED, 0));
	EXPECT_EQ(ENXIO, errno) TH_LOG("mmap before attach");
	close(fd2);
	ASSERT_EQ(0, shm_attach(self->fd, self->name, 4 * PG, VMLAB_SHM_CREATE, NULL));
	EXPECT_EQ(MAP_FAILED, map(self->fd, 5 * PG, MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, 2 * PG, MAP_SHARED, 3 * PG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, PG, MAP_PRIVATE, 4 * PG));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, map(self->fd, PG, MAP_SHARED, (off_t)1 << 50));
	EXPECT_EQ(EINVAL, errno);
	void *p = map(self->fd, PG, MAP_SHARED, 3 * PG);

	ASSERT_NE(MAP_FAILED, p) TH_LOG("the last page alone is fine");
	munmap(p, PG);
}

TEST_F(shm, unlink_keeps_mappings)
{
	struct vmlab_shm_info info;
	volatile uint64_t *old, *fresh;
	struct vmlab_shm_list now;
	int fd2;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, PG, VMLAB_SHM_CREATE, NULL));
	old = map(self->fd, PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, old);
	old[0] = 42;
	ASSERT_EQ(0, shm_unlink_name(self->fd, self->name));
	EXPECT_EQ(-ENOENT, shm_unlink_name(self->fd, self->name));
	EXPECT_EQ(-ENOENT, shm_stat(self->fd, self->name, &info));
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(0, info.linked);
	EXPECT_STREQ("", info.name);
	EXPECT_EQ(1, info.resident_pages);
	EXPECT_EQ(42, old[0]) TH_LOG("the mapping outlives the name");
	old[0] = 43;

	fd2 = vmlab_open();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-ENOENT, shm_attach(fd2, self->name, 0, 0, NULL));
	ASSERT_EQ(0, shm_attach(fd2, self->name, PG, VMLAB_SHM_CREATE | VMLAB_SHM_EXCL, NULL))
		TH_LOG("the name is free again");
	fresh = map(fd2, PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, fresh);
	EXPECT_EQ(0, fresh[0]) TH_LOG("a new region, not the old one");
	fresh[0] = 1;
	EXPECT_EQ(43, old[0]);
	ASSERT_EQ(0, shm_totals(self->fd, &now));
	EXPECT_EQ(self->start.regions_used + 2, now.regions_used);
	EXPECT_EQ(self->start.total + 1, now.total);

	/* The unlinked region goes with its last mapping and file. */
	munmap((void *)old, PG);
	close(self->fd);
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, shm_totals(self->fd, &now));
	EXPECT_EQ(self->start.regions_used + 1, now.regions_used);
	EXPECT_EQ(self->start.pages_used + 1, now.pages_used);
	munmap((void *)fresh, PG);
	close(fd2);
}

TEST_F(shm, list_names)
{
	struct vmlab_shm_info entries[64];
	struct vmlab_shm_list l;
	char names[3][VMLAB_NAME_MAX];
	int fds[3], i, found = 0;
	unsigned int j;

	for (i = 0; i < 3; i++) {
		snprintf(names[i], sizeof(names[i]), "%s-%d", self->name, i);
		fds[i] = open_attached(names[i], (i + 1) * PG);
		ASSERT_LE(0, fds[i]);
	}
	memset(&l, 0, sizeof(l));
	l.count = 1;
	l.entries = (uintptr_t)entries;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l));
	EXPECT_EQ(1, l.count);
	EXPECT_EQ(self->start.total + 3, l.total);
	memset(&l, 0, sizeof(l));
	l.count = 64;
	l.entries = (uintptr_t)entries;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_SHM_LIST, &l));
	EXPECT_EQ(l.total, l.count);
	for (j = 0; j < l.count; j++)
		for (i = 0; i < 3; i++)
			if (!strcmp(entries[j].name, names[i])) {
				found++;
				EXPECT_EQ((i + 1) * PG, entries[j].length);
				EXPECT_EQ(1, entries[j].attachments);
				EXPECT_EQ(1, entries[j].linked);
			}
	EXPECT_EQ(3, found);
	EXPECT_EQ(read_param("shm_max_pages"), (long)l.pages_max);
	EXPECT_EQ(read_param("shm_max_regions"), (long)l.regions_max);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, shm_unlink_name(self->fd, names[i]));
		close(fds[i]);
	}
}

static void touch_pages(volatile char *p, size_t pages)
{
	for (size_t i = 0; i < pages; i++)
		p[i * PG] = 1;
}

/* Many maps, forks, exits and regions: the module ends where it started. */
TEST_F(shm, storms_return_to_start)
{
	struct vmlab_shm_info info;
	struct vmlab_shm_list now;
	volatile char *p;
	int i, fails = 0;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, 8 * PG, VMLAB_SHM_CREATE, NULL));
	for (i = 0; i < 200; i++) {
		p = map(self->fd, 8 * PG, i & 1 ? MAP_PRIVATE : MAP_SHARED, 0);
		ASSERT_NE(MAP_FAILED, p);
		touch_pages(p, 8);
		ASSERT_EQ(0, munmap((void *)p, 8 * PG));
	}
	p = map(self->fd, 8 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 50; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			int fd = open_attached(self->name, 0);
			volatile char *q = fd < 0 ? MAP_FAILED : map(fd, 8 * PG, MAP_SHARED, 0);

			if (q == MAP_FAILED)
				_exit(1);
			touch_pages(q, 8);
			touch_pages(p, 8);
			/* Exit with both mappings and the file still open. */
			_exit(0);
		}
		fails += wait_exit(pid) != 0;
	}
	EXPECT_EQ(0, fails);
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(1, info.mappings);
	EXPECT_EQ(1, info.attachments);
	EXPECT_EQ(8, info.resident_pages);

	/* Short-lived regions, created and dropped by children. */
	for (i = 0; i < 40; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			char name[VMLAB_NAME_MAX];
			int fd;

			snprintf(name, sizeof(name), "%s-s%d", self->name, i);
			fd = open_attached(name, 4 * PG);
			if (fd < 0)
				_exit(1);
			p = map(fd, 4 * PG, MAP_SHARED, 0);
			if (p == MAP_FAILED || shm_unlink_name(fd, name))
				_exit(2);
			touch_pages(p, 4);
			_exit(0);
		}
		fails += wait_exit(pid) != 0;
	}
	EXPECT_EQ(0, fails);
	munmap((void *)p, 8 * PG);
	ASSERT_EQ(0, shm_unlink_name(self->fd, self->name));
	close(self->fd);
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, shm_totals(self->fd, &now));
	EXPECT_EQ(self->start.regions_used, now.regions_used);
	EXPECT_EQ(self->start.pages_used, now.pages_used);
	EXPECT_EQ(self->start.total, now.total);
}

/* Two processes fault the same fresh pages at once: one page per index. */
TEST_F(shm, racing_faults_allocate_once)
{
	const size_t pages = 512;
	struct vmlab_shm_info info;
	volatile char *p;
	pid_t pid;
	int go[2];
	char c;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, pages * PG, VMLAB_SHM_CREATE, NULL));
	p = map(self->fd, pages * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		volatile char *q = map(self->fd, pages * PG, MAP_SHARED, 0);

		close(go[1]);
		if (q == MAP_FAILED || read(go[0], &c, 1) != 0)
			_exit(1);
		touch_pages(q, pages);
		_exit(0);
	}
	close(go[1]);
	touch_pages(p, pages);
	ASSERT_EQ(0, wait_exit(pid));
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(pages, info.resident_pages);
	EXPECT_EQ(2 * pages, info.faults);
	munmap((void *)p, pages * PG);
}

TEST_F(shm, mremap_mprotect_madvise)
{
	struct vmlab_shm_info info, before;
	volatile uint64_t *p, *m, *v;
	int i;

	ASSERT_EQ(0, shm_attach(self->fd, self->name, 4 * PG, VMLAB_SHM_CREATE, NULL));
	p = map(self->fd, 4 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 4; i++)
		p[i * PG / 8] = 100 + i;

	/* Moving keeps the pages; growing past the region gives SIGBUS there. */
	m = mremap((void *)p, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(103, m[3 * PG / 8]);
	EXPECT_EQ(SIGBUS, child_signal(write_byte, (volatile char *)m + 5 * PG));
	EXPECT_EQ(0, child_signal(write_byte, (volatile char *)m + 3 * PG + 8));
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(1, info.mappings);
	EXPECT_EQ(4, info.resident_pages);

	/* mprotect splits the VMA: each piece is a mapping of its own. */
	ASSERT_EQ(0, mprotect((char *)m + PG, PG, PROT_READ));
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(3, info.mappings);
	EXPECT_EQ(SIGSEGV, child_signal(write_byte, (volatile char *)m + PG));
	EXPECT_EQ(101, m[PG / 8]);

	/* MADV_DONTNEED drops the PTEs, not the region's pages. */
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &before));
	ASSERT_EQ(0, madvise((void *)m, 4 * PG, MADV_DONTNEED));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(100 + i, m[i * PG / 8]);
	}
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(4, info.resident_pages);
	EXPECT_EQ(before.faults + 4, info.faults);

	/* ... and on a private mapping it throws the private copy away. */
	v = map(self->fd, PG, MAP_PRIVATE, 0);
	ASSERT_NE(MAP_FAILED, v);
	v[0] = 7;
	ASSERT_EQ(0, madvise((void *)v, PG, MADV_DONTNEED));
	EXPECT_EQ(100, v[0]);

	munmap((void *)m, 8 * PG);
	munmap((void *)v, PG);
	ASSERT_EQ(0, shm_stat(self->fd, NULL, &info));
	EXPECT_EQ(0, info.mappings);
}

TEST_F(shm, unload_refused_while_mapped)
{
	void *p;
	int fd = open_attached(self->name, PG);

	ASSERT_LE(0, fd);
	p = map(fd, PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	close(fd);
	close(self->fd);
	self->fd = -1;
	EXPECT_NE(0, system("rmmod vmlab 2>/dev/null"))
		TH_LOG("the mapping holds the file, the file holds the module");
	*(volatile char *)p = 1;
	munmap(p, PG);
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE(limits) {
	int fd;
	long max_pages, max_regions;
	char name[16];	/* short, so that derived names fit */
};

FIXTURE_SETUP(limits)
{
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd);
	self->max_pages = read_param("shm_max_pages");
	self->max_regions = read_param("shm_max_regions");
	ASSERT_LT(0, self->max_pages);
	ASSERT_LT(0, self->max_regions);
	snprintf(self->name, sizeof(self->name), "l%d", getpid());
}

FIXTURE_TEARDOWN(limits)
{
	write_param("shm_max_pages", self->max_pages);
	write_param("shm_max_regions", self->max_regions);
	shm_unlink_name(self->fd, self->name);
	close(self->fd);
}

TEST_F(limits, max_regions_is_enospc)
{
	struct vmlab_shm_list l;
	char other[VMLAB_NAME_MAX];
	int fd2 = vmlab_open();

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, shm_totals(self->fd, &l));
	ASSERT_EQ(0, write_param("shm_max_regions", l.regions_used + 1));
	ASSERT_EQ(0, shm_attach(self->fd, self->name, PG, VMLAB_SHM_CREATE, NULL));
	snprintf(other, sizeof(other), "%s-2", self->name);
	EXPECT_EQ(-ENOSPC, shm_attach(fd2, other, PG, VMLAB_SHM_CREATE, NULL));
	EXPECT_EQ(0, shm_attach(fd2, self->name, 0, 0, NULL))
		TH_LOG("attaching an existing region is not limited");
	close(fd2);
}

TEST_F(limits, max_pages_is_enospc_then_sigbus)
{
	struct vmlab_shm_list l;
	volatile char *p;
	int fd2 = vmlab_open();

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, shm_attach(self->fd, self->name, 8 * PG, VMLAB_SHM_CREATE, NULL));
	p = map(self->fd, 8 * PG, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, shm_totals(self->fd, &l));
	ASSERT_EQ(0, write_param("shm_max_pages", l.pages_used + 2));
	EXPECT_EQ(-ENOSPC, shm_attach(fd2, "l-too-big", (l.pages_used + 3) * PG,
				      VMLAB_SHM_CREATE, NULL))
		TH_LOG("a region larger than the cap cannot be created");
	EXPECT_EQ(0, child_signal(write_byte, p));
	EXPECT_EQ(0, child_signal(write_byte, p + PG));
	EXPECT_EQ(SIGBUS, child_signal(write_byte, p + 2 * PG)) TH_LOG("over the page cap");
	EXPECT_EQ(0, child_signal(write_byte, p)) TH_LOG("resident pages still map");
	ASSERT_EQ(0, write_param("shm_max_pages", self->max_pages));
	EXPECT_EQ(0, child_signal(write_byte, p + 2 * PG)) TH_LOG("room again");
	munmap((void *)p, 8 * PG);
	close(fd2);
}

TEST_HARNESS_MAIN
