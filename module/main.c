// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab: the /dev/vmlab misc device, its file lifetime and ioctl dispatch.
 * Each concern lives in its own file: shm.c (shared regions and mmap),
 * pt_walk.c (the page-table walker), pt_query.c and pt_clear.c (its two
 * ioctls), pt_x86.c (the architecture's entry format), access.c (who may
 * see what), counter.c (kernel counters), threads.c (thread info), and
 * compat.h (what differs between kernel versions).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/debugfs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "pt.h"

#define VMLAB_FEATURES (VMLAB_FEAT_SHM | VMLAB_FEAT_PT | VMLAB_FEAT_CTR | \
			VMLAB_FEAT_THREADS | VMLAB_FEAT_THREAD_REGS)

struct vmlab_stats vmlab_stats;
static struct dentry *vmlab_debugfs;

static int vmlab_stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "files %ld\n", atomic_long_read(&vmlab_stats.files));
	seq_printf(m, "regions %ld\n", atomic_long_read(&vmlab_stats.regions));
	seq_printf(m, "pages %ld\n", atomic_long_read(&vmlab_stats.pages));
	seq_printf(m, "counters %ld\n", atomic_long_read(&vmlab_stats.counters));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmlab_stats);

/* Largest argument struct accepted: newer callers may append zeroed fields. */
#define VMLAB_ARG_MAX PAGE_SIZE

int vmlab_get_arg(void *karg, size_t ksize, size_t ver0, const void __user *uarg)
{
	u32 usize;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < ver0)
		return -EINVAL;
	if (usize > VMLAB_ARG_MAX)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, usize);
}

/* The caller's size is still in the struct's first field: write no more. */
int vmlab_put_arg(void __user *uarg, const void *karg, size_t ksize)
{
	u32 usize = *(const u32 *)karg;

	return copy_to_user(uarg, karg, min_t(size_t, usize, ksize)) ? -EFAULT : 0;
}

static long vmlab_version_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_version ver;
	int ret;

	ret = vmlab_get_arg(&ver, sizeof(ver), VMLAB_VERSION_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (ver.flags)
		return -EINVAL;

	ver.major = VMLAB_ABI_MAJOR;
	ver.minor = VMLAB_ABI_MINOR;
	ver.features = VMLAB_FEATURES;
	vmlab_pt_arch_version(&ver);
	return vmlab_put_arg(uarg, &ver, sizeof(ver));
}

struct vmlab_ioctl_desc {
	unsigned int cmd;
	long (*fn)(struct file *file, void __user *uarg);
};

static const struct vmlab_ioctl_desc vmlab_ioctls[] = {
	{ VMLAB_IOC_VERSION, vmlab_version_ioctl },
	{ VMLAB_IOC_SHM_ATTACH, vmlab_shm_attach_ioctl },
	{ VMLAB_IOC_SHM_UNLINK, vmlab_shm_unlink_ioctl },
	{ VMLAB_IOC_SHM_STAT, vmlab_shm_stat_ioctl },
	{ VMLAB_IOC_SHM_LIST, vmlab_shm_list_ioctl },
	{ VMLAB_IOC_PT_QUERY, vmlab_pt_query_ioctl },
	{ VMLAB_IOC_PT_CLEAR_ACCESSED, vmlab_pt_clear_accessed_ioctl },
	{ VMLAB_IOC_CTR_CREATE, vmlab_ctr_create_ioctl },
	{ VMLAB_IOC_CTR_ADD, vmlab_ctr_add_ioctl },
	{ VMLAB_IOC_CTR_GET, vmlab_ctr_get_ioctl },
	{ VMLAB_IOC_CTR_RESET, vmlab_ctr_reset_ioctl },
	{ VMLAB_IOC_CTR_DESTROY, vmlab_ctr_destroy_ioctl },
	{ VMLAB_IOC_CTR_STAT, vmlab_ctr_stat_ioctl },
	{ VMLAB_IOC_THREADS, vmlab_threads_ioctl },
};

/* The size bits of a command are ignored: the struct's own size field rules. */
#define VMLAB_CMD_KEY(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static long vmlab_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmlab_ioctls); i++)
		if (VMLAB_CMD_KEY(vmlab_ioctls[i].cmd) == VMLAB_CMD_KEY(cmd))
			return vmlab_ioctls[i].fn(file, (void __user *)arg);
	return -ENOTTY;
}

static int vmlab_open(struct inode *inode, struct file *file)
{
	struct vmlab_file *vf;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL_ACCOUNT);
	if (!vf)
		return -ENOMEM;
	mutex_init(&vf->lock);
	file->private_data = vf;
	atomic_long_inc(&vmlab_stats.files);
	return 0;
}

static int vmlab_release(struct inode *inode, struct file *file)
{
	struct vmlab_file *vf = file->private_data;

	vmlab_shm_release(vf);
	mutex_destroy(&vf->lock);
	kfree(vf);
	atomic_long_dec(&vmlab_stats.files);
	return 0;
}

static const struct file_operations vmlab_fops = {
	.owner = THIS_MODULE,
	.open = vmlab_open,
	.release = vmlab_release,
	.unlocked_ioctl = vmlab_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vmlab_shm_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice vmlab_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vmlab",
	.fops = &vmlab_fops,
	.mode = 0660,
};

static int __init vmlab_init(void)
{
	int ret;

	vmlab_access_init();
	ret = misc_register(&vmlab_misc);
	if (ret)
		return ret;
	/* Debugfs is optional: failures here only lose the stats file. */
	vmlab_debugfs = debugfs_create_dir("vmlab", NULL);
	debugfs_create_file("stats", 0400, vmlab_debugfs, NULL, &vmlab_stats_fops);
	pr_info("ABI %d.%d loaded\n", VMLAB_ABI_MAJOR, VMLAB_ABI_MINOR);
	return 0;
}

static void __exit vmlab_exit(void)
{
	debugfs_remove(vmlab_debugfs);
	misc_deregister(&vmlab_misc);
	vmlab_ctr_exit();
	vmlab_shm_exit();
}

module_init(vmlab_init);
module_exit(vmlab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmlab: see threads, locks and virtual memory at work");
MODULE_AUTHOR("The vmlab developers");
MODULE_VERSION("1.0");
