// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the counter work lands. */
#include "vmlab.h"

long vmlab_ctr_create_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_ctr_add_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_ctr_get_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_ctr_reset_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_ctr_destroy_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_ctr_stat_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
void vmlab_ctr_exit(void) { }
