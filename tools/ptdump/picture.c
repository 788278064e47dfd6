// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump --svg: the address space as a picture (SVG by hand: a map with
 * broken axes), and with --tree the page-table pages that exist (DOT,
 * drawn by Graphviz). Both from the walk the tables come from.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ptdump.h"
#include "svg.h"
#include "vmlab_pt.h"

/* ---- the map ---------------------------------------------------------------- */

#define MAP_W 980
#define BAR_X 150
#define BAR_W 260
#define LABEL_X (BAR_X + BAR_W + 12)
#define CLUSTER_H 560.0 /* a run of close mappings gets at most this */
#define MIN_H 3.0 /* a mapping too small to scale still shows */
#define MAX_GAP_H 24.0 /* a small hole inside a cluster, to scale up to this */
#define BREAK_H 30.0 /* a broken axis across a large hole */
#define JOIN_GAP (64ULL << 20) /* holes up to this stay to scale */
#define MAX_SHAPES 1000 /* beyond, neighbouring mappings share a shape */

/* Sizes rounded for reading: "118.5 TiB". */
static void approx_size(uint64_t b, char *buf, size_t len)
{
	static const char *const u[] = { "B",	"KiB", "MiB", "GiB",
					 "TiB", "PiB", "EiB" };
	double v = (double)b;
	int i = 0;

	while (v >= 1024 && i < 6) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, v == (double)(uint64_t)v ? "%.0f %s" : "%.1f %s", v,
		 u[i]);
}

static const char *vma_colour(const char *label)
{
	if (label[0] == '/')
		return "#6a3d9a"; /* a file */
	if (!strcmp(label, "[stack]"))
		return "#ff7f00";
	if (!strcmp(label, "[heap]"))
		return "#b15928";
	if (!strcmp(label, "[anon]"))
		return "#33a02c";
	return "#666666"; /* [vdso], [vvar], [vsyscall]... */
}

struct map_out {
	FILE *f;
	double y, last_label;
};

/* A break in the axis: [lo, hi) is not drawn, only said. */
static void map_break(struct map_out *m, uint64_t lo, uint64_t hi,
		      const char *what)
{
	double y = m->y + BREAK_H / 2;
	char sz[32];
	int i;

	approx_size(hi - lo, sz, sizeof(sz));
	fprintf(m->f, "<path class=\"break\" d=\"M%d %.1f", BAR_X - 10, y);
	for (i = 0; i <= BAR_W + 20; i += 10)
		fprintf(m->f, " L%d %.1f", BAR_X - 10 + i,
			y + (i / 10 % 2 ? -4 : 4));
	fprintf(m->f, "\" fill=\"none\" stroke=\"#999\"/>\n");
	fprintf(m->f,
		"<text x=\"%d\" y=\"%.1f\" fill=\"#555\" font-style=\"italic\">%s: %s (0x%" PRIx64
		"-0x%" PRIx64 ")</text>\n",
		LABEL_X, y + 4, what, sz, lo, hi - 1 + (hi == 0));
	m->y += BREAK_H;
	m->last_label = m->y;
}

static void map_addr(struct map_out *m, double y, uint64_t va)
{
	fprintf(m->f,
		"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-family=\"monospace\" font-size=\"10\">0x%012" PRIx64
		"</text>\n",
		BAR_X - 6, y + 3, va);
}

static void map_fill(FILE *f, double y, double w, double h, const char *fill)
{
	fprintf(f,
		"<rect x=\"%d\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
		BAR_X, y, w, h, fill);
}

/* The name of v, and of the n - 1 after it in a shared shape (more: "%zu"). */
static void map_name(FILE *f, const struct vma *v, size_t n, const char *more)
{
	vl_svg_esc(f, v->label);
	if (n > 1)
		fprintf(f, more, n - 1);
}

