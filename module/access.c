// SPDX-License-Identifier: GPL-2.0
/*
 * vmlab: who may see what. The rule (docs/security.md): never show a caller
 * more about another process than procfs would show the same caller.
 * - Another process's page tables come only through a /proc/PID/pagemap
 *   the caller opened: procfs' open ran its ptrace-read check (credentials,
 *   dumpability, LSMs), and the file holds the mm it checked.
 * - Another process's threads are what /proc/PID/task/TID/stat shows, which
 *   the hidepid= and gid= options of the caller's /proc mount govern.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/magic.h>
#include <linux/namei.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include "vmlab.h"

/*
 * The file operations of /proc/PID/pagemap, learnt from one the module
 * opens at load: an fd is a pagemap file exactly when its f_op is this.
 */
static const struct file_operations *vmlab_pagemap_fops;

void vmlab_access_init(void)
{
	struct file *f = filp_open("/proc/self/pagemap", O_RDONLY, 0);

	if (IS_ERR(f)) {
		pr_warn("no /proc/self/pagemap (%ld): other processes' page tables unavailable\n",
			PTR_ERR(f));
		return;
	}
	vmlab_pagemap_fops = f->f_op;
	filp_close(f, NULL);
}

/*
 * The mm of an open /proc/PID/pagemap, referenced, and the file itself in
 * *filep (the caller fputs it). pagemap's open keeps the mm it checked in
 * private_data for the file's lifetime; mmget_not_zero() fails once that
 * process has exited.
 */
struct mm_struct *vmlab_pagemap_mm(int fd, struct file **filep)
{
	struct mm_struct *mm;
	struct file *f;

	if (!vmlab_pagemap_fops)
		return ERR_PTR(-EOPNOTSUPP);
	f = fget(fd);
	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != vmlab_pagemap_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	mm = f->private_data;
	if (!mm || !mmget_not_zero(mm)) {
		fput(f);
		return ERR_PTR(-ESRCH);
	}
	*filep = f;
	return mm;
}

/*
 * hidepid= of the /proc the caller sees, and its gid= in *gid. Without a
 * procfs there, as strict as procfs can be.
 */
static int vmlab_proc_hidepid(kgid_t *gid)
{
	struct proc_fs_info *info;
	struct path path;
	int hide = HIDEPID_INVISIBLE;

	if (kern_path("/proc", LOOKUP_FOLLOW, &path))
		return hide;
	if (path.dentry->d_sb->s_magic == PROC_SUPER_MAGIC) {
		info = proc_sb_info(path.dentry->d_sb);
		hide = info->hide_pid;
		*gid = info->pid_gid;
	}
	path_put(&path);
	return hide;
}

/*
 * May the caller read the threads of task's process? Under hidepid=off
 * procfs shows every process's threads, so do we. Otherwise procfs shows
 * them to the gid= group and to callers that pass ptrace_may_access(),
 * which modules cannot call: vmlab then shows only the caller's own
 * process, and the gid= group any (threadview falls back to /proc, where
 * procfs decides). -EACCES where /proc/PID is listed but unreadable
 * (hidepid=1), -ESRCH where it is not listed.
 */
int vmlab_threads_may_see(struct task_struct *task)
{
	kgid_t gid = INVALID_GID;
	int hide;

	if (same_thread_group(task, current))
		return 0;
	hide = vmlab_proc_hidepid(&gid);
	if (hide == HIDEPID_OFF || (gid_valid(gid) && in_group_p(gid)))
		return 0;
	return hide == HIDEPID_NO_ACCESS ? -EACCES : -ESRCH;
}
