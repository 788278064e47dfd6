// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab shared regions: named, demand-paged memory that the module owns.
 *
 * A file of /dev/vmlab is bound to a region by VMLAB_IOC_SHM_ATTACH, then
 * mmap()ed. Pages are allocated one at a time by the fault handler and kept
 * in an xarray indexed by page offset. The handler returns the page through
 * vmf->page with an extra reference, so the core mm maps it: MAP_SHARED maps
 * the region's own page, MAP_PRIVATE gets the usual copy-on-write.
 *
 * Lifetime: a region holds one reference for its name (dropped by unlink),
 * one per attached file and one per VMA (vm_ops open/close). The last put
 * frees the pages. Since a VMA holds its file and an open file holds the
 * module, only named regions remain at module exit.
 *
 * Locking: vmlab_shm_lock guards the name list and the linked flag; a
 * file's vf->lock guards vf->region. Order: mmap_lock, vf->lock,
 * vmlab_shm_lock. No user copy happens under either mutex. The fault path
 * takes no mutex: the xarray has its own lock and counters are atomic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "vmlab.h"

/* Limits, writable by root at run time; see docs/shm.md. */
static unsigned long shm_max_pages = 65536;
module_param(shm_max_pages, ulong, 0644);
MODULE_PARM_DESC(shm_max_pages,
		 "Resident pages of all shared regions together (default 65536 = 256 MiB)");

static unsigned int shm_max_regions = 1024;
module_param(shm_max_regions, uint, 0644);
MODULE_PARM_DESC(shm_max_regions, "Shared regions alive at once (default 1024)");

struct vmlab_region {
	struct kref ref;
	struct list_head node;		/* on vmlab_shm_regions while linked */
	bool linked;			/* guarded by vmlab_shm_lock */
	char name[VMLAB_NAME_MAX];
	pgoff_t npages;
	struct xarray pages;		/* pgoff -> struct page, one reference each */
	atomic_long_t resident;
	atomic64_t faults;
	atomic_t attachments;
	atomic_t mappings;
};

static DEFINE_MUTEX(vmlab_shm_lock);
static LIST_HEAD(vmlab_shm_regions);
static unsigned int vmlab_shm_nlinked;		/* guarded by vmlab_shm_lock */
/*
 * vmlab_stats.regions counts regions alive (linked or not) and
 * vmlab_stats.pages their resident pages: the limits apply to these.
 */

static void vmlab_region_free(struct kref *ref)
{
	struct vmlab_region *r = container_of(ref, struct vmlab_region, ref);
	struct page *page;
	unsigned long idx;

	xa_for_each(&r->pages, idx, page) {
		put_page(page);
		cond_resched();
	}
	xa_destroy(&r->pages);
	atomic_long_sub(atomic_long_read(&r->resident), &vmlab_stats.pages);
	atomic_long_dec(&vmlab_stats.regions);
	kfree(r);
}

static void vmlab_region_put(struct vmlab_region *r)
{
	kref_put(&r->ref, vmlab_region_free);
}

/*
 * A name is non-empty, NUL-terminated within VMLAB_NAME_MAX, and made of
 * printable non-blank ASCII other than '/'. Bytes after the NUL are ignored.
 */