/* The bar of one shape: n mappings vmas[0..n), drawn from y down, h high. */
static void map_shape(struct map_out *m, const struct target *t,
		      const struct vma_stat *st, size_t first, size_t n,
		      double h)
{
	const struct vma *v = &t->vmas[first], *last = &t->vmas[first + n - 1];
	uint64_t pages = 0, p = 0, a = 0, d = 0;
	char sz[32];
	size_t i;

	for (i = first; i < first + n; i++) {
		pages += (t->vmas[i].end - t->vmas[i].start) / VMLAB_PT_PAGE;
		p += st[i].present;
		a += st[i].accessed;
		d += st[i].dirty;
	}
	approx_size(last->end - v->start, sz, sizeof(sz));
	fprintf(m->f,
		"<g class=\"vma\" data-vmas=\"%zu\" data-pages=\"%" PRIu64
		"\" data-present=\"%" PRIu64 "\" data-accessed=\"%" PRIu64
		"\" data-dirty=\"%" PRIu64 "\"><title>",
		n, pages, p, a, d);
	fprintf(m->f, "0x%" PRIx64 "-0x%" PRIx64 " %s ", v->start, last->end,
		n > 1 ? "" : v->perms);
	map_name(m->f, v, n, " and %zu more mappings");
	fprintf(m->f,
		": %s, %" PRIu64 " pages, %" PRIu64 " present, %" PRIu64
		" accessed, %" PRIu64 " dirty</title>\n",
		sz, pages, p, a, d);
	fprintf(m->f,
		"<rect x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"#f4f4f4\" stroke=\"%s\" stroke-width=\"0.8\"/>\n",
		BAR_X, m->y, BAR_W, h, vma_colour(v->label));
	/* present over the bar, accessed over its middle, dirty its bottom */
	if (pages && p)
		map_fill(m->f, m->y, BAR_W * (double)p / pages, h, "#a6cee3");
	if (pages && a)
		map_fill(m->f, m->y + h / 3, BAR_W * (double)a / pages, h / 3,
			 "#1f78b4");
	if (pages && d)
		map_fill(m->f, m->y + 2 * h / 3, BAR_W * (double)d / pages,
			 h / 3, "#e31a1c");
	fprintf(m->f, "</g>\n");
	/* A label where it does not run into the one above. */
	if (m->y + h / 2 - m->last_label >= 11) {
		double y = m->y + h / 2 + 4;

		fprintf(m->f,
			"<text x=\"%d\" y=\"%.1f\"><tspan font-family=\"monospace\" font-size=\"10\">%s %8s</tspan> ",
			LABEL_X, y, n > 1 ? "    " : v->perms, sz);
		map_name(m->f, v, n, " +%zu");
		fprintf(m->f,
			" <tspan fill=\"#555\">%" PRIu64 "/%" PRIu64 "/%" PRIu64
			" of %" PRIu64 "</tspan></text>\n",
			p, a, d, pages);
		m->last_label = y;
	}
	m->y += h;
}

/*
 * Mappings first..last (address order) are close together: drawn from the
 * highest down, to one scale, except that each shows at least MIN_H.
 */
static void map_cluster(struct map_out *m, const struct target *t,
			const struct vma_stat *st, size_t first, size_t last,
			size_t per)
{
	uint64_t span = t->vmas[last].end - t->vmas[first].start;
	double scale = CLUSTER_H / (double)span;
	size_t i = last + 1;

	if (scale > 2.0 / VMLAB_PT_PAGE)
		scale = 2.0 / VMLAB_PT_PAGE; /* a page: 2 px at most */
	map_addr(m, m->y, t->vmas[last].end);
	while (i > first) {
		size_t n = 1, lo;
		double h;

		/* from the top down: a shape takes up to per same-named mappings */
		while (i - n > first && n < per &&
		       !strcmp(t->vmas[i - n - 1].label, t->vmas[i - 1].label))
			n++;
		lo = i - n;
		h = (double)(t->vmas[i - 1].end - t->vmas[lo].start) * scale;
		map_shape(m, t, st, lo, n, h < MIN_H ? MIN_H : h);
		i = lo;
		if (i > first) {
			double g = (double)(t->vmas[i].start -
					    t->vmas[i - 1].end) *
				   scale;

			m->y += g > MAX_GAP_H ? MAX_GAP_H : g;
		}
	}
	map_addr(m, m->y, t->vmas[first].start);
}

