/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmlab: look inside threads, processes, locks and virtual memory.
 *
 * The ABI of /dev/vmlab. Conventions (docs/abi.md has the full reference):
 *  - every ioctl argument is a struct whose first field is its size in bytes,
 *    as the caller knows it. Structs grow only at their end: the module takes
 *    any size from the struct's *_SIZE_VER0 on (copy_struct_from_user: the
 *    fields a smaller caller lacks read as zero; a larger caller's extra
 *    bytes must be zero, else -E2BIG) and writes back no more than the
 *    caller's size. This is the only way the ABI grows; records in arrays
 *    keep their size within a major version.
 *  - the size bits of the command number are ignored: the size field decides,
 *  - every input field and flag is checked (-EINVAL); padding (pad*) must be
 *    zero; output-only fields are ignored on input; unknown commands -ENOTTY,
 *  - pointers are __u64, so 32-bit callers use the same layout.
 */
#ifndef _UAPI_LINUX_VMLAB_H
#define _UAPI_LINUX_VMLAB_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMLAB_ABI_MAJOR		2
#define VMLAB_ABI_MINOR		0

/* Free in Documentation/userspace-api/ioctl/ioctl-number.rst of 6.12 and 7.3. */
#define VMLAB_IOC_MAGIC		0xBB
#define VMLAB_NAME_MAX		32	/* names of regions and counters, NUL included */

/* Feature bits reported by VMLAB_IOC_VERSION. */
#define VMLAB_FEAT_SHM		(1ULL << 0)	/* shared regions and mmap */
#define VMLAB_FEAT_PT		(1ULL << 1)	/* page-table query and clear-accessed */
#define VMLAB_FEAT_CTR		(1ULL << 2)	/* kernel counters */
#define VMLAB_FEAT_THREADS	(1ULL << 3)	/* batched thread info */
#define VMLAB_FEAT_THREAD_REGS	(1ULL << 4)	/* user SP/IP in thread info */

/* vmlab_version.arch */
#define VMLAB_ARCH_X86_64	1
#define VMLAB_ARCH_ARM64	2

struct vmlab_version {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	__u16 major;		/* out: VMLAB_ABI_MAJOR of the module */
	__u16 minor;		/* out: VMLAB_ABI_MINOR of the module */
	__u32 arch;		/* out: VMLAB_ARCH_* */
	__u64 features;		/* out: VMLAB_FEAT_* */
	__u32 page_shift;	/* out: log2 of the base page size */
	__u32 pgtable_levels;	/* out: paging levels of the running kernel */
};

#define VMLAB_VERSION_SIZE_VER0	32

/* ---- shared regions ----------------------------------------------------- */

#define VMLAB_SHM_CREATE	(1U << 0)	/* create the region if it does not exist */
#define VMLAB_SHM_EXCL		(1U << 1)	/* with CREATE: fail with -EEXIST if it exists */

/* Bind this open file to the named region; mmap of the file then maps it. */
struct vmlab_shm_attach {
	__u32 size;
	__u32 flags;		/* VMLAB_SHM_* */
	/* in: bytes, a page multiple (needed with CREATE); out: the length */
	__u64 length;
	char name[VMLAB_NAME_MAX];
};

#define VMLAB_SHM_ATTACH_SIZE_VER0	48

/* Remove a name; regions live on while attached or mapped (like shm_unlink). */
struct vmlab_shm_unlink {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	char name[VMLAB_NAME_MAX];
};

#define VMLAB_SHM_UNLINK_SIZE_VER0	40

struct vmlab_shm_info {
	char name[VMLAB_NAME_MAX];	/* empty once unlinked */
	__u64 length;			/* bytes */
	__u64 resident_pages;		/* pages allocated so far */
	__u64 faults;			/* faults served by the module */
	__u32 attachments;		/* files attached */
	__u32 mappings;			/* live VMAs */
	__u32 linked;			/* 1 while the name exists */
	__u32 pad;			/* 0 */
};

