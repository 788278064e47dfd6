// SPDX-License-Identifier: GPL-2.0
/*
 * filemap: the lecture's two ways to use a file, side by side. read()
 * copies each byte from the kernel's page cache into a user buffer, one
 * system call per buffer; mmap() maps the page-cache pages themselves and
 * lets page faults bring them in, no copy and no call per record. For
 * each it counts system calls, bytes copied, page faults and time, and,
 * from /proc/self/pagemap, the entries and frames of the pages; mincore()
 * says which pages of the file are in the page cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

#define BUF (64 * 1024)

static int pagemap = -1;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/* This process's pagemap entry for addr: bit 63 present, bits 0-54 frame. */
static uint64_t pm(const void *addr)
{
	uint64_t e = 0;

	if (pread(pagemap, &e, 8,
		  (off_t)((uintptr_t)addr / vl_page_size() * 8)) != 8)
		return 0;
	return e;
}

static size_t present(const char *p, size_t pages)
{
	size_t i, n = 0;

	for (i = 0; i < pages; i++)
		n += pm(p + i * vl_page_size()) >> 63;
	return n;
}

static size_t in_page_cache(void *p, size_t pages)
{
	unsigned char *vec = malloc(pages);
	size_t i, n = 0;

	if (!vec || mincore(p, pages * vl_page_size(), vec)) {
		free(vec);
		return 0;
	}
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

static int make_file(const char *path, size_t size)
{
	static char block[BUF];
	size_t done;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (done = 0; done < size; done += BUF) {
		memset(block, (int)(done / BUF), sizeof(block));
		if (write(fd, block, BUF) != BUF) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: filemap [options] FILE\n"
		"Create FILE, read it with read() and then through mmap(); count system\n"
		"calls, bytes copied, page faults, pagemap entries and time (ms).\n\n"
		"  -s, --size SIZE   the file's size (default 8M; binary units K, M, G;\n"
		"                    a multiple of 64K, up to 1G)\n"
		"  -J, --json        one JSON document\n"
		"  -V, --version     version\n"
		"  -h, --help        this help\n"
		"\nExit status: 0 done, 1 failed (the file, mmap), 2 bad usage.\n");
}

/* The results: one line of text each, or with -J a document of three tables. */
struct result {
	const char *path;
	size_t size, pages, cached, calls, copied, before, after;
	long f_read, f_map;
	double t_read, t_map;
	uint64_t frame_map, frame_again, frame_buf;
	unsigned long sum;
};

static void print_text(const struct result *r)
{
	printf("file %s: %zu KiB, %zu pages; %zu of them in the page cache before the\n"
	       "mapping was touched (mincore)\n",
	       r->path, r->size / 1024, r->pages, r->cached);
	printf("METHOD SYSCALLS BYTES_COPIED FAULTS ENTRIES_BEFORE ENTRIES_AFTER MS\n");
	printf("read   %8zu %12zu %6ld %14s %13s %.2f\n", r->calls, r->copied,
	       r->f_read, "-", "-", r->t_read);
	printf("mmap   %8d %12d %6ld %14zu %13zu %.2f\n", 0, 0, r->f_map,
	       r->before, r->after, r->t_map);
	printf("frames of page 0: the mapping 0x%" PRIx64
	       ", a second mapping 0x%" PRIx64 ", the read() buffer 0x%" PRIx64
	       "\n",
	       r->frame_map, r->frame_again, r->frame_buf);
	printf("(checksum %lu)\n", r->sum);
}

static int print_json(const struct result *r)
{
	static const struct vl_col file_cols[] = {
		{ "PATH", 0 },		{ "KIB", VL_NUM },
		{ "PAGES", VL_NUM },	{ "CACHED", VL_NUM },
		{ "CHECKSUM", VL_NUM },
	};
	static const struct vl_col method_cols[] = {
		{ "METHOD", 0 },
		{ "SYSCALLS", VL_NUM },
		{ "BYTES_COPIED", VL_NUM },
		{ "FAULTS", VL_NUM },
		{ "ENTRIES_BEFORE", VL_NUM },
		{ "ENTRIES_AFTER", VL_NUM },
		{ "MS", VL_NUM },
	};
	static const struct vl_col frame_cols[] = {
		{ "MAPPING_PFN", VL_NUM },
		{ "SECOND_MAPPING_PFN", VL_NUM },
		{ "READ_BUFFER_PFN", VL_NUM },
	};
	struct libscols_table *ft = VL_TABLE("file", true, file_cols),
			      *mt = VL_TABLE("methods", true, method_cols),
			      *pt = VL_TABLE("frames", true, frame_cols);
	struct libscols_line *ln;
	struct vl_doc doc;

	ln = vl_line(ft, NULL);
	vl_line_set_name(ln, 0, r->path, 4096);
	vl_line_set_u64(ln, 1, r->size / 1024);
	vl_line_set_u64(ln, 2, r->pages);
	vl_line_set_u64(ln, 3, r->cached);
	vl_line_set_u64(ln, 4, r->sum);
	ln = vl_line(mt, NULL);
	vl_line_set_name(ln, 0, "read", 8);
	vl_line_set_u64(ln, 1, r->calls);
	vl_line_set_u64(ln, 2, r->copied);
	vl_line_set_i64(ln, 3, r->f_read);
	vl_line_set_fmt(ln, 6, "%.2f", r->t_read);
	ln = vl_line(mt, NULL);
	vl_line_set_name(ln, 0, "mmap", 8);
	vl_line_set_u64(ln, 1, 0);
	vl_line_set_u64(ln, 2, 0);
	vl_line_set_i64(ln, 3, r->f_map);
	vl_line_set_u64(ln, 4, r->before);
	vl_line_set_u64(ln, 5, r->after);
	vl_line_set_fmt(ln, 6, "%.2f", r->t_map);
	ln = vl_line(pt, NULL);
	vl_line_set_u64(ln, 0, r->frame_map);
	vl_line_set_u64(ln, 1, r->frame_again);
	vl_line_set_u64(ln, 2, r->frame_buf);
	vl_doc_init(&doc, true);
	return vl_doc_add(&doc, ft) || vl_doc_add(&doc, mt) ||
			       vl_doc_add(&doc, pt) || vl_doc_end(&doc) ?
		       -1 :
		       0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char buf[BUF];
	struct result r = { .size = 8UL << 20 };
	size_t i;
	double t0;
	long f0;
	char *map, *again;
	bool json = false;
	ssize_t n;
	int fd, c;

	vl_init(argv, "filemap");
	while ((c = getopt_long(argc, argv, "s:JVh", longopts, NULL)) != -1) {
		if (c == 's') {
			r.size = vl_opt_size("--size", optarg, BUF, 1UL << 30);
			if (r.size % BUF)
				vl_bad_arg("--size", optarg,
					   "not a multiple of 64K");
		} else if (c == 'J') {
			json = true;
		} else {
			vl_other_option(c, usage);
		}
	}
	if (optind == argc)
		vl_usage_error("no FILE given");
	if (optind + 1 < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind + 1]);
	r.path = argv[optind];
	r.pages = r.size / vl_page_size();
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap < 0) {
		vl_error("/proc/self/pagemap: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	fd = make_file(r.path, r.size);
	if (fd < 0) {
		vl_error("%s: %s", r.path, strerror(errno));
		return VL_EXIT_FAIL;
	}

	/* read(): every byte copied into buf */
	lseek(fd, 0, SEEK_SET);
	f0 = minor_faults();
	t0 = now_ms();
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		r.calls++;
		r.copied += (size_t)n;
		for (i = 0; i < (size_t)n; i += vl_page_size())
			r.sum += (unsigned char)buf[i];
	}
	r.t_read = now_ms() - t0;
	r.f_read = minor_faults() - f0;

	/* mmap(): the page-cache pages themselves, brought in by faults */
	map = mmap(NULL, r.size, PROT_READ, MAP_SHARED, fd, 0);
	again = mmap(NULL, vl_page_size(), PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || again == MAP_FAILED) {
		vl_error("mmap: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	r.cached = in_page_cache(map, r.pages);
	r.before = present(map, r.pages);
	f0 = minor_faults();
	t0 = now_ms();
	for (i = 0; i < r.pages; i++)
		r.sum += (unsigned char)map[i * vl_page_size()];
	r.t_map = now_ms() - t0;
	r.f_map = minor_faults() - f0;
	r.after = present(map, r.pages);
	(void)*(volatile char *)again;
	r.frame_map = pm(map) & ((1ULL << 55) - 1);
	r.frame_again = pm(again) & ((1ULL << 55) - 1);
	r.frame_buf = pm(buf) & ((1ULL << 55) - 1);
	munmap(map, r.size);
	munmap(again, vl_page_size());
	close(fd);
	if (json)
		return print_json(&r) ? VL_EXIT_FAIL : VL_EXIT_OK;
	print_text(&r);
	return VL_EXIT_OK;
}