static void map_legend(FILE *f, const struct target *t, const char *title)
{
	static const struct {
		const char *fill, *what;
	} keys[] = {
		{ "#f4f4f4", "mapped, no entry" },
		{ "#a6cee3", "present" },
		{ "#1f78b4", "accessed" },
		{ "#e31a1c", "dirty" },
	};
	size_t i;

	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"15\">");
	vl_svg_esc(f, title);
	fprintf(f,
		"</text>\n<text x=\"10\" y=\"38\" fill=\"#555\">%zu mappings, %d-level paging; "
		"each bar's fill: the share of its pages present, accessed, dirty "
		"(labels: perms, size, mapping, present/accessed/dirty of pages)</text>\n",
		t->nvmas, t->levels);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fprintf(f,
			"<rect x=\"%zu\" y=\"48\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#999\"/>"
			"<text x=\"%zu\" y=\"58\">%s</text>\n",
			10 + 150 * i, keys[i].fill, 26 + 150 * i, keys[i].what);
}

/* Draw in a memory stream first: the height is known at the end. */
int ptdump_map_svg(const struct target *t, const struct vma_stat *st,
		   const char *title, const char *path)
{
	uint64_t top = t->user_top;
	uint64_t khalf = 0 - top; /* the kernel half starts here */
	size_t per = (t->nvmas + MAX_SHAPES - 1) / MAX_SHAPES, nuser = 0, i;
	struct map_out m = { .y = 72, .last_label = 0 };
	char *body = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	m.f = open_memstream(&body, &len);
	if (!m.f)
		return -ENOMEM;
	while (nuser < t->nvmas && t->vmas[nuser].start < top)
		nuser++;
	/* The kernel half: what of it the process sees (the vsyscall page). */
	fprintf(m.f,
		"<rect class=\"kernel\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#eeeeee\"/>"
		"<text x=\"%d\" y=\"%.1f\" fill=\"#555\">kernel half: 0x%" PRIx64
		"-0xffffffffffffffff, not user space</text>\n",
		BAR_X, m.y, BAR_W, 20, LABEL_X, m.y + 14, khalf);
	m.y += 20;
	m.last_label = m.y;
	if (nuser < t->nvmas)
		map_cluster(&m, t, st, nuser, t->nvmas - 1, per);
	map_break(&m, top, khalf,
		  t->arch == VMLAB_ARCH_ARM64 ?
			  "between TTBR0 and TTBR1, no address valid" :
			  "non-canonical hole, no address valid");
	/* User space, from the top down: clusters and the holes between. */
	i = nuser;
	if (!i)
		map_break(&m, 0, top, "nothing mapped");
	while (i > 0) {
		size_t hi = i - 1, lo = hi;
		uint64_t above = hi + 1 < nuser ? t->vmas[hi + 1].start : top;

		if (above - t->vmas[hi].end > JOIN_GAP || hi + 1 == nuser)
			map_break(&m, t->vmas[hi].end, above,
				  hi + 1 == nuser ? "unmapped to the top" :
						    "hole");
		while (lo > 0 &&
		       t->vmas[lo].start - t->vmas[lo - 1].end <= JOIN_GAP)
			lo--;
		map_cluster(&m, t, st, lo, hi, per);
		i = lo;
		if (!i && t->vmas[0].start)
			map_break(&m, 0, t->vmas[0].start, "unmapped from 0");
	}
	if (fclose(m.f)) {
		free(body);
		return -ENOMEM;
	}
	f = vl_svg_open(path, MAP_W, (int)m.y + 20);
	if (!f) {
		ret = -errno;
		free(body);
		return ret;
	}
	map_legend(f, t, title);
	fwrite(body, 1, len, f);
	free(body);
	return vl_svg_close(f);
}

/* ---- the tree of page-table pages ---------------------------------------------- */

/* One table, or (n > 1) tables of one level drawn as one node. */
struct pt_node {
	uint64_t va; /* the first address it maps */
	uint64_t n; /* tables */
	uint64_t used; /* entries in use, over the n tables */
	uint64_t leaves; /* of them, huge-page entries (PMD, PUD) */
	uint64_t empty; /* tables that exist with no entry found below */
};

struct pt_level {
	struct pt_node *v;
	size_t n, cap;
};

struct tree {
	struct pt_level lv[4]; /* 0 PTE tables, 1 PMD, 2 PUD, 3 P4D */
	int levels;
	uint64_t user_top;
};