static int vmlab_shm_check_name(const char *name)
{
	size_t len = strnlen(name, VMLAB_NAME_MAX);
	size_t i;

	if (!len || len == VMLAB_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~' || name[i] == '/')
			return -EINVAL;
	return 0;
}

/* Look up a linked region and take a reference; vmlab_shm_lock held. */
static struct vmlab_region *vmlab_shm_find(const char *name)
{
	struct vmlab_region *r;

	lockdep_assert_held(&vmlab_shm_lock);
	list_for_each_entry(r, &vmlab_shm_regions, node) {
		if (!strcmp(r->name, name)) {
			kref_get(&r->ref);
			return r;
		}
	}
	return NULL;
}

/* Create and link a region (the list's reference plus one for the caller). */
static struct vmlab_region *vmlab_shm_create(const char *name, u64 length)
{
	struct vmlab_region *r;

	lockdep_assert_held(&vmlab_shm_lock);
	if (atomic_long_read(&vmlab_stats.regions) >= READ_ONCE(shm_max_regions))
		return ERR_PTR(-ENOSPC);
	if ((length >> PAGE_SHIFT) > READ_ONCE(shm_max_pages))
		return ERR_PTR(-ENOSPC);

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return ERR_PTR(-ENOMEM);
	kref_init(&r->ref);
	kref_get(&r->ref);
	strscpy(r->name, name, sizeof(r->name));
	r->npages = length >> PAGE_SHIFT;
	xa_init_flags(&r->pages, XA_FLAGS_ACCOUNT);
	atomic_long_inc(&vmlab_stats.regions);
	r->linked = true;
	list_add_tail(&r->node, &vmlab_shm_regions);
	vmlab_shm_nlinked++;
	return r;
}

/* Attach: bind the file to an existing region or create it. */
static struct vmlab_region *vmlab_shm_get(const struct vmlab_shm_attach *arg)
{
	struct vmlab_region *r;

	mutex_lock(&vmlab_shm_lock);
	r = vmlab_shm_find(arg->name);
	if (r) {
		if (arg->flags & VMLAB_SHM_EXCL) {
			vmlab_region_put(r);
			r = ERR_PTR(-EEXIST);
		} else if (arg->length &&
			   arg->length != (u64)r->npages << PAGE_SHIFT) {
			vmlab_region_put(r);
			r = ERR_PTR(-EINVAL);
		}
	} else if (arg->flags & VMLAB_SHM_CREATE) {
		r = vmlab_shm_create(arg->name, arg->length);
	} else {
		r = ERR_PTR(-ENOENT);
	}
	mutex_unlock(&vmlab_shm_lock);
	return r;
}

static int vmlab_shm_check_attach(const struct vmlab_shm_attach *arg)
{
	if (arg->flags & ~(VMLAB_SHM_CREATE | VMLAB_SHM_EXCL))
		return -EINVAL;
	if ((arg->flags & VMLAB_SHM_EXCL) && !(arg->flags & VMLAB_SHM_CREATE))
		return -EINVAL;
	/* Without CREATE, 0 means "whatever the region's length is". */
	if (!arg->length && (arg->flags & VMLAB_SHM_CREATE))
		return -EINVAL;
	/* A page multiple that an mmap offset (loff_t) can still reach. */
	if (!PAGE_ALIGNED(arg->length) || arg->length > MAX_LFS_FILESIZE)
		return -EINVAL;
	return vmlab_shm_check_name(arg->name);
}

long vmlab_shm_attach_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_file *vf = file->private_data;
	struct vmlab_shm_attach arg;
	struct vmlab_region *r;
	int ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_SHM_ATTACH_SIZE_VER0, uarg);
	if (ret)
		return ret;
	ret = vmlab_shm_check_attach(&arg);
	if (ret)
		return ret;

	mutex_lock(&vf->lock);
	if (vf->region) {
		mutex_unlock(&vf->lock);
		return -EBUSY;
	}
	r = vmlab_shm_get(&arg);
	if (IS_ERR(r)) {
		mutex_unlock(&vf->lock);
		return PTR_ERR(r);
	}
	atomic_inc(&r->attachments);
	vf->region = r;
	mutex_unlock(&vf->lock);

	/* The binding stays even if the caller's struct became unwritable. */
	arg.length = (u64)r->npages << PAGE_SHIFT;
	return vmlab_put_arg(uarg, &arg, sizeof(arg));
}