/* Statistics of the named region, or of this file's region if name is empty. */
struct vmlab_shm_stat {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	char name[VMLAB_NAME_MAX];
	struct vmlab_shm_info info;	/* out */
};

#define VMLAB_SHM_STAT_SIZE_VER0	112

/*
 * List named regions, and the module's totals against its limits (the
 * shm_max_pages and shm_max_regions module parameters).
 */
struct vmlab_shm_list {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	__u32 count;		/* in: capacity of entries; out: entries filled */
	__u32 total;		/* out: named regions */
	__u64 entries;		/* in: pointer to struct vmlab_shm_info[count] */
	__u64 pages_used;	/* out: resident pages of all regions, unlinked too */
	__u64 pages_max;	/* out: shm_max_pages */
	__u32 regions_used;	/* out: regions alive, unlinked too */
	__u32 regions_max;	/* out: shm_max_regions */
};

#define VMLAB_SHM_LIST_SIZE_VER0	48

/* ---- page tables -------------------------------------------------------- */

/* vmlab_pt_query.flags */
#define VMLAB_PT_PAGEMAP_FD	(1U << 0)	/* target: the mm of an open /proc/PID/pagemap */
#define VMLAB_PT_LEVELS		(1U << 1)	/* fill vmlab_pte.upper[] */
#define VMLAB_PT_RUNS		(1U << 2)	/* one record per run of like entries */

/* vmlab_pte.level: the level whose entry maps the page */
#define VMLAB_LEVEL_PTE		1	/* 4 KiB */
#define VMLAB_LEVEL_PMD		2	/* 2 MiB */
#define VMLAB_LEVEL_PUD		3	/* 1 GiB */
#define VMLAB_LEVEL_P4D		4
#define VMLAB_LEVEL_PGD		5

/* vmlab_pte.flags: decoded with the kernel's own helpers */
#define VMLAB_PTE_PRESENT	(1U << 0)	/* valid */
#define VMLAB_PTE_ACCESSED	(1U << 1)	/* referenced */
#define VMLAB_PTE_DIRTY		(1U << 2)	/* modified (pte_dirty: includes saved-dirty) */
#define VMLAB_PTE_WRITE		(1U << 3)
#define VMLAB_PTE_USER		(1U << 4)
#define VMLAB_PTE_NX		(1U << 5)
#define VMLAB_PTE_GLOBAL	(1U << 6)
#define VMLAB_PTE_PWT		(1U << 7)
#define VMLAB_PTE_PCD		(1U << 8)
#define VMLAB_PTE_HUGE		(1U << 9)	/* leaf above PTE level */
#define VMLAB_PTE_SWAP		(1U << 10)	/* swap entry */
#define VMLAB_PTE_MIGRATION	(1U << 11)	/* migration entry */
#define VMLAB_PTE_SOFT_DIRTY	(1U << 12)
#define VMLAB_PTE_SPECIAL	(1U << 13)	/* no struct page (pte_special) */
#define VMLAB_PTE_ZERO_PAGE	(1U << 14)	/* maps the shared zero page */

struct vmlab_pte {
	__u64 va;		/* first address the entry maps */
	__u64 entry;		/* raw entry; PFN bits zeroed without CAP_SYS_ADMIN */
	__u64 pfn;		/* 0 without CAP_SYS_ADMIN */
	/* VMLAB_PT_LEVELS: the PGD, P4D, PUD and PMD entries above it (PFN
	 * bits zeroed likewise), 0 where the level does not exist
	 */
	__u64 upper[4];
	__u32 flags;		/* VMLAB_PTE_* */
	__u32 level;		/* VMLAB_LEVEL_* */
	/* entries the record stands for: 1, or with VMLAB_PT_RUNS the length
	 * of a run of adjacent entries of one level with the same flags (the
	 * other fields are those of its first entry)
	 */
	__u64 nr;
};

/*
 * One record per mapped page (or per huge leaf) of [start, end) that has a
 * non-empty entry, in address order. When entries fill up, start is moved
 * to where to continue; start == end on return means the range is done.
 */
struct vmlab_pt_query {
	__u32 size;
	__u32 flags;		/* VMLAB_PT_* */
	__s32 pagemap_fd;	/* with VMLAB_PT_PAGEMAP_FD; else must be 0 */
	__u32 count;		/* in: capacity of entries; out: records filled */
	__u64 start;		/* in: page-aligned user address; out: resume point */
	__u64 end;		/* in: exclusive end, page aligned */
	__u64 entries;		/* in: pointer to struct vmlab_pte[count] */
	/* out: page-table pages walked per level: [0] PTE tables, [1] PMD,
	 * [2] PUD, [3] P4D, [4] PGD
	 */
	__u64 tables[5];
	__u32 levels;		/* out: paging levels of the target (4 or 5) */
	__u32 pad;		/* must be 0 */
};

#define VMLAB_PT_QUERY_SIZE_VER0	88

/* Test-and-clear the accessed bit over the caller's own [start, end). */
struct vmlab_pt_clear_accessed {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	__u64 start;
	__u64 end;
	__u64 cleared;		/* out: entries whose accessed bit was set */
};

#define VMLAB_PT_CLEAR_ACCESSED_SIZE_VER0	32

/* ---- counters ----------------------------------------------------------- */

enum vmlab_ctr_mode {
	VMLAB_CTR_MUTEX = 0,	/* struct mutex around a read-modify-write */
	VMLAB_CTR_RACY = 1,	/* the same read-modify-write with no lock */
	VMLAB_CTR_ATOMIC = 2,	/* atomic64_add_return */
	VMLAB_CTR_SPINLOCK = 3,	/* spinlock around the read-modify-write */
	VMLAB_CTR_MODES
};

#define VMLAB_CTR_EXCL		(1U << 0)	/* named: fail with -EEXIST if it exists */
#define VMLAB_CTR_DELAY_MAX_NS	100000		/* cap of vmlab_ctr_create.delay_ns */

/* Create a counter, or look up the named one (empty name: always new). */
struct vmlab_ctr_create {
	__u32 size;
	__u32 flags;		/* VMLAB_CTR_EXCL */
	__u32 mode;		/* enum vmlab_ctr_mode */
	__u32 delay_ns;		/* widening delay inside the read-modify-write */
	char name[VMLAB_NAME_MAX];
	__u32 id;		/* out */
	__u32 pad;		/* must be 0 */
};

#define VMLAB_CTR_CREATE_SIZE_VER0	56

/* CTR_ADD, CTR_GET, CTR_RESET and CTR_DESTROY take this. */
struct vmlab_ctr_op {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	__u32 id;
	__u32 pad;		/* must be 0 */
	/* CTR_ADD: added, wrapping in two's complement; CTR_RESET: the new
	 * value; CTR_GET, CTR_DESTROY: must be 0
	 */
	__s64 delta;
	__s64 value;		/* out: value after the operation */
};

#define VMLAB_CTR_OP_SIZE_VER0	32

struct vmlab_ctr_stat {
	__u32 size;
	__u32 flags;		/* in: must be 0 */
	__u32 id;		/* in */
	__u32 mode;		/* out: enum vmlab_ctr_mode */
	char name[VMLAB_NAME_MAX];
	__s64 value;
	__u64 ops;		/* ADDs and GETs since creation or the last RESET */
	__u64 contended;	/* times the lock was found held */
	__u64 wait_ns_total;	/* time spent waiting for the lock */
	__u64 wait_ns_max;
	/* most callers inside the read-modify-write at once: 1 under a lock */
	__u32 max_concurrency;
	__u32 delay_ns;
};

#define VMLAB_CTR_STAT_SIZE_VER0	96

/* ---- threads ------------------------------------------------------------ */

#define VMLAB_THREADS_REGS	(1U << 0)	/* fill user_sp/user_ip (CAP_SYS_ADMIN) */

