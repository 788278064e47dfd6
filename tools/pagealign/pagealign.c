// SPDX-License-Identifier: GPL-2.0
/*
 * pagealign: can a page start at an address that is not a multiple of the
 * page size? Asked of the kernel: mmap with MAP_FIXED at an aligned address
 * and at the same address plus an offset, and mmap with the unaligned
 * address as a mere hint; each result is printed as it came back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "jvh.h"
#include "table.h"

static const struct vl_col cols[] = {
	{ "TRY", 0 },		{ "ADDR", 0 },	{ "MAPPED_AT", 0 },
	{ "ALIGNED", VL_BOOL }, { "ERROR", 0 },
};

static void try_map(struct vl_doc *doc, struct libscols_table *tb,
		    const char *what, void *addr, int flags, long page)
{
	void *p = mmap(addr, (size_t)page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	const char *err = errno == EINVAL ? "EINVAL" : strerror(errno);
	struct libscols_line *ln = vl_line(tb, NULL);
	bool aligned = (uintptr_t)p % (uintptr_t)page == 0;

	if (ln) {
		vl_line_set_name(ln, 0, what, 64);
		vl_line_set_hex(ln, 1, (uintptr_t)addr);
	}
	if (p == MAP_FAILED) {
		vl_doc_text(doc, "%-28s addr %p: failed, %s\n", what, addr,
			    err);
		if (ln)
			vl_line_set_name(ln, 4, err, 64);
		return;
	}
	vl_doc_text(doc, "%-28s addr %p: mapped at %p (%sa multiple of %ld)\n",
		    what, addr, p, aligned ? "" : "not ", page);
	if (ln) {
		vl_line_set_hex(ln, 2, (uintptr_t)p);
		vl_line_set_bool(ln, 3, aligned);
	}
	munmap(p, (size_t)page);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pagealign [options] [OFFSET]\n"
		"Map one page with MAP_FIXED at a page boundary, at OFFSET bytes past it,\n"
		"and with that address as a hint only; print what mmap returned.\n\n"
		"  OFFSET          bytes past the boundary: decimal or 0x hex, above 0 and\n"
		"                  below the page size (default 0x123)\n"
		"  -J, --json      one JSON document\n"
		"  -V, --version   version\n"
		"  -h, --help      this help\n"
		"\nExit status: 0 done, 1 failed (mmap), 2 bad usage.\n");
}

int main(int argc, char **argv)
{
	static const struct vl_col page_cols[] = {
		{ "PAGE_SIZE", VL_NUM },
		{ "PAGES_32BIT", VL_NUM },
	};
	long page = sysconf(_SC_PAGESIZE);
	uint64_t offset = 0x123;
	struct libscols_table *tb, *pt;
	struct libscols_line *ln;
	struct vl_doc doc;
	char *probe;
	bool json;

	vl_init(argv, "pagealign");
	json = vl_jvh_options(argc, argv, usage);
	if (argc - optind > 1)
		vl_usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (optind < argc)
		offset = vl_opt_uint("OFFSET", argv[optind], 1,
				     (uint64_t)page - 1);
	vl_doc_init(&doc, json);
	pt = VL_TABLE("page", json, page_cols);
	tb = VL_TABLE("mmap", json, cols);
	if (!pt || !tb) {
		vl_error("out of memory");
		return VL_EXIT_FAIL;
	}
	vl_doc_text(
		&doc,
		"page size: %ld bytes; a 32-bit address space holds 2^32 / %ld = %lld pages\n",
		page, page, (1LL << 32) / page);
	ln = vl_line(pt, NULL);
	if (ln) {
		vl_line_set_u64(ln, 0, (uint64_t)page);
		vl_line_set_u64(ln, 1, (1ULL << 32) / (uint64_t)page);
	}
	/* an address the kernel just handed out, free again */
	probe = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (probe == MAP_FAILED) {
		vl_error("mmap: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	munmap(probe, (size_t)page);
	try_map(&doc, tb, "MAP_FIXED, aligned", probe, MAP_FIXED, page);
	try_map(&doc, tb, "MAP_FIXED, aligned + offset", probe + offset,
		MAP_FIXED, page);
	try_map(&doc, tb, "hint only, aligned + offset", probe + offset, 0,
		page);
	if (json && (vl_doc_add(&doc, pt) || vl_doc_add(&doc, tb)))
		return VL_EXIT_FAIL;
	if (!json) {
		scols_unref_table(pt);
		scols_unref_table(tb);
	}
	return vl_doc_end(&doc) ? VL_EXIT_FAIL : VL_EXIT_OK;
}
