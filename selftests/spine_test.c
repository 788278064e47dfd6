// SPDX-License-Identifier: GPL-2.0
/* The device, VMLAB_IOC_VERSION and the ABI conventions every ioctl follows. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "pt_arch.h"
#include "vm_util.h"
#include "vmlab_pt.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = vmlab_open();
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vmlab: %s", strerror(-self->fd));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, version)
{
	struct vmlab_version ver;

	ASSERT_EQ(0, vmlab_version(self->fd, &ver));
	EXPECT_EQ(VMLAB_ABI_MAJOR, ver.major);
	EXPECT_EQ(VMLAB_ABI_MINOR, ver.minor);
	EXPECT_EQ(VMLAB_FEAT_SHM, ver.features & VMLAB_FEAT_SHM);
	EXPECT_EQ(0, ver.features >> 5) TH_LOG("unknown feature bits %llx",
					       (unsigned long long)ver.features);
}

TEST_F(dev, unknown_commands_are_enotty)
{
	struct vmlab_version ver = { .size = sizeof(ver) };
	unsigned long cmds[] = {
		_IOWR(VMLAB_IOC_MAGIC, 0x7f, struct vmlab_version),
		_IOWR(VMLAB_IOC_MAGIC, 0x01, struct vmlab_version),
		_IOWR('x', 0x00, struct vmlab_version),
		_IO(VMLAB_IOC_MAGIC + 1, 0x00),
		TCGETS,
	};

	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		unsigned long cmd = cmds[i];

		EXPECT_EQ(-ENOTTY, raw_ioctl(self->fd, cmd, &ver)) TH_LOG("cmd %#lx", cmd);
	}
}

TEST_F(dev, size_too_small)
{
	struct vmlab_version ver = { 0 };

	for (ver.size = 0; ver.size < VMLAB_VERSION_SIZE_VER0; ver.size++)
		ASSERT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
}

/* Every struct of ABI 2.0 is its VER0 size: a later minor grows them. */
TEST_F(dev, structs_are_their_ver0_size)
{
	EXPECT_EQ(VMLAB_VERSION_SIZE_VER0, sizeof(struct vmlab_version));
	EXPECT_EQ(VMLAB_SHM_ATTACH_SIZE_VER0, sizeof(struct vmlab_shm_attach));
	EXPECT_EQ(VMLAB_SHM_UNLINK_SIZE_VER0, sizeof(struct vmlab_shm_unlink));
	EXPECT_EQ(VMLAB_SHM_STAT_SIZE_VER0, sizeof(struct vmlab_shm_stat));
	EXPECT_EQ(VMLAB_SHM_LIST_SIZE_VER0, sizeof(struct vmlab_shm_list));
	EXPECT_EQ(VMLAB_PT_QUERY_SIZE_VER0, sizeof(struct vmlab_pt_query));
	EXPECT_EQ(VMLAB_PT_CLEAR_ACCESSED_SIZE_VER0, sizeof(struct vmlab_pt_clear_accessed));
	EXPECT_EQ(VMLAB_CTR_CREATE_SIZE_VER0, sizeof(struct vmlab_ctr_create));
	EXPECT_EQ(VMLAB_CTR_OP_SIZE_VER0, sizeof(struct vmlab_ctr_op));
	EXPECT_EQ(VMLAB_CTR_STAT_SIZE_VER0, sizeof(struct vmlab_ctr_stat));
	EXPECT_EQ(VMLAB_THREADS_SIZE_VER0, sizeof(struct vmlab_threads));
}

/*
 * The old-binary story, on a struct with input and output fields
 * (CTR_CREATE, then CTR_ADD): the VER0 size works; a newer caller's larger
 * struct works while its extra bytes are zero and gets -E2BIG otherwise;
 * the module never writes past the caller's size.
 */
TEST_F(dev, old_and_new_callers)
{
	struct {
		struct vmlab_ctr_op op;
		uint8_t tail[40];
	} big;
	struct vmlab_ctr_create cc;
	size_t i;

	memset(&cc, 0, sizeof(cc));
	cc.size = VMLAB_CTR_CREATE_SIZE_VER0;
	cc.mode = VMLAB_CTR_ATOMIC;
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_CTR_CREATE, &cc));
	ASSERT_LT(0, cc.id);

	memset(&big, 0, sizeof(big));
	big.op.size = VMLAB_CTR_OP_SIZE_VER0;
	big.op.id = cc.id;
	big.op.delta = 5;
	memset(big.tail, 0x5a, sizeof(big.tail));
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_CTR_ADD, &big));
	EXPECT_EQ(5, big.op.value);
	for (i = 0; i < sizeof(big.tail); i++)
		ASSERT_EQ(0x5a, big.tail[i]) TH_LOG("byte %zu past the caller's size written", i);

	memset(big.tail, 0, sizeof(big.tail));
	big.op.size = sizeof(big);
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_CTR_ADD, &big));
	EXPECT_EQ(10, big.op.value);
	EXPECT_EQ(sizeof(big), big.op.size) TH_LOG("size is the caller's, as it was");

	big.tail[sizeof(big.tail) - 1] = 1;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, VMLAB_IOC_CTR_ADD, &big));
	big.tail[sizeof(big.tail) - 1] = 0;
	big.op.size = VMLAB_CTR_OP_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_CTR_ADD, &big));

	big.op.size = VMLAB_CTR_OP_SIZE_VER0;
	big.op.delta = 0;
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_CTR_DESTROY, &big));
	EXPECT_EQ(10, big.op.value) TH_LOG("DESTROY writes the last value back");
}

