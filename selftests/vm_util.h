/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the vmlab selftests. */
#ifndef VMLAB_VM_UTIL_H
#define VMLAB_VM_UTIL_H

#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvmlab.h"

#define UNPRIV_UID 1001	/* "outsider" in the VM's /etc/passwd */

/* The base page, and what a PMD entry maps: 2 MiB with 4 KiB pages, 32 MiB with 16 KiB. */
#define PG ((unsigned long)sysconf(_SC_PAGESIZE))
#define HPAGE (PG / 8 * PG)

/* ioctl returning -errno, without touching the struct's size field. */
static inline int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* Drop to an unprivileged user (group and capabilities go too): 0 or -errno. */
/* Run cmd with sh; its stdout into buf (NUL-terminated): its exit status, or -1. */
static inline int run_output(const char *cmd, char *buf, size_t size)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0, got;
	int status;

	buf[0] = 0;
	if (!f)
		return -1;
	while (n + 1 < size && (got = fread(buf + n, 1, size - 1 - n, f)) > 0)
		n += got;
	buf[n] = 0;
	status = pclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A thread stack of want bytes, or this system's least (arm64 glibc: 128K). */
static inline size_t thread_stack(size_t want)
{
	long min = sysconf(_SC_THREAD_STACK_MIN);

	return min > 0 && (size_t)min > want ? (size_t)min : want;
}

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

/* Transparent huge pages can be had here; else false and why not. */
static inline bool thp_enabled(const char **why)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f) {
		*why = "kernel without THP (CONFIG_TRANSPARENT_HUGEPAGE unset)";
		return false;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (strstr(buf, "[never]")) {
		*why = "THP disabled ([never])";
		return false;
	}
	return true;
}

/* A kernel counter (name may be NULL): its id in *id (if id). */
static inline int ctr_new(int fd, const char *name, unsigned int mode,
			     unsigned int delay_ns, unsigned int flags, uint32_t *id)
{
	struct vmlab_ctr_create cc = { .mode = mode, .delay_ns = delay_ns, .flags = flags };
	int ret;

	if (name)
		memcpy(cc.name, name, strnlen(name, sizeof(cc.name) - 1));
	ret = VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &cc);
	if (!ret && id)
		*id = cc.id;
	return ret;
}

/* A counter operation (CTR_ADD, _GET, _RESET, _DESTROY): its value in *value. */
static inline int ctr_op(int fd, unsigned long cmd, uint32_t id, int64_t delta,
			 int64_t *value)
{
	struct vmlab_ctr_op op = { .id = id, .delta = delta };
	int ret = VMLAB_CALL(fd, cmd, &op);

	if (!ret && value)
		*value = op.value;
	return ret;
}

#endif
