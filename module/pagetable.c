// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the page-table work lands. */
#include "vmlab.h"

long vmlab_pt_query_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_pt_clear_accessed_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