/* A newer caller's larger struct works while its extra bytes are zero. */
TEST_F(dev, size_larger_zeroed_and_not)
{
	struct {
		struct vmlab_version ver;
		uint8_t tail[64];
	} big;

	memset(&big, 0, sizeof(big));
	big.ver.size = sizeof(big);
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &big));
	EXPECT_EQ(VMLAB_ABI_MAJOR, big.ver.major);
	EXPECT_EQ(0, big.tail[0]);

	big.tail[63] = 1;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &big));
}

/* The command numbers carry the right direction bits. */
TEST_F(dev, command_directions)
{
	EXPECT_EQ(_IOC_READ | _IOC_WRITE, _IOC_DIR(VMLAB_IOC_CTR_DESTROY));
	EXPECT_EQ(_IOC_WRITE, _IOC_DIR(VMLAB_IOC_SHM_UNLINK));
	EXPECT_EQ(0xBB, _IOC_TYPE(VMLAB_IOC_VERSION));
}

TEST_F(dev, size_beyond_a_page)
{
	struct vmlab_version ver = { .size = 4097 };

	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	ver.size = UINT32_MAX;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
}

TEST_F(dev, flags_must_be_zero)
{
	struct vmlab_version ver;

	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	ver.flags = 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	ver.flags = 1U << 31;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
}

TEST_F(dev, bad_pointers_are_efault)
{
	void *unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, unmapped);
	ASSERT_NE(MAP_FAILED, readonly);
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_VERSION, NULL));
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_VERSION, unmapped));
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_VERSION, (void *)0xffff888000000000UL));
	/* Zeroed read-only memory: the size check fails before any write. */
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, readonly));
	munmap(unmapped, 4096);
	munmap(readonly, 4096);
}

/* A struct that runs from a mapped page into an unmapped one. */
TEST_F(dev, struct_straddling_an_unmapped_page_is_efault)
{
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vmlab_version *ver;

	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, munmap(two + 4096, 4096));
	ver = (struct vmlab_version *)(two + 4096 - 16);
	memset(ver, 0, 16);
	ver->size = sizeof(*ver);
	EXPECT_EQ(-EFAULT, raw_ioctl(self->fd, VMLAB_IOC_VERSION, ver));
	munmap(two, 4096);
}

TEST_F(dev, output_fully_written)
{
	const struct pt_arch *a = pt_arch(self->fd);
	struct vmlab_version ver;

	ASSERT_NE(NULL, a) TH_LOG("architecture %u", vmlab_arch(self->fd));
	memset(&ver, 0xa5, sizeof(ver));
	ver.size = sizeof(ver);
	ver.flags = 0;
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	EXPECT_EQ(sizeof(ver), ver.size);
	EXPECT_EQ(VL_ARCH_ID, ver.arch) TH_LOG("the architecture the test is built for");
	EXPECT_EQ(12, ver.page_shift);
	EXPECT_LE(a->min_levels, ver.pgtable_levels)
		TH_LOG("levels %u", ver.pgtable_levels);
	EXPECT_GE(a->max_levels, ver.pgtable_levels)
		TH_LOG("levels %u", ver.pgtable_levels);
	EXPECT_EQ((unsigned int)vmlab_pt_levels(self->fd), ver.pgtable_levels);
}

TEST(open_close_many_times)
{
	for (int i = 0; i < 2000; i++) {
		int fd = vmlab_open();

		ASSERT_LE(0, fd) TH_LOG("open #%d: %s", i, strerror(-fd));
		ASSERT_EQ(0, close(fd));
	}
}

TEST(many_open_at_once)
{
	int fds[256];

	for (int i = 0; i < 256; i++) {
		fds[i] = vmlab_open();
		ASSERT_LE(0, fds[i]);
	}
	for (int i = 0; i < 256; i++)
		ASSERT_EQ(0, close(fds[i]));
}

TEST(device_node)
{
	struct stat st;

	ASSERT_EQ(0, stat(VMLAB_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0660, st.st_mode & 0777);
}

TEST_HARNESS_MAIN
