/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMLABCTL_H
#define VMLABCTL_H

/* Open /dev/vmlab or exit with a clear message. */
int vmlabctl_open(void);

/* vmlabctl shm ...: argv[0] is "shm". Returns the exit status. */
int vmlabctl_shm(int argc, char **argv, int json);

#endif
