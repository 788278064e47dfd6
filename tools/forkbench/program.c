// SPDX-License-Identifier: GPL-2.0
/*
 * The programs forkbench runs (its engine; the engine's exec helper):
 * the file next to the running one, or, where only forkbench is installed
 * (the test VM copies the tools alone), the copy linked into it, run
 * from a memfd.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "forkbench.h"

/* name in the directory of /proc/self/exe into buf, if executable there. */
static const char *next_to_self(const char *name, char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - strlen(name) - 2);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	strcpy(slash + 1, name);
	return access(buf, X_OK) ? NULL : buf;
}

int fb_find_program(const char *name, const char *path,
		    const unsigned char *blob, const unsigned char *blob_end,
		    struct fb_program *p, char *desc, size_t desclen)
{
	ssize_t len = blob_end - blob;
	char self[4096];
	int fd;

	p->fd = -1;
	if (!path)
		path = next_to_self(name, self, sizeof(self));
	if (path) {
		if (access(path, X_OK)) {
			snprintf(desc, desclen, "%s: %s", path,
				 strerror(errno));
			return -errno;
		}
		snprintf(p->path, sizeof(p->path), "%s", path);
		snprintf(p->info, sizeof(p->info), "%s", path);
		return 0;
	}
	fd = memfd_create(name, MFD_CLOEXEC | 0x10 /* MFD_EXEC */);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0 || write(fd, blob, (size_t)len) != len) {
		snprintf(desc, desclen, "memfd for the embedded %s: %s", name,
			 strerror(errno));
		return -errno;
	}
	p->fd = fd;
	snprintf(p->path, sizeof(p->path), "/proc/self/fd/%d", fd);
	snprintf(p->info, sizeof(p->info),
		 "embedded copy of %s in a memfd (%zd bytes)", name, len);
	return 0;
}
