// SPDX-License-Identifier: GPL-2.0
/* The device, VMLAB_IOC_VERSION and the ABI conventions every ioctl follows. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vm_util.h"

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

	for (ver.size = 0; ver.size < sizeof(ver); ver.size++)
		ASSERT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
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

TEST_F(dev, size_beyond_a_page)
{
	struct vmlab_version ver = { .size = 4097 };

	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	ver.size = UINT32_MAX;
	EXPECT_EQ(-E2BIG, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
}

TEST_F(dev, flags_and_reserved_must_be_zero)
{
	struct vmlab_version ver;

	memset(&ver, 0, sizeof(ver));
	ver.size = sizeof(ver);
	ver.flags = 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	ver.flags = 0;
	ver.reserved0 = 1;
	EXPECT_EQ(-EINVAL, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	ver.reserved0 = 0;
	ver.reserved[1] = 1ULL << 63;
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
	/* The struct straddles into an unmapped page. */
	munmap(unmapped, 4096);
}

TEST_F(dev, output_fully_written)
{
	struct vmlab_version ver;

	memset(&ver, 0xa5, sizeof(ver));
	ver.size = sizeof(ver);
	ver.flags = 0;
	ver.reserved0 = 0;
	memset(ver.reserved, 0, sizeof(ver.reserved));
	ASSERT_EQ(0, raw_ioctl(self->fd, VMLAB_IOC_VERSION, &ver));
	EXPECT_EQ(sizeof(ver), ver.size);
	EXPECT_EQ(0, ver.reserved0);
	EXPECT_EQ(0, ver.reserved[0] | ver.reserved[1]);
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