/* The lecture's five thread states. */
enum vmlab_state5 {
	VMLAB_STATE_INIT = 0,
	VMLAB_STATE_READY = 1,
	VMLAB_STATE_RUNNING = 2,
	VMLAB_STATE_WAITING = 3,
	VMLAB_STATE_FINISHED = 4,
};

struct vmlab_thread_info {
	__s32 tid;
	__s32 tgid;
	char comm[16];
	/* task_state_index(): 0 R, 1 S, 2 D, 3 T, 4 t, 5 X, 6 Z, 7 P, 8 I */
	__u32 state;
	__u32 state5;		/* enum vmlab_state5 */
	__s32 cpu;		/* CPU last run on */
	__u32 on_cpu;		/* 1 if running now */
	__u32 policy;		/* SCHED_* */
	__s32 prio;		/* kernel priority, as /proc/PID/stat */
	__s32 nice;
	__u32 flags;		/* out: 0, no flag defined yet */
	__u64 utime_ns;
	__u64 stime_ns;
	__u64 nvcsw;		/* voluntary context switches */
	__u64 nivcsw;		/* involuntary context switches */
	__u64 start_time_ns;	/* since boot, CLOCK_MONOTONIC */
	__u64 min_flt;
	__u64 maj_flt;
	__u64 user_sp;		/* VMLAB_THREADS_REGS only */
	__u64 user_ip;
};

struct vmlab_threads {
	__u32 size;
	__u32 flags;		/* VMLAB_THREADS_* */
	__s32 pid;		/* in: any thread of the process */
	__u32 count;		/* in: capacity of entries; out: records filled */
	__u32 total;		/* out: threads in the group (count < total: more) */
	__u32 pad;		/* must be 0 */
	__u64 entries;		/* in: pointer to struct vmlab_thread_info[count] */
};

#define VMLAB_THREADS_SIZE_VER0	32

#define VMLAB_IOC_VERSION	_IOWR(VMLAB_IOC_MAGIC, 0x00, struct vmlab_version)
#define VMLAB_IOC_SHM_ATTACH	_IOWR(VMLAB_IOC_MAGIC, 0x10, struct vmlab_shm_attach)
#define VMLAB_IOC_SHM_UNLINK	_IOW(VMLAB_IOC_MAGIC, 0x11, struct vmlab_shm_unlink)
#define VMLAB_IOC_SHM_STAT	_IOWR(VMLAB_IOC_MAGIC, 0x12, struct vmlab_shm_stat)
#define VMLAB_IOC_SHM_LIST	_IOWR(VMLAB_IOC_MAGIC, 0x13, struct vmlab_shm_list)
#define VMLAB_IOC_PT_QUERY	_IOWR(VMLAB_IOC_MAGIC, 0x20, struct vmlab_pt_query)
#define VMLAB_IOC_PT_CLEAR_ACCESSED \
	_IOWR(VMLAB_IOC_MAGIC, 0x21, struct vmlab_pt_clear_accessed)
#define VMLAB_IOC_CTR_CREATE	_IOWR(VMLAB_IOC_MAGIC, 0x30, struct vmlab_ctr_create)
#define VMLAB_IOC_CTR_ADD	_IOWR(VMLAB_IOC_MAGIC, 0x31, struct vmlab_ctr_op)
#define VMLAB_IOC_CTR_GET	_IOWR(VMLAB_IOC_MAGIC, 0x32, struct vmlab_ctr_op)
#define VMLAB_IOC_CTR_RESET	_IOWR(VMLAB_IOC_MAGIC, 0x33, struct vmlab_ctr_op)
#define VMLAB_IOC_CTR_DESTROY	_IOWR(VMLAB_IOC_MAGIC, 0x34, struct vmlab_ctr_op)
#define VMLAB_IOC_CTR_STAT	_IOWR(VMLAB_IOC_MAGIC, 0x35, struct vmlab_ctr_stat)
#define VMLAB_IOC_THREADS	_IOWR(VMLAB_IOC_MAGIC, 0x40, struct vmlab_threads)

#endif /* _UAPI_LINUX_VMLAB_H */