/* Span mapped by one table of level i (0: a PTE table maps 2M of 4K pages). */
static uint64_t table_span(int i)
{
	return vmlab_pt_level_size(VMLAB_LEVEL_PMD + i);
}

/* Room for one more node at level l: 0 or -ENOMEM. */
static int level_room(struct pt_level *l)
{
	size_t cap = l->cap ? 2 * l->cap : 64;
	struct pt_node *v;

	if (l->n < l->cap)
		return 0;
	v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	l->cap = cap;
	return 0;
}

/* The node of level i for va, appended if new: walk order is address order. */
static struct pt_node *tree_node(struct tree *tr, int i, uint64_t va)
{
	struct pt_level *l = &tr->lv[i];
	uint64_t slot = va & ~(table_span(i) - 1);

	if (l->n && l->v[l->n - 1].va == slot)
		return &l->v[l->n - 1];
	if (level_room(l))
		return NULL;
	memset(&l->v[l->n], 0, sizeof(*l->v));
	l->v[l->n].va = slot;
	l->v[l->n].n = 1;
	return &l->v[l->n++];
}

/* Entry count of a new table at level i: one more in its parent. */
static int tree_add(struct tree *tr, int i, uint64_t va, uint64_t entries,
		    bool leaf)
{
	for (; i < 4; i++) {
		struct pt_node *nd;
		bool fresh;

		if (i == 3 && tr->levels == 4)
			return 0; /* no P4D tables: the PGD points at PUDs */
		fresh = !tr->lv[i].n || tr->lv[i].v[tr->lv[i].n - 1].va !=
						(va & ~(table_span(i) - 1));
		nd = tree_node(tr, i, va);
		if (!nd)
			return -ENOMEM;
		nd->used += entries;
		nd->leaves += leaf ? entries : 0;
		if (!fresh)
			return 0;
		entries = 1; /* a new table: one entry above points at it */
		leaf = false;
	}
	return 0;
}

static int tree_rec(const struct vmlab_pte *r, void *arg)
{
	struct tree *tr = arg;
	uint64_t sz = vmlab_pt_level_size(r->level);
	int i = r->level == VMLAB_LEVEL_PUD ? 2 :
		r->level == VMLAB_LEVEL_PMD ? 1 :
					      0;
	uint64_t va = r->va, end = r->va + r->nr * sz;
	int ret = 0;

	/* a run may cross tables: count it table by table */
	while (!ret && va < end) {
		uint64_t stop = (va | (table_span(i) - 1)) + 1;

		if (stop > end || !stop)
			stop = end;
		ret = tree_add(tr, i, va, (stop - va) / sz, i > 0);
		va = stop;
	}
	return ret;
}

/* Tables the kernel walked under [start, end): tables[0] PTE ... [4] PGD. */
static int count_tables(const struct target *t, uint64_t start, uint64_t end,
			uint64_t tables[5])
{
	struct vmlab_pt_query q;
	int ret;

	ptdump_query_init(t, start, end, &q);
	ret = VMLAB_CALL(t->fd, VMLAB_IOC_PT_QUERY, &q);
	memcpy(tables, q.tables, sizeof(q.tables));
	return ret;
}

static size_t tree_find(const struct pt_level *l, uint64_t slot)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->v[mid].va < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Tables with no entry (after munmap or MADV_DONTNEED) have no record:
 * where the kernel counts more PTE tables under a PMD table than the
 * records show, the rest are empty; a PMD table with no record at all
 * is added, as empty.
 */
