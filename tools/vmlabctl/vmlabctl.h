/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMLABCTL_H
#define VMLABCTL_H

#include <stdbool.h>

/* Open the device or exit 1, saying which path failed and why. */
int vmlabctl_open(void);

/* vmlabctl shm ...: argv[0] is "shm". Returns the exit status. */
int vmlabctl_shm(int argc, char **argv, bool json);

#endif
