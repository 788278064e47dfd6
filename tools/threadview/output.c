// SPDX-License-Identifier: GPL-2.0
/*
 * threadview: a snapshot as a libsmartcols table, sorted by libsmartcols
 * (a stable sort per key, the last key first), a tree for --tree (ps m).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "table.h"
#include "threadview.h"

struct sort_ctx {
	const struct tv_snapshot *snap;
	struct sort_key key;
};

/* Cells carry their thread; process lines (--tree) carry none and keep their order. */
static int cmp_cells(struct libscols_cell *a, struct libscols_cell *b,
		     void *data)
{
	const struct sort_ctx *s = data;
	const struct tv_thread *x = scols_cell_get_userdata(a);
	const struct tv_thread *y = scols_cell_get_userdata(b);
	char bx[CELL_MAX], by[CELL_MAX];
	enum col_id c = s->key.col;
	int r;

	if (!x || !y)
		return 0;
	if (tv_cols[c].numeric || c == COL_TIME || c == COL_STATE ||
	    c == COL_TTY) {
		double kx = tv_sort_key(c, x, s->snap),
		       ky = tv_sort_key(c, y, s->snap);

		r = (kx > ky) - (kx < ky);
	} else {
		tv_fmt_cell(bx, c, x, s->snap);
		tv_fmt_cell(by, c, y, s->snap);
		r = strcmp(bx, by);
	}
	return s->key.desc ? -r : r;
}

static struct libscols_table *new_table(const struct tv_output *o)
{
	struct vl_col cols[MAXCOLS];
	int i;

	for (i = 0; i < o->ncols; i++) {
		enum col_id c = o->cols[i];

		cols[i].name = tv_col_header(c, o->arch);
		cols[i].flags = (tv_cols[c].numeric ? VL_NUM : 0) |
				(o->tree && c == COL_CMD ? VL_TREE : 0);
	}
	return vl_table_new("threads", o->json, cols, (size_t)o->ncols);
}

static void fill_line(struct libscols_line *ln, const struct tv_output *o,
		      const struct tv_thread *t, const struct tv_snapshot *snap)
{
	char buf[CELL_MAX];
	int i;

	for (i = 0; i < o->ncols; i++) {
		enum col_id c = o->cols[i];

		tv_fmt_cell(buf, c, t, snap);
		if (c == COL_CMD)
			vl_line_set_name(ln, i, buf, CELL_MAX);
		else
			scols_line_set_data(ln, i, buf);
		scols_cell_set_userdata(scols_line_get_cell(ln, i), (void *)t);
	}
}

/* A process's line (ps m): its totals, "-" where a thread's value goes. */
static struct libscols_line *proc_line(struct libscols_table *tb,
				       const struct tv_output *o,
				       const struct tv_snapshot *snap,
				       size_t first)
{
	const struct tv_thread *t = &snap->threads[first];
	struct libscols_line *ln = vl_line(tb, NULL);
	uint64_t total = 0;
	char buf[CELL_MAX];
	size_t j;
	int k;

	for (j = first;
	     j < snap->nthreads && snap->threads[j].ti.tgid == t->ti.tgid; j++)
		total += snap->threads[j].ti.utime_ns +
			 snap->threads[j].ti.stime_ns;
	for (k = 0; ln && k < o->ncols; k++) {
		tv_fmt_proc_cell(buf, o->cols[k], &snap->procs[t->proc], total);
		if (*buf)
			scols_line_set_data(ln, k, buf);
		else if (!o->json)
			scols_line_set_data(ln, k, "-");
	}
	return ln;
}

static int fill(struct libscols_table *tb, const struct tv_output *o,
		const struct tv_snapshot *snap)
{
	struct libscols_line *parent = NULL, *ln;
	size_t i;
	int k;

	for (i = 0; i < snap->nthreads; i++) {
		const struct tv_thread *t = &snap->threads[i];

		if (o->tree &&
		    (!i || t->ti.tgid != snap->threads[i - 1].ti.tgid))
			parent = proc_line(tb, o, snap, i);
		ln = vl_line(tb, o->tree ? parent : NULL);
		if (!ln)
			return -ENOMEM;
		fill_line(ln, o, t, snap);
		for (k = 0; o->tree && k < o->ncols; k++)
			if (o->cols[k] == COL_PID || o->cols[k] == COL_TTY ||
			    o->cols[k] == COL_USER)
				scols_line_set_data(ln, k,
						    o->json ? NULL : "-");
	}
	return 0;
}

static void sort(struct libscols_table *tb, const struct tv_output *o,
		 const struct tv_snapshot *snap)
{
	struct sort_ctx ctx[8];
	int i, k;

	for (i = o->nsort - 1; i >= 0; i--) {
		for (k = 0; k < o->ncols && o->cols[k] != o->sort[i].col; k++)
			;
		if (k == o->ncols)
			continue; /* a key not shown has no cells to compare */
		ctx[i] = (struct sort_ctx){ snap, o->sort[i] };
		scols_column_set_cmpfunc(scols_table_get_column(tb, (size_t)k),
					 cmp_cells, &ctx[i]);
		scols_sort_table(tb, scols_table_get_column(tb, (size_t)k));
	}
}

const char *tv_source_name(const struct tv_collector *c)
{
	return c->source == TV_SRC_IOCTL ? "ioctl" : "proc";
}

/* JSON: which source, and its device, beside the threads. */
static int add_source(struct vl_doc *doc, const struct tv_collector *c)
{
	static const struct vl_col cols[] = { { "SOURCE", 0 },
					      { "DEVICE", 0 } };
	struct libscols_table *tb = VL_TABLE("source", true, cols);
	struct libscols_line *ln = tb ? vl_line(tb, NULL) : NULL;

	if (!ln) {
		scols_unref_table(tb);
		return -ENOMEM;
	}
	scols_line_set_data(ln, 0, tv_source_name(c));
	if (c->source == TV_SRC_IOCTL)
		scols_line_set_data(ln, 1, vl_device());
	return vl_doc_add(doc, tb);
}

int tv_print(const struct tv_output *o, const struct tv_collector *c,
	     const struct tv_snapshot *snap)
{
	struct libscols_table *tb = new_table(o);
	struct vl_doc doc;
	int ret;

	if (!tb)
		return -1;
	ret = fill(tb, o, snap);
	if (ret) {
		scols_unref_table(tb);
		return -1;
	}
	sort(tb, o, snap);
	vl_doc_init(&doc, o->json);
	ret = o->json ? add_source(&doc, c) : 0;
	if (ret)
		scols_unref_table(tb);
	else
		ret = vl_doc_add(&doc, tb);
	return ret || vl_doc_end(&doc) ? -1 : 0;
}