static int tree_empty(struct tree *tr, const struct target *t, uint64_t start,
		      uint64_t end)
{
	uint64_t tables[5], g = table_span(1), slot, prev = 1;
	size_t i;
	int ret = count_tables(t, start, end, tables);

	if (ret)
		return ret;
	if (tables[0] == tr->lv[0].n && tables[1] == tr->lv[1].n)
		return 0; /* no empty table: nothing to look for */
	for (i = 0; i < t->nvmas; i++) {
		uint64_t s = t->vmas[i].start > start ? t->vmas[i].start :
							start;
		uint64_t e = t->vmas[i].end < end ? t->vmas[i].end : end;

		for (slot = s & ~(g - 1); s < e && slot < e; slot += g) {
			struct pt_level *l = &tr->lv[1];
			uint64_t pte = 0;
			size_t k, j;

			if (slot == prev)
				continue;
			prev = slot;
			ret = count_tables(t, slot, slot + g, tables);
			if (ret)
				return ret;
			if (!tables[1])
				continue;
			k = tree_find(l, slot);
			if (k == l->n || l->v[k].va != slot) {
				/* a PMD table with no record below: insert it */
				struct pt_node nd = { .va = slot, .n = 1 };
				size_t u =
					tree_find(&tr->lv[2],
						  slot & ~(table_span(2) - 1));

				if (level_room(l))
					return -ENOMEM;
				memmove(&l->v[k + 1], &l->v[k],
					(l->n - k) * sizeof(*l->v));
				l->v[k] = nd;
				l->n++;
				if (u < tr->lv[2].n &&
				    tr->lv[2].v[u].va ==
					    (slot & ~(table_span(2) - 1)))
					tr->lv[2].v[u].used++;
			}
			for (j = tree_find(&tr->lv[0], slot);
			     j < tr->lv[0].n && tr->lv[0].v[j].va < slot + g;
			     j++)
				pte++;
			if (tables[0] > pte)
				l->v[k].empty = tables[0] - pte;
		}
	}
	return 0;
}

static const char *const lv_name[] = { "PTE", "PMD", "PUD", "P4D", "PGD" };
static const char *const lv_id[] = { "pte", "pmd", "pud", "p4d", "pgd" };

#define KIDS_MAX 12 /* children of a node drawn one by one; beyond, as one */

static void dot_node(FILE *f, int i, const struct pt_node *nd, bool empty)
{
	uint64_t n = empty ? nd->empty : nd->n;
	char span[32];

	approx_size(vmlab_pt_level_size(VMLAB_LEVEL_PTE + i), span,
		    sizeof(span)); /* an entry's */
	fprintf(f, "  \"%s_%" PRIu64 "_%" PRIx64 "%s\" [label=\"", lv_id[i], n,
		nd->va, empty ? "_empty" : "");
	if (empty)
		fprintf(f, "%" PRIu64 " empty %s table%s\\n(no entry in use)",
			n, lv_name[i], n > 1 ? "s" : "");
	else if (n > 1)
		fprintf(f,
			"%" PRIu64 " %s tables from 0x%" PRIx64 "\\n%" PRIu64
			" of %" PRIu64 " entries used",
			n, lv_name[i], nd->va, nd->used,
			n * vmlab_pt_entries());
	else
		fprintf(f,
			"%s table 0x%" PRIx64 "\\n%" PRIu64 "/%" PRIu64 " used",
			lv_name[i], nd->va, nd->used, vmlab_pt_entries());
	if (nd->leaves && !empty)
		fprintf(f, "\\n(%" PRIu64 " %s pages)", nd->leaves,
			ptdump_level_name(i == 1 ? VMLAB_LEVEL_PMD :
						   VMLAB_LEVEL_PUD));
	fprintf(f, "\\nan entry maps %s\"%s];\n", span,
		empty ? ", style=dashed" :
		n > 1 ? ", style=\"filled\"" :
			"");
}

static void dot_edge(FILE *f, int pi, const struct pt_node *p, int ci,
		     const struct pt_node *c, bool empty)
{
	fprintf(f,
		"  \"%s_%" PRIu64 "_%" PRIx64 "\" -> \"%s_%" PRIu64 "_%" PRIx64
		"%s\";\n",
		lv_id[pi], p->n, p->va, lv_id[ci], empty ? c->empty : c->n,
		c->va, empty ? "_empty" : "");
}

/* Nodes [a, b) of level i as one node (merged into *out). */
static void merge(const struct pt_level *l, size_t a, size_t b,
		  struct pt_node *out)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	out->va = l->v[a].va;
	for (k = a; k < b; k++) {
		out->n += l->v[k].n;
		out->used += l->v[k].used;
		out->leaves += l->v[k].leaves;
		out->empty += l->v[k].empty;
	}
}

/*
 * The children of parent p (level i + 1) at level i: nodes [a, b) of the
 * level, drawn each, or as one node when there are more than KIDS_MAX;
 * then their children the same way.
 */