long vmlab_shm_unlink_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_shm_unlink arg;
	struct vmlab_region *r;
	int ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_SHM_UNLINK_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (arg.flags)
		return -EINVAL;
	ret = vmlab_shm_check_name(arg.name);
	if (ret)
		return ret;

	mutex_lock(&vmlab_shm_lock);
	r = vmlab_shm_find(arg.name);
	if (r) {
		list_del(&r->node);
		r->linked = false;
		vmlab_shm_nlinked--;
	}
	mutex_unlock(&vmlab_shm_lock);
	if (!r)
		return -ENOENT;
	/* The lookup's reference and the name's. */
	vmlab_region_put(r);
	vmlab_region_put(r);
	return 0;
}

/* Snapshot of a region; vmlab_shm_lock held so that linked is stable. */
static void vmlab_region_info(struct vmlab_region *r, struct vmlab_shm_info *info)
{
	lockdep_assert_held(&vmlab_shm_lock);
	memset(info, 0, sizeof(*info));
	if (r->linked)
		strscpy(info->name, r->name, sizeof(info->name));
	info->length = (u64)r->npages << PAGE_SHIFT;
	info->resident_pages = atomic_long_read(&r->resident);
	info->faults = atomic64_read(&r->faults);
	info->attachments = atomic_read(&r->attachments);
	info->mappings = atomic_read(&r->mappings);
	info->linked = r->linked;
}

long vmlab_shm_stat_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_file *vf = file->private_data;
	struct vmlab_shm_stat arg;
	struct vmlab_region *r;
	int ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_SHM_STAT_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (arg.flags)
		return -EINVAL;

	if (arg.name[0]) {
		ret = vmlab_shm_check_name(arg.name);
		if (ret)
			return ret;
		mutex_lock(&vmlab_shm_lock);
		r = vmlab_shm_find(arg.name);
		if (r)
			vmlab_region_info(r, &arg.info);
		mutex_unlock(&vmlab_shm_lock);
		if (!r)
			return -ENOENT;
	} else {
		mutex_lock(&vf->lock);
		r = vf->region;
		if (r) {
			kref_get(&r->ref);
			mutex_lock(&vmlab_shm_lock);
			vmlab_region_info(r, &arg.info);
			mutex_unlock(&vmlab_shm_lock);
		}
		mutex_unlock(&vf->lock);
		if (!r)
			return -ENXIO;
	}
	vmlab_region_put(r);
	return vmlab_put_arg(uarg, &arg, sizeof(arg));
}

long vmlab_shm_list_ioctl(struct file *file, void __user *uarg)
{
	struct vmlab_shm_info *infos = NULL;
	struct vmlab_shm_list arg;
	struct vmlab_region *r;
	unsigned int n = 0;
	int ret;

	ret = vmlab_get_arg(&arg, sizeof(arg), VMLAB_SHM_LIST_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (arg.flags)
		return -EINVAL;
	if (arg.count && !arg.entries)
		return -EFAULT;

	mutex_lock(&vmlab_shm_lock);
	arg.total = vmlab_shm_nlinked;
	arg.count = min(arg.count, vmlab_shm_nlinked);
	if (arg.count) {
		infos = kvcalloc(arg.count, sizeof(*infos), GFP_KERNEL_ACCOUNT);
		if (!infos) {
			mutex_unlock(&vmlab_shm_lock);
			return -ENOMEM;
		}
		list_for_each_entry(r, &vmlab_shm_regions, node) {
			if (n == arg.count)
				break;
			vmlab_region_info(r, &infos[n++]);
		}
	}
	arg.pages_used = atomic_long_read(&vmlab_stats.pages);
	arg.regions_used = atomic_long_read(&vmlab_stats.regions);
	mutex_unlock(&vmlab_shm_lock);
	arg.pages_max = READ_ONCE(shm_max_pages);
	arg.regions_max = READ_ONCE(shm_max_regions);

	if (n && copy_to_user(u64_to_user_ptr(arg.entries), infos,
			      array_size(n, sizeof(*infos))))
		ret = -EFAULT;
	kvfree(infos);
	return ret ? ret : vmlab_put_arg(uarg, &arg, sizeof(arg));
}

/*
 * A new zeroed page for idx, or the one a racing fault inserted first. The
 * shm_max_pages cap is checked here, where memory is really committed.
 */
static struct page *vmlab_region_new_page(struct vmlab_region *r, pgoff_t idx)
{
	struct page *page, *old;

	if (atomic_long_inc_return(&vmlab_stats.pages) > READ_ONCE(shm_max_pages)) {
		atomic_long_dec(&vmlab_stats.pages);
		return ERR_PTR(-ENOSPC);
	}
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT);
	if (!page) {
		atomic_long_dec(&vmlab_stats.pages);
		return ERR_PTR(-ENOMEM);
	}
	old = xa_cmpxchg(&r->pages, idx, NULL, page, GFP_KERNEL);
	if (!old) {
		atomic_long_inc(&r->resident);
		return page;
	}
	/* Lost the race (old is the winner's page) or no memory for a node. */
	atomic_long_dec(&vmlab_stats.pages);
	put_page(page);
	return xa_is_err(old) ? ERR_PTR(xa_err(old)) : old;
}

