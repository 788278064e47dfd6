/* SPDX-License-Identifier: GPL-2.0 */
/* ptdump: the walk and the range view, shared with --bench (bench.c). */
#ifndef PTDUMP_H
#define PTDUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <libsmartcols.h>

#include "libvmlab.h"
#include "table.h"

struct vma {
	uint64_t start, end;
	char perms[5];
	char label[256];
};

struct target {
	int fd; /* the device */
	int pagemap; /* /proc/PID/pagemap, or -1 for ourselves */
	int levels; /* paging levels: x86-64 4 or 5, arm64 3 or 4 */
	uint32_t arch; /* VMLAB_ARCH_* of the module */
	int page_shift; /* of the base page */
	uint64_t task_size; /* end of user space (TASK_SIZE) */
	uint64_t user_top; /* end of the user half: 2^47, 2^56, 2^48 */
	struct vma *vmas;
	size_t nvmas;
};

/*
 * One coalesced run of entries with the same attributes. The module
 * already merges entries with identical flags (VMLAB_PT_RUNS); here runs
 * that differ only in counted bits (A, D...) merge further, within a VMA.
 */
struct run {
	uint64_t start, end;
	uint32_t key, level;
	const struct vma *vma;
	uint64_t entries, present, accessed, dirty;
};

/* Entries counted per VMA, for the map (--svg). */
struct vma_stat {
	uint64_t present, accessed, dirty;
};

struct ranges_ctx {
	const struct target *t;
	struct vma_stat *stats; /* per t->vmas[i], or NULL */
	struct libscols_table *tb;
	bool json;
	struct run run;
	uint64_t present, accessed, dirty, bytes;
};

extern const struct vl_col ptdump_range_cols[10];

/* What an entry of a VMLAB_LEVEL_* maps, as ptdump names it: "4K", "2M", "1G". */
const char *ptdump_level_name(uint32_t level);
/* A power of two of at least 1 KiB as ptdump names it: "4K", "512G", "256T". */
void ptdump_size_name(uint64_t bytes, char *buf, size_t len);

/* A query of [start, end) of t's address space, no records asked for. */
void ptdump_query_init(const struct target *t, uint64_t start, uint64_t end,
		       struct vmlab_pt_query *q);

/* Call fn for each record of [start, end), in address order: 0 or -errno. */
int ptdump_walk(const struct target *t, uint64_t start, uint64_t end,
		uint32_t flags, int (*fn)(const struct vmlab_pte *r, void *ctx),
		void *ctx);

/* The range view's walk of [start, end) into c->tb: 0 or -errno. */
int ptdump_ranges(struct ranges_ctx *c, uint64_t start, uint64_t end);

/* --bench N over [start, end): 0 or -errno. */
int ptdump_bench(const struct target *t, uint64_t start, uint64_t end,
		 unsigned int reps, struct vl_doc *doc);

/* --svg: the map of t's mappings, st[i] the entries of t->vmas[i]. */
int ptdump_map_svg(const struct target *t, const struct vma_stat *st,
		   const char *title, const char *path);

/* --tree --svg: the page-table pages under [start, end), drawn by dot. */
int ptdump_tree_svg(const struct target *t, uint64_t start, uint64_t end,
		    const char *title, const char *path);

/* One row of --explain's layout table (levels: the paging mode's). */
void ptdump_layout_row(struct libscols_table *layout, int levels,
		       const char *name, int first, int last, uint64_t index);

/* A flag bit and the word ptdump shows for it. */
struct bit_name {
	uint32_t bit;
	const char *name;
};

/* Append to the words in buf the names of the table's bits set in flags. */
void ptdump_bit_names(const struct bit_name *names, size_t count,
		      uint32_t flags, char *buf, size_t len);

/* arm64.c: append the VMLAB_ARM64_* bits of af to the words in buf. */
void ptdump_arm64_detail(uint32_t af, char *buf, size_t len);
/* arm64.c: --explain's split of va (text into doc, rows into layout). */
void ptdump_arm64_layout(struct vl_doc *doc, struct libscols_table *layout,
			 const struct target *t, uint64_t va);

#endif
