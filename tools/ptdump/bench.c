// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump --bench: the range view's walk (ioctl and coalescing, nothing
 * printed) timed against what a /proc/PID/pagemap reader does for the
 * same range, and against the kernel's own range scan of that file,
 * PAGEMAP_SCAN (6.7+); then the walk of the whole, sparse, user space.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "ptdump.h"
#include "vmlab_pt.h"

#ifndef PAGEMAP_SCAN /* <linux/fs.h> of 6.7 on; the build host's may be older */
#define PAGE_IS_PRESENT (1 << 3)
struct page_region {
	__u64 start, end, categories;
};

struct pm_scan_arg {
	__u64 size, flags, start, end, walk_end, vec, vec_len, max_pages;
	__u64 category_inverted, category_mask, category_anyof_mask,
		return_mask;
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif

static const struct vl_col bench_cols[] = {
	{ "REP", VL_NUM },	  { "PTDUMP_PAGES", VL_NUM },
	{ "PTDUMP_NS", VL_NUM },  { "PAGEMAP_PAGES", VL_NUM },
	{ "PAGEMAP_NS", VL_NUM }, { "SCAN_PAGES", VL_NUM },
	{ "SCAN_NS", VL_NUM },
};

static const struct vl_col sparse_cols[] = {
	{ "WALK", 0 },
	{ "NS", VL_NUM },
	{ "PAGES", VL_NUM },
};

/* The default view's work (walk and coalesce), without printing: pages seen. */
static int timed_ranges(const struct target *t, uint64_t start, uint64_t end,
			uint64_t *pages, uint64_t *ns)
{
	struct ranges_ctx c = { .t = t };
	uint64_t t0 = vl_now_ns();
	int ret;

	c.tb = VL_TABLE("ranges", false, ptdump_range_cols);
	if (!c.tb)
		return -ENOMEM;
	ret = ptdump_ranges(&c, start, end);
	*ns = vl_now_ns() - t0;
	*pages = c.present;
	scols_unref_table(c.tb);
	return ret;
}

/* What a pagemap reader does: read 8 bytes per page, count the present ones. */
static int timed_pagemap(int pm, uint64_t start, uint64_t end, uint64_t *pages,
			 uint64_t *ns)
{
	static uint64_t buf[65536];
	uint64_t off = start / VMLAB_PT_PAGE * 8,
		 stop = end / VMLAB_PT_PAGE * 8;
	uint64_t t0 = vl_now_ns();
	ssize_t got, i;

	*pages = 0;
	while (off < stop) {
		size_t want = stop - off < sizeof(buf) ? stop - off :
							 sizeof(buf);

		got = pread(pm, buf, want, (off_t)off);
		if (got <= 0)
			return got ? -errno : -EIO;
		for (i = 0; i < got / 8; i++)
			*pages += buf[i] >> 63;
		off += (uint64_t)got;
	}
	*ns = vl_now_ns() - t0;
	return 0;
}

/*
 * PAGEMAP_SCAN asked for the present pages, in runs of 512 regions: the
 * kernel's own walk of the range. 0 pages and 0 ns where the kernel has no
 * PAGEMAP_SCAN (before 6.7: ENOTTY).
 */
static int timed_scan(int pm, uint64_t start, uint64_t end, uint64_t *pages,
		      uint64_t *ns)
{
	static struct page_region vec[512];
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = start,
		.end = end,
		.vec = (uintptr_t)vec,
		.vec_len = 512,
		.category_mask = PAGE_IS_PRESENT,
		.return_mask = PAGE_IS_PRESENT,
	};
	uint64_t t0 = vl_now_ns();
	long n, i;

	*pages = 0;
	*ns = 0;
	while (arg.start < end) {
		n = ioctl(pm, PAGEMAP_SCAN, &arg);
		if (n < 0)
			return errno == ENOTTY || errno == EINVAL ? 0 : -errno;
		for (i = 0; i < n; i++)
			*pages += (vec[i].end - vec[i].start) / VMLAB_PT_PAGE;
		arg.start = arg.walk_end;
	}
	*ns = vl_now_ns() - t0;
	return 0;
}

/* One repetition of the three sides, which goes first turning by rep. */
static int bench_rep(const struct target *t, int pm, uint64_t start,
		     uint64_t end, unsigned int rep, struct libscols_table *tb)
{
	uint64_t pt_pages = 0, pt_ns = 0, pm_pages = 0, pm_ns = 0;
	uint64_t sc_pages = 0, sc_ns = 0;
	struct libscols_line *ln;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 3 && !ret; i++) {
		switch ((rep + i) % 3) {
		case 0:
			ret = timed_ranges(t, start, end, &pt_pages, &pt_ns);
			break;
		case 1:
			ret = timed_pagemap(pm, start, end, &pm_pages, &pm_ns);
			break;
		default:
			ret = timed_scan(pm, start, end, &sc_pages, &sc_ns);
		}
	}
	ln = ret ? NULL : vl_line(tb, NULL);
	if (!ln)
		return ret ? ret : -ENOMEM;
	VL_LINE_U64S(ln, rep, pt_pages, pt_ns, pm_pages, pm_ns, sc_pages,
		     sc_ns);
	return 0;
}

static int bench_sparse(const struct target *t, unsigned int reps,
			struct libscols_table *tb)
{
	uint64_t pages, ns;
	unsigned int rep;
	int ret = 0;

	for (rep = 0; rep < reps && !ret; rep++) {
		struct libscols_line *ln;

		ret = timed_ranges(t, 0, t->task_size, &pages, &ns);
		ln = ret ? NULL : vl_line(tb, NULL);
		if (!ln)
			return ret ? ret : -ENOMEM;
		scols_line_set_data(ln, 0, "sparse");
		vl_line_set_u64(ln, 1, ns);
		vl_line_set_u64(ln, 2, pages);
	}
	return ret;
}

int ptdump_bench(const struct target *t, uint64_t start, uint64_t end,
		 unsigned int reps, struct vl_doc *doc)
{
	int pm = t->pagemap >= 0 ? t->pagemap :
				   open("/proc/self/pagemap", O_RDONLY);
	struct libscols_table *tb = VL_TABLE("bench", doc->json, bench_cols);
	struct libscols_table *sp = VL_TABLE("sparse", doc->json, sparse_cols);
	unsigned int rep;
	int ret = pm < 0 ? -errno : !tb || !sp ? -ENOMEM : 0;

	for (rep = 0; rep < reps && !ret; rep++)
		ret = bench_rep(t, pm, start, end, rep, tb);
	if (!ret)
		ret = bench_sparse(t, reps, sp);
	if (!ret)
		ret = vl_doc_add(doc, tb);
	else
		scols_unref_table(tb);
	if (!ret)
		ret = vl_doc_add(doc, sp);
	else
		scols_unref_table(sp);
	if (pm >= 0 && pm != t->pagemap)
		close(pm);
	return ret;
}
