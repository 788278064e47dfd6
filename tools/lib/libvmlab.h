/* SPDX-License-Identifier: GPL-2.0 */
/* libvmlab: thin wrappers over /dev/vmlab, shared by the tools and tests. */
#ifndef LIBVMLAB_H
#define LIBVMLAB_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vmlab.h>

#define VMLAB_DEVICE "/dev/vmlab"

/* Open the device ($VMLAB_DEVICE overrides the path): fd, or -errno. */
int vmlab_open(void);

/*
 * Issue a size-first ioctl: sets arg's size field to its struct size, then
 * calls ioctl. Returns 0 or -errno.
 */
int vmlab_call(int fd, unsigned long cmd, void *arg, size_t size);
#define VMLAB_CALL(fd, cmd, argp) vmlab_call(fd, cmd, argp, sizeof(*(argp)))

/* Fill *ver from the module: 0 or -errno. */
int vmlab_version(int fd, struct vmlab_version *ver);

/*
 * The architecture whose page tables and registers the module reports
 * (VMLAB_ARCH_*): the module's word, else (fd < 0, or no answer) the one
 * the tools were built for.
 */
uint32_t vmlab_arch(int fd);

/* Names of VMLAB_FEAT_* bits, in bit order; NULL past the last. */
const char *vmlab_feature_name(unsigned int bit);

#endif /* LIBVMLAB_H */
