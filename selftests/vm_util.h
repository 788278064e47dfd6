/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the vmlab selftests. */
#ifndef VMLAB_VM_UTIL_H
#define VMLAB_VM_UTIL_H

#include <errno.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvmlab.h"

#define UNPRIV_UID 1001	/* "outsider" in the VM's /etc/passwd */

/* ioctl returning -errno, without touching the struct's size field. */
static inline int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* Drop to an unprivileged user (group and capabilities go too): 0 or -errno. */
static inline int drop_privileges(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

/* Wait for pid; its exit status, or -1 if it did not exit normally. */
static inline int wait_exit(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif
