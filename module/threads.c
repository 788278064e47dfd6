// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the thread-info work lands. */
#include "vmlab.h"

long vmlab_threads_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