static vm_fault_t vmlab_shm_fault(struct vm_fault *vmf)
{
	struct vmlab_region *r = vmf->vma->vm_private_data;
	struct page *page;

	/* mremap() may have grown the VMA past the region: like a short file. */
	if (vmf->pgoff >= r->npages)
		return VM_FAULT_SIGBUS;

	page = xa_load(&r->pages, vmf->pgoff);
	if (!page) {
		page = vmlab_region_new_page(r, vmf->pgoff);
		/* Over the cap is SIGBUS, as on a full tmpfs. */
		if (PTR_ERR_OR_ZERO(page) == -ENOSPC)
			return VM_FAULT_SIGBUS;
		if (IS_ERR(page))
			return VM_FAULT_OOM;
	}
	/* The mapping's reference; the core mm drops it at unmap or after COW. */
	get_page(page);
	vmf->page = page;
	atomic64_inc(&r->faults);
	return 0;
}

/* A VMA was copied (fork) or split (mprotect, munmap, mremap). */
static void vmlab_shm_vm_open(struct vm_area_struct *vma)
{
	struct vmlab_region *r = vma->vm_private_data;

	kref_get(&r->ref);
	atomic_inc(&r->mappings);
}

static void vmlab_shm_vm_close(struct vm_area_struct *vma)
{
	struct vmlab_region *r = vma->vm_private_data;

	atomic_dec(&r->mappings);
	vmlab_region_put(r);
}

static const struct vm_operations_struct vmlab_shm_vm_ops = {
	.open = vmlab_shm_vm_open,
	.close = vmlab_shm_vm_close,
	.fault = vmlab_shm_fault,
};

int vmlab_shm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vmlab_file *vf = file->private_data;
	unsigned long pages = vma_pages(vma);
	struct vmlab_region *r;

	mutex_lock(&vf->lock);
	r = vf->region;
	if (r)
		kref_get(&r->ref);
	mutex_unlock(&vf->lock);
	if (!r)
		return -ENXIO;
	if (vma->vm_pgoff >= r->npages || pages > r->npages - vma->vm_pgoff) {
		vmlab_region_put(r);
		return -EINVAL;
	}
	atomic_inc(&r->mappings);
	vma->vm_private_data = r;
	vma->vm_ops = &vmlab_shm_vm_ops;
	return 0;
}

void vmlab_shm_release(struct vmlab_file *vf)
{
	struct vmlab_region *r = vf->region;

	if (!r)
		return;
	vf->region = NULL;
	atomic_dec(&r->attachments);
	vmlab_region_put(r);
}

/* No file is open, hence no VMA: only the names' references remain. */
void vmlab_shm_exit(void)
{
	struct vmlab_region *r, *tmp;

	mutex_lock(&vmlab_shm_lock);
	list_for_each_entry_safe(r, tmp, &vmlab_shm_regions, node) {
		list_del(&r->node);
		r->linked = false;
		vmlab_shm_nlinked--;
		vmlab_region_put(r);
	}
	mutex_unlock(&vmlab_shm_lock);
}