static void dot_kids(FILE *f, const struct tree *tr, int pi,
		     const struct pt_node *p, size_t a, size_t b)
{
	int i = pi - 1;
	const struct pt_level *l;
	struct pt_node one;
	size_t k, c0, c1;

	while (i == 3 && tr->levels == 4)
		i--; /* the 4-level PGD points at PUD tables */
	if (i < 0)
		return;
	l = &tr->lv[i];
	if (i == 0 && p->empty) {
		dot_node(f, 0, p, true);
		dot_edge(f, pi, p, 0, p, true);
	}
	if (a == b)
		return;
	if (b - a > KIDS_MAX) {
		merge(l, a, b, &one);
		dot_node(f, i, &one, false);
		dot_edge(f, pi, p, i, &one, false);
		if (i == 0)
			return;
		c0 = tree_find(&tr->lv[i - 1], l->v[a].va);
		c1 = tree_find(&tr->lv[i - 1], l->v[b - 1].va + table_span(i));
		dot_kids(f, tr, i, &one, c0, c1);
		return;
	}
	for (k = a; k < b; k++) {
		dot_node(f, i, &l->v[k], false);
		dot_edge(f, pi, p, i, &l->v[k], false);
		if (i > 0) {
			c0 = tree_find(&tr->lv[i - 1], l->v[k].va);
			c1 = tree_find(&tr->lv[i - 1],
				       l->v[k].va + table_span(i));
			dot_kids(f, tr, i, &l->v[k], c0, c1);
		}
	}
}

static void tree_dot(FILE *f, const struct tree *tr, const char *title)
{
	uint64_t total = 1, i, user = tr->user_top;
	struct pt_node pgd = { .va = 0, .n = 1 };
	char flat[32], user_sz[32], pgd_span[32];
	int top = tr->levels == 5 ? 3 : 2;

	for (i = 0; i < 4; i++)
		total += tr->lv[i].n;
	for (i = 0; i < tr->lv[1].n; i++)
		total += tr->lv[1].v[i].empty;
	pgd.used = tr->lv[top].n;
	approx_size(user / VMLAB_PT_PAGE * 8, flat, sizeof(flat));
	approx_size(user, user_sz, sizeof(user_sz));
	approx_size(vmlab_pt_level_size(VMLAB_LEVEL_PTE + tr->levels - 1),
		    pgd_span, sizeof(pgd_span));
	fprintf(f,
		"digraph pagetables {\n  rankdir=LR; nodesep=0.08; ranksep=0.5;\n"
		"  node [shape=box, margin=\"0.25,0.05\", fontname=\"sans-serif\", fontsize=10, fillcolor=\"#dde8f4\"];\n"
		"  labelloc=t; fontname=\"sans-serif\"; label=\"");
	for (; *title; title++)
		fprintf(f, *title == '"' || *title == '\\' ? "\\%c" : "%c",
			*title);
	fprintf(f,
		"\\n%" PRIu64 " page-table pages exist = %" PRIu64
		" KiB; one flat table for the %s of user space would need %s\";\n",
		total, total * VMLAB_PT_PAGE >> 10, user_sz, flat);
	fprintf(f,
		"  \"pgd_1_0\" [label=\"PGD\\n%" PRIu64 "/%" PRIu64
		" used\\nan entry maps %s\", style=filled, fillcolor=\"#f4dede\"];\n",
		pgd.used, vmlab_pt_entries(), pgd_span);
	dot_kids(f, tr, 4, &pgd, 0, tr->lv[top].n);
	fprintf(f, "}\n");
}

int ptdump_tree_svg(const struct target *t, uint64_t start, uint64_t end,
		    const char *title, const char *path)
{
	static const char *const argv[] = { "dot", "-Tsvg", NULL };
	struct tree tr = { .levels = t->levels, .user_top = t->user_top };
	struct vl_draw d;
	int ret, i;

	ret = ptdump_walk(t, start, end, VMLAB_PT_RUNS, tree_rec, &tr);
	if (!ret)
		ret = tree_empty(&tr, t, start, end);
	if (!ret) {
		if (vl_draw_open(&d, argv, "graphviz", path))
			ret = 1;
		else {
			tree_dot(d.in, &tr, title);
			ret = vl_draw_close(&d) ? 1 : 0;
		}
	}
	for (i = 0; i < 4; i++)
		free(tr.lv[i].v);
	return ret;
}
