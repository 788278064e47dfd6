// SPDX-License-Identifier: GPL-2.0
/*
 * What the access flag and the dirty state of an arm64 page-table entry do
 * after a read, a write, a clear of the access flag and a fork, on the CPU
 * model the VM runs: with FEAT_HAFDBS (QEMU's max) the hardware sets AF on
 * a table walk and clears RDONLY on a write to a writable-clean page (DBM
 * set); without it (cortex-a57, like Apple's M1) each of those is a fault
 * the kernel handles: it sets AF, or marks the entry dirty in its software
 * bit. The difference is asserted as the architecture states it: the same
 * final bits where both end dirty or young, a minor fault counted and
 * PTE_DIRTY set where the kernel did the work. The runner names the CPU
 * model in VMLAB_CPU.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "vm_util.h"

/* CPU models QEMU boots and whether they have FEAT_HAFDBS. */
static const struct {
	const char *name;
	bool hafdbs;
} cpu_models[] = {
	{ "max", true },
	{ "cortex-a57", false },
	{ "cortex-a53", false },
	{ "cortex-a72", false },
};

FIXTURE(arm64) {
	int fd;
	bool hafdbs;
};

FIXTURE_SETUP(arm64)
{
	struct vmlab_version ver;
	const char *cpu = getenv("VMLAB_CPU");
	size_t i;

	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
	ASSERT_EQ(0, vmlab_version(self->fd, &ver));
	if (ver.arch != VMLAB_ARCH_ARM64)
		SKIP(return, "not arm64: x86-64's CPU sets A and D itself (pt_test)");
	ASSERT_NE(NULL, cpu) TH_LOG("VMLAB_CPU unset: the runner names the CPU model");
	for (i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]); i++)
		if (!strcmp(cpu, cpu_models[i].name))
			break;
	ASSERT_LT(i, sizeof(cpu_models) / sizeof(cpu_models[0])) TH_LOG("unknown CPU model %s", cpu);
	self->hafdbs = cpu_models[i].hafdbs;
	TH_LOG("CPU %s: %s", cpu, self->hafdbs ? "FEAT_HAFDBS" : "no FEAT_HAFDBS");
}

FIXTURE_TEARDOWN(arm64)
{
	close(self->fd);
}

/* The arm64 bits of the entry that maps addr (0 if it has none). */
static uint32_t bits(int fd, void *addr);

/*
 * What a step left in the entry, and the minor faults it took (faults < 0:
 * not counted), logged: docs/concepts' real output.
 */
#define SHOW(what, faults)                                                        \
	do {                                                                      \
		uint32_t b = bits(self->fd, (void *)p);                           \
		char f[32] = "";                                                  \
		if ((faults) >= 0)                                                \
			snprintf(f, sizeof(f), " faults=%ld", (long)(faults));    \
		TH_LOG("%-28s AF=%d DBM=%d RDONLY=%d SW_DIRTY=%d%s", what,        \
		       !!(b & VMLAB_ARM64_AF), !!(b & VMLAB_ARM64_DBM),           \
		       !!(b & VMLAB_ARM64_RDONLY), !!(b & VMLAB_ARM64_SW_DIRTY), f); \
	} while (0)

static uint32_t bits(int fd, void *addr)
{
	struct vmlab_pte rec;
	struct vmlab_pt_query q = {
		.start = (uintptr_t)addr, .end = (uintptr_t)addr + PG,
		.count = 1, .entries = (uintptr_t)&rec,
	};

	memset(&rec, 0, sizeof(rec));
	if (VMLAB_CALL(fd, VMLAB_IOC_PT_QUERY, &q) || q.count != 1)
		return 0;
	return rec.arch_flags;
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * Forget the translation of one page: mprotect() rewrites its entry (AF
 * and the dirty state kept) and flushes it from the TLB; the next access
 * walks the table.
 */
static int flush_page(void *p)
{
	if (mprotect(p, PG, PROT_READ) || mprotect(p, PG, PROT_READ | PROT_WRITE))
		return -errno;
	return 0;
}

#define DIRTY_BITS (VMLAB_ARM64_DBM | VMLAB_ARM64_RDONLY | VMLAB_ARM64_SW_DIRTY)

/* A first write to anonymous memory is a fault on both: the kernel maps it dirty. */
TEST_F(arm64, anon_first_write_is_dirty_in_software)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before;

	ASSERT_NE(MAP_FAILED, p);
	before = minor_faults();
	p[0] = 1;
	SHOW("anonymous, first write", minor_faults() - before);
	EXPECT_EQ(VMLAB_ARM64_AF | VMLAB_ARM64_DBM | VMLAB_ARM64_SW_DIRTY,
		  bits(self->fd, p) & (VMLAB_ARM64_AF | DIRTY_BITS));
	munmap(p, PG);
}

/*
 * A shared page first read is writable and clean (DBM and RDONLY). A write:
 * with HAFDBS the CPU clears RDONLY, no fault; without, a permission fault
 * and the kernel clears RDONLY and sets its dirty bit. Write-protected
 * (mprotect), both keep the dirty state in the software bit.
 */
