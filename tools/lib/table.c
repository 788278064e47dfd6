// SPDX-License-Identifier: GPL-2.0
/* The tools' tables, all through libsmartcols (see table.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct libscols_table *vl_table_new(const char *name, bool json,
				    const struct vl_col *cols, size_t ncols)
{
	struct libscols_table *tb = scols_new_table();
	size_t i;

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, json);
	/*
	 * Text from elsewhere is escaped by vl_line_set_name, the same in
	 * text and JSON; libsmartcols would escape its backslashes again.
	 */
	scols_table_enable_noencoding(tb, 1);
	scols_table_set_name(tb, name);
	for (i = 0; i < ncols; i++) {
		unsigned int f = cols[i].flags;
		struct libscols_column *cl = scols_table_new_column(
			tb, cols[i].name, 0,
			(f & VL_NUM ? SCOLS_FL_RIGHT : 0) |
				(f & VL_TREE ? SCOLS_FL_TREE : 0));

		if (!cl) {
			scols_unref_table(tb);
			return NULL;
		}
		if (f & VL_NUM)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
		else if (f & VL_BOOL)
			scols_column_set_json_type(cl, SCOLS_JSON_BOOLEAN);
	}
	return tb;
}

struct libscols_line *vl_line(struct libscols_table *tb,
			      struct libscols_line *parent)
{
	return scols_table_new_line(tb, parent);
}

int vl_line_set_fmt(struct libscols_line *ln, size_t col, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return scols_line_set_data(ln, col, buf);
}

int vl_line_set_name(struct libscols_line *ln, size_t col, const char *s,
		     size_t max)
{
	char buf[4 * 256 + 1];
	size_t i, n = 0;

	for (i = 0; i < max && s[i] && n + 5 < sizeof(buf); i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch > 0x7e || (ch == '\\' && s[i + 1] == 'x'))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
					      "\\x%02x", ch);
		else
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	return scols_line_set_data(ln, col, buf);
}

int vl_line_set_u64(struct libscols_line *ln, size_t col, uint64_t v)
{
	return vl_line_set_fmt(ln, col, "%" PRIu64, v);
}

int vl_line_set_u64s(struct libscols_line *ln, const uint64_t *v, size_t n)
{
	size_t col;
	int ret = 0, r;

	for (col = 0; col < n; col++) {
		r = vl_line_set_u64(ln, col, v[col]);
		if (!ret)
			ret = r;
	}
	return ret;
}

int vl_line_set_i64(struct libscols_line *ln, size_t col, int64_t v)
{
	return vl_line_set_fmt(ln, col, "%" PRId64, v);
}

int vl_line_set_hex(struct libscols_line *ln, size_t col, uint64_t v)
{
	return vl_line_set_fmt(ln, col, "0x%" PRIx64, v);
}

int vl_line_set_bool(struct libscols_line *ln, size_t col, bool v)
{
	return scols_line_set_data(ln, col, v ? "1" : "0");
}

void vl_doc_init(struct vl_doc *doc, bool json)
{
	memset(doc, 0, sizeof(*doc));
	doc->json = json;
}

/* Keep what is between the outer braces of one table's JSON. */
static int keep_members(struct vl_doc *doc, const char *s)
{
	const char *open = strchr(s, '{'), *close = strrchr(s, '}');
	size_t n;
	char *b;

	if (!open || !close || close < open)
		return -EIO;
	n = (size_t)(close - open - 1);
	b = realloc(doc->body, doc->len + n + 2);
	if (!b)
		return -ENOMEM;
	doc->body = b;
	if (doc->len)
		b[doc->len++] = ',';
	memcpy(b + doc->len, open + 1, n);
	doc->len += n;
	b[doc->len] = '\0';
	return 0;
}

int vl_doc_add(struct vl_doc *doc, struct libscols_table *tb)
{
	char *s = NULL;
	int ret;

	if (!tb)
		return -ENOMEM;
	if (!doc->json) {
		ret = scols_print_table(tb);
	} else {
		ret = scols_print_table_to_string(tb, &s);
		if (!ret)
			ret = keep_members(doc, s);
		free(s);
	}
	scols_unref_table(tb);
	return ret < 0 ? ret : ret ? -EIO : 0;
}

void vl_doc_text(struct vl_doc *doc, const char *fmt, ...)
{
	va_list ap;

	if (doc->json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int vl_doc_end(struct vl_doc *doc)
{
	if (doc->json)
		printf("{%s\n}\n", doc->body ? doc->body : "");
	free(doc->body);
	doc->body = NULL;
	doc->len = 0;
	return fflush(stdout) ? -errno : 0;
}
