// SPDX-License-Identifier: GPL-2.0
/* libvmlab: thin wrappers over /dev/vmlab. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvmlab.h"
#include "vl_arch.h"

int vmlab_open(void)
{
	const char *path = getenv("VMLAB_DEVICE");
	int fd = open(path ? path : VMLAB_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int vmlab_call(int fd, unsigned long cmd, void *arg, size_t size)
{
	*(uint32_t *)arg = (uint32_t)size;
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

int vmlab_version(int fd, struct vmlab_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	return VMLAB_CALL(fd, VMLAB_IOC_VERSION, ver);
}

uint32_t vmlab_arch(int fd)
{
	struct vmlab_version ver;

	if (fd >= 0 && !vmlab_version(fd, &ver) && ver.arch)
		return ver.arch;
	return VL_ARCH_ID;
}

static const char *const feature_names[] = {
	"shm", "pt", "ctr", "threads", "thread-regs",
};

const char *vmlab_feature_name(unsigned int bit)
{
	return bit < sizeof(feature_names) / sizeof(feature_names[0]) ?
		       feature_names[bit] :
		       NULL;
}
