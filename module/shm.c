// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the shared-region work lands. */
#include "vmlab.h"

long vmlab_shm_attach_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_shm_unlink_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_shm_stat_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
long vmlab_shm_list_ioctl(struct file *file, void __user *uarg) { return -ENOTTY; }
int vmlab_shm_mmap(struct file *file, struct vm_area_struct *vma) { return -ENODEV; }
void vmlab_shm_release(struct vmlab_file *vf) { }
void vmlab_shm_exit(void) { }
