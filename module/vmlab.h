/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the files of vmlab.ko. */
#ifndef VMLAB_INTERNAL_H
#define VMLAB_INTERNAL_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/string.h>
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
 * Copy in a size-first argument struct of ksize bytes: -EINVAL if the
 * caller's size is smaller, -E2BIG if larger with non-zero extra bytes.
 */
int vmlab_get_arg(void *karg, size_t ksize, const void __user *uarg);
/* Copy an argument struct back: 0 or -EFAULT. */
int vmlab_put_arg(void __user *uarg, const void *karg, size_t ksize);
/* True if the reserved bytes of a struct are all zero. */
#define VMLAB_ZEROED(field) (!memchr_inv(&(field), 0, sizeof(field)))

/* shm.c */
long vmlab_shm_attach_ioctl(struct file *file, void __user *uarg);
long vmlab_shm_unlink_ioctl(struct file *file, void __user *uarg);
long vmlab_shm_stat_ioctl(struct file *file, void __user *uarg);
long vmlab_shm_list_ioctl(struct file *file, void __user *uarg);
int vmlab_shm_mmap(struct file *file, struct vm_area_struct *vma);
void vmlab_shm_release(struct vmlab_file *vf);
void vmlab_shm_exit(void);

/* pagetable.c */
long vmlab_pt_query_ioctl(struct file *file, void __user *uarg);
long vmlab_pt_clear_accessed_ioctl(struct file *file, void __user *uarg);

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