TEST_F(arm64, shared_write_dirty_by_hardware_or_fault)
{
	int mfd = memfd_create("arm64_bits", 0);
	volatile char *p;
	long before, faults;

	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, PG));
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, p);
	before = minor_faults();
	(void)p[0];
	SHOW("shared, read", minor_faults() - before);
	EXPECT_EQ(VMLAB_ARM64_DBM | VMLAB_ARM64_RDONLY, bits(self->fd, (void *)p) & DIRTY_BITS)
		TH_LOG("read: writable-clean wanted");

	before = minor_faults();
	p[0] = 1;
	faults = minor_faults() - before;
	SHOW("shared, then written", faults);
	if (self->hafdbs) {
		EXPECT_EQ(0, faults) TH_LOG("HAFDBS: the write needs no fault");
		EXPECT_EQ(VMLAB_ARM64_DBM, bits(self->fd, (void *)p) & DIRTY_BITS)
			TH_LOG("HAFDBS: dirty is DBM with RDONLY cleared by the CPU");
	} else {
		EXPECT_EQ(1, faults) TH_LOG("no HAFDBS: the write is a permission fault");
		EXPECT_EQ(VMLAB_ARM64_DBM | VMLAB_ARM64_SW_DIRTY, bits(self->fd, (void *)p) & DIRTY_BITS)
			TH_LOG("no HAFDBS: the kernel sets its dirty bit");
	}

	ASSERT_EQ(0, mprotect((void *)p, PG, PROT_READ));
	SHOW("shared, write-protected", -1);
	EXPECT_EQ(VMLAB_ARM64_RDONLY | VMLAB_ARM64_SW_DIRTY, bits(self->fd, (void *)p) & DIRTY_BITS)
		TH_LOG("write-protected: dirty moves to the software bit");
	munmap((void *)p, PG);
	close(mfd);
}

/*
 * AF cleared and the translation flushed: the next read walks the table.
 * With HAFDBS the CPU sets AF; without, an access-flag fault and the kernel
 * sets it. Both end young: only the fault count tells them apart.
 */
TEST_F(arm64, access_flag_set_by_hardware_or_fault)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vmlab_pt_clear_accessed ca = { 0 };
	volatile char c;
	long before, faults;

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	ca.start = (uintptr_t)p;
	ca.end = (uintptr_t)p + PG;
	ASSERT_EQ(0, VMLAB_CALL(self->fd, VMLAB_IOC_PT_CLEAR_ACCESSED, &ca));
	EXPECT_EQ(1, ca.cleared);
	ASSERT_EQ(0, flush_page(p));
	SHOW("written, AF cleared, flushed", -1);
	EXPECT_EQ(0, bits(self->fd, p) & VMLAB_ARM64_AF) TH_LOG("mprotect keeps AF clear");

	before = minor_faults();
	c = p[0];
	faults = minor_faults() - before;
	(void)c;
	SHOW("then read", faults);
	EXPECT_EQ(self->hafdbs ? 0 : 1, faults) TH_LOG("a read of a page whose AF is clear");
	EXPECT_EQ(VMLAB_ARM64_AF, bits(self->fd, p) & VMLAB_ARM64_AF);
	munmap(p, PG);
}

/*
 * After fork both entries of a written private page are read-only, DBM
 * clear, dirty in the software bit (copy on write); the child's is old. The
 * child's first read sets its AF: by the CPU, or by an access-flag fault.
 */
TEST_F(arm64, fork_write_protects_and_child_entry_is_old)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	pid = fork();
	if (pid == 0) {
		volatile char c;
		uint32_t old = bits(self->fd, p);
		long before, faults;

		/*
		 * fork() write-protected the child's stack too: its pages are
		 * copied on the first write, a fault each. Those this code
		 * writes (c, getrusage's result) are copied before the count.
		 */
		c = 0;
		minor_faults();
		before = minor_faults();
		c = p[0];
		faults = minor_faults() - before;
		(void)c;
		if ((old & (VMLAB_ARM64_AF | DIRTY_BITS)) != (VMLAB_ARM64_RDONLY | VMLAB_ARM64_SW_DIRTY))
			_exit(10);
		if (faults != (self->hafdbs ? 0 : 1))
			_exit(11);
		_exit(bits(self->fd, p) & VMLAB_ARM64_AF ? 0 : 12);
	}
	ASSERT_LT(0, pid);
	SHOW("parent after fork", -1);
	EXPECT_EQ(VMLAB_ARM64_AF | VMLAB_ARM64_RDONLY | VMLAB_ARM64_SW_DIRTY,
		  bits(self->fd, p) & (VMLAB_ARM64_AF | DIRTY_BITS)) TH_LOG("parent after fork");
	EXPECT_EQ(0, wait_exit(pid))
		TH_LOG("child: 10 entry not old/read-only/dirty, 11 fault count, 12 AF not set by the read");
	munmap(p, PG);
}

TEST_HARNESS_MAIN
