// SPDX-License-Identifier: GPL-2.0
/* libvmlab: thin wrappers over /dev/vmlab. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvmlab.h"

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

static const char *const feature_names[] = {
	"shm", "pt", "ctr", "threads", "thread-regs",
};

const char *vmlab_feature_name(unsigned int bit)
{
	return bit < sizeof(feature_names) / sizeof(feature_names[0]) ?
		feature_names[bit] : NULL;
}

int vmlab_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	double v;
	int shift = 0;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !(v >= 0) || isinf(v))
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if ((*end == 'B' || *end == 'b') && shift)
		end++;
	if (*end)
		return -EINVAL;
	v = ldexp(v, shift);
	if (v >= 18446744073709551616.0)
		return -EINVAL;
	*bytes = (uint64_t)v;
	return 0;
}
