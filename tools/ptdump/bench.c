// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump --bench: the range view's walk (ioctl and coalescing, nothing
 * printed) timed against what a /proc/PID/pagemap reader does for the
 * same range; then the walk of the whole, sparse, user space.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli.h"
#include "ptdump.h"
#include "vmlab_pt.h"

static const struct vl_col bench_cols[] = {
	{ "REP", VL_NUM },	  { "PTDUMP_PAGES", VL_NUM },
	{ "PTDUMP_NS", VL_NUM },  { "PAGEMAP_PAGES", VL_NUM },
	{ "PAGEMAP_NS", VL_NUM },
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

/* One repetition, alternating which side goes first. */
static int bench_rep(const struct target *t, int pm, uint64_t start,
		     uint64_t end, unsigned int rep, struct libscols_table *tb)
{
	uint64_t pt_pages = 0, pt_ns = 0, pm_pages = 0, pm_ns = 0;
	struct libscols_line *ln;
	int ret;

	if (rep % 2) {
		ret = timed_pagemap(pm, start, end, &pm_pages, &pm_ns);
		ret = ret ? ret :
			    timed_ranges(t, start, end, &pt_pages, &pt_ns);
	} else {
		ret = timed_ranges(t, start, end, &pt_pages, &pt_ns);
		ret = ret ? ret :
			    timed_pagemap(pm, start, end, &pm_pages, &pm_ns);
	}
	ln = ret ? NULL : vl_line(tb, NULL);
	if (!ln)
		return ret ? ret : -ENOMEM;
	vl_line_set_u64(ln, 0, rep);
	vl_line_set_u64(ln, 1, pt_pages);
	vl_line_set_u64(ln, 2, pt_ns);
	vl_line_set_u64(ln, 3, pm_pages);
	vl_line_set_u64(ln, 4, pm_ns);
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

		ret = timed_ranges(t, 0, vmlab_pt_task_size(t->levels), &pages,
				   &ns);
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
