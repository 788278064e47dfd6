/* SPDX-License-Identifier: GPL-2.0 */
/* forkbench: shared declarations of the CLI (forkbench.c) and the methods. */
#ifndef FORKBENCH_H
#define FORKBENCH_H

#include <stddef.h>
#include <stdint.h>

/* clone3-only flag, absent from older glibc's <sched.h>. */
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

/* Exit status of forkbench-child: proves the exec really happened. */
#define FB_HELPER_STATUS 42

enum fb_kind { FB_FORK, FB_VFORK, FB_CLONE, FB_CLONE3, FB_PTHREAD, FB_SPAWN };

struct fb_method {
	char name[48]; /* as given: "fork", "clone:nptl", "vfork+exec" */
	enum fb_kind kind;
	int exec; /* the child execs forkbench-child */
	uint64_t flags; /* CLONE_* for clone/clone3 (no exit signal) */
	uint64_t added; /* flags forkbench added so it can wait */
	char flag_str[200]; /* flags as "VM|FS|…", or what fork() uses */
	const char *child; /* what the child does, for the header */
	const char *tlpi; /* row name in TLPI Table 28-3, or NULL */
};

/* What one child saw (from inside) and what the parent saw afterwards. */
/* What the probes compare (kcmp of IO/SYSVSEM says "same" when both are unset). */
enum fb_share { FB_VM, FB_FILES, FB_FS, FB_SIGHAND, FB_NSHARE };

struct fb_sharing {
	int ran; /* the child ran the probe */
	int same_tgid; /* child's getpid() == parent's */
	int new_tid; /* child's gettid() != parent's */
	int kcmp[FB_NSHARE]; /* 1 shared, 0 private, -errno */
	int seen[FB_NSHARE]; /* parent saw VM/FILES/FS/SIGHAND effect */
	int expect[FB_NSHARE]; /* what the flags say */
};

extern const char *const fb_share_name[FB_NSHARE];

/* Flags: "VM,FS,FILES" or "VM|FS" (CLONE_ prefix optional) or a preset. */
int fb_parse_flags(const char *s, uint64_t *flags, char *err, size_t errlen);
void fb_flags_str(uint64_t flags, char *buf, size_t len);
/* Why the kernel refuses @flags with @err (positive errno), or NULL. */
const char *fb_flags_explain(uint64_t flags, enum fb_kind kind, int err);
/* Short description of a clone flag for the flags matrix. */
const char *fb_flag_desc(uint64_t flag);

/* Fill @m from a method spec ("fork", "clone", "clone:thread", "fork+exec"). */
int fb_method_init(struct fb_method *m, const char *spec, uint64_t clone_flags,
		   char *err, size_t errlen);
/* Combinations forkbench itself refuses (not the kernel): message or NULL. */
const char *fb_method_refuse(const struct fb_method *m);

/* Child stacks, TLS block, report page: 0 or -errno. */
int fb_prepare(void);
/* A program forkbench runs: a file, or its embedded copy in a memfd. */
struct fb_program {
	int fd; /* the memfd, or -1 */
	char path[4096]; /* what to exec */
	char info[4200]; /* where it came from, for the header */
};

/*
 * @name: @path, else the file next to /proc/self/exe, else a memfd with
 * the copy in [blob, blob_end): 0, or -errno with the reason in desc.
 */
int fb_find_program(const char *name, const char *path,
		    const unsigned char *blob, const unsigned char *blob_end,
		    struct fb_program *p, char *desc, size_t desclen);

/* The exec helper (fb_find_program's forkbench-child): 0 or -errno. */
int fb_helper_setup(const char *path, const unsigned char *blob,
		    const unsigned char *blob_end, char *desc, size_t desclen);
const char *fb_helper_desc(void);

/* Create one child and wait for it: 0, -errno, or -EPROTO (bad status). */
int fb_create_one(const struct fb_method *m);
/* Run one probing child and fill @s: 0 or -errno. */
int fb_probe(const struct fb_method *m, struct fb_sharing *s);

/* VmSize from /proc/self/status in KiB, or -1. */
long fb_vmsize_kb(void);

enum fb_touch { FB_UNTOUCHED, FB_TOUCHED, FB_HUGE };
/* Grow VmSize to @target bytes with anonymous memory: 0 or -errno. */
int fb_set_vsize(uint64_t target, enum fb_touch touch);

#endif /* FORKBENCH_H */
