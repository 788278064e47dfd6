/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the files of vmlab.ko. */
#ifndef VMLAB_INTERNAL_H
#define VMLAB_INTERNAL_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <uapi/linux/vmlab.h>

struct vmlab_region;

/* One per open /dev/vmlab (file->private_data). */
struct vmlab_file {
	struct mutex lock;		/* guards region */
	struct vmlab_region *region;	/* attached shared region, or NULL */
};

/*
 * What users made the module hold, shown in debugfs vmlab/stats so tests can
 * prove that everything is given back (files, regions, pages, counters).
 */
struct vmlab_stats {
	atomic_long_t files;
	atomic_long_t regions;
	atomic_long_t pages;
	atomic_long_t counters;
};

extern struct vmlab_stats vmlab_stats;

/*
 * Copy in a size-first argument struct of ksize bytes from a caller whose
 * struct has at least ver0 bytes (else -EINVAL); a larger one must have
 * zero extra bytes (else -E2BIG). The fields a smaller caller lacks are 0.
 */
int vmlab_get_arg(void *karg, size_t ksize, size_t ver0, const void __user *uarg);
/* Copy an argument struct back, no more than the caller's size: 0 or -EFAULT. */
int vmlab_put_arg(void __user *uarg, const void *karg, size_t ksize);

/* shm.c */
long vmlab_shm_attach_ioctl(struct file *file, void __user *uarg);
long vmlab_shm_unlink_ioctl(struct file *file, void __user *uarg);
long vmlab_shm_stat_ioctl(struct file *file, void __user *uarg);
long vmlab_shm_list_ioctl(struct file *file, void __user *uarg);
int vmlab_shm_mmap(struct file *file, struct vm_area_struct *vma);
void vmlab_shm_release(struct vmlab_file *vf);
void vmlab_shm_exit(void);

/* pt_query.c, pt_clear.c */
long vmlab_pt_query_ioctl(struct file *file, void __user *uarg);
long vmlab_pt_clear_accessed_ioctl(struct file *file, void __user *uarg);

/* access.c: who may see what (docs/security.md) */
void vmlab_access_init(void);
struct mm_struct *vmlab_pagemap_mm(int fd, struct file **filep);
int vmlab_threads_may_see(struct task_struct *task);

/* counter.c */
long vmlab_ctr_create_ioctl(struct file *file, void __user *uarg);
long vmlab_ctr_add_ioctl(struct file *file, void __user *uarg);
long vmlab_ctr_get_ioctl(struct file *file, void __user *uarg);
long vmlab_ctr_reset_ioctl(struct file *file, void __user *uarg);
long vmlab_ctr_destroy_ioctl(struct file *file, void __user *uarg);
long vmlab_ctr_stat_ioctl(struct file *file, void __user *uarg);
void vmlab_ctr_exit(void);

/* threads.c */
long vmlab_threads_ioctl(struct file *file, void __user *uarg);

#endif /* VMLAB_INTERNAL_H */
