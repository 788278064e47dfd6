/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tools' tables, all through libsmartcols: columns declared once as
 * data, cells set from numbers, and one output document per run, however
 * many tables it holds: text, or with -J one JSON object whose members
 * are the tables (util-linux 2.38 prints one object per table).
 */
#ifndef VMLAB_TABLE_H
#define VMLAB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libsmartcols.h>

enum vl_col_flags {
	VL_NUM = 1, /* right-aligned; a JSON number ("" is null) */
	VL_TREE = 2, /* the tree column of a tree table */
	VL_BOOL = 4, /* a JSON true/false ("1"/"0" in text) */
};

struct vl_col {
	const char *name; /* the header; lower-cased, the JSON key */
	unsigned int flags;
};

/* A table named name (the JSON key) with ncols columns, or NULL. */
struct libscols_table *vl_table_new(const char *name, bool json,
				    const struct vl_col *cols, size_t ncols);
#define VL_TABLE(name, json, cols) \
	vl_table_new(name, json, cols, sizeof(cols) / sizeof((cols)[0]))

/* A new line (under parent, for trees); NULL when out of memory. */
struct libscols_line *vl_line(struct libscols_table *tb,
			      struct libscols_line *parent);

/* Cell col of ln: 0 or -errno. */
int vl_line_set_u64(struct libscols_line *ln, size_t col, uint64_t v);
int vl_line_set_i64(struct libscols_line *ln, size_t col, int64_t v);
int vl_line_set_hex(struct libscols_line *ln, size_t col, uint64_t v);
int vl_line_set_bool(struct libscols_line *ln, size_t col, bool v);
/* Cells 0 to n - 1 of ln, a row of counts, from v: 0 or the first -errno. */
int vl_line_set_u64s(struct libscols_line *ln, const uint64_t *v, size_t n);
/* vl_line_set_u64s() with the values listed: VL_LINE_U64S(ln, a, b, c). */
#define VL_LINE_U64S(ln, ...)                                        \
	vl_line_set_u64s(ln, (const uint64_t[]){ __VA_ARGS__ },      \
			 sizeof((const uint64_t[]){ __VA_ARGS__ }) / \
				 sizeof(uint64_t))
/*
 * Text from elsewhere (a thread's name, a path, a region's name): bytes
 * outside printable ASCII, and a backslash before x, as \xHH. Every such
 * cell goes through here: the tables do not escape (noencoding).
 */
int vl_line_set_name(struct libscols_line *ln, size_t col, const char *s,
		     size_t max);
int vl_line_set_fmt(struct libscols_line *ln, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The output of one run. Text: each table is printed when added, and
 * text lines go to stdout. JSON: text lines are dropped and the tables
 * wait for vl_doc_end(), which prints them as one object.
 */
struct vl_doc {
	bool json;
	char *body; /* JSON: the members so far, comma separated */
	size_t len;
};

void vl_doc_init(struct vl_doc *doc, bool json);
/* Print or keep tb, then free it: 0 or -errno. */
int vl_doc_add(struct vl_doc *doc, struct libscols_table *tb);
/* A text line (printf format); nothing in JSON. */
void vl_doc_text(struct vl_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* JSON: the one object; then flush stdout: 0 or -errno. */
int vl_doc_end(struct vl_doc *doc);

#endif
