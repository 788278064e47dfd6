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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
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

	if (pread(pagemap, &e, 8, (off_t)((uintptr_t)addr / PAGE * 8)) != 8)
		return 0;
	return e;
}

static size_t present(const char *p, size_t pages)
{
	size_t i, n = 0;

	for (i = 0; i < pages; i++)
		n += pm(p + i * PAGE) >> 63;
	return n;
}

static size_t in_page_cache(void *p, size_t pages)
{
	unsigned char *vec = malloc(pages);
	size_t i, n = 0;

	if (!vec || mincore(p, pages * PAGE, vec)) {
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
		if (write(fd, block, BUF) != BUF)
			return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	static char buf[BUF];
	size_t size = 8UL << 20, pages, i, calls = 0, copied = 0, before, after,
	       cached;
	unsigned long sum = 0;
	double t0, t_read, t_map;
	long f0, f_read, f_map;
	char *map, *again;
	ssize_t n;
	int fd;

	if (argc < 2 || argc > 3 || argv[1][0] == '-') {
		fprintf(stderr,
			"usage: filemap FILE [MiB]   (created; default 8 MiB)\n");
		return 2;
	}
	if (argc == 3)
		size = strtoul(argv[2], NULL, 10) << 20;
	if (!size || size > (1UL << 30)) {
		fprintf(stderr, "filemap: size must be 1..1024 MiB\n");
		return 2;
	}
	pages = size / PAGE;
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	fd = make_file(argv[1], size);
	if (fd < 0 || pagemap < 0) {
		perror("filemap");
		return 1;
	}

	/* read(): every byte copied into buf */
	lseek(fd, 0, SEEK_SET);
	f0 = minor_faults();
	t0 = now_ms();
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		calls++;
		copied += (size_t)n;
		for (i = 0; i < (size_t)n; i += PAGE)
			sum += (unsigned char)buf[i];
	}
	t_read = now_ms() - t0;
	f_read = minor_faults() - f0;

	/* mmap(): the page-cache pages themselves, brought in by faults */
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	again = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || again == MAP_FAILED) {
		perror("filemap: mmap");
		return 1;
	}
	cached = in_page_cache(map, pages);
	before = present(map, pages);
	f0 = minor_faults();
	t0 = now_ms();
	for (i = 0; i < pages; i++)
		sum += (unsigned char)map[i * PAGE];
	t_map = now_ms() - t0;
	f_map = minor_faults() - f0;
	after = present(map, pages);
	(void)*(volatile char *)again;

	printf("file %s: %zu KiB, %zu pages; %zu of them in the page cache before the\n"
	       "mapping was touched (mincore)\n",
	       argv[1], size / 1024, pages, cached);
	printf("METHOD SYSCALLS BYTES_COPIED FAULTS ENTRIES_BEFORE ENTRIES_AFTER MS\n");
	printf("read   %8zu %12zu %6ld %14s %13s %.2f\n", calls, copied, f_read,
	       "-", "-", t_read);
	printf("mmap   %8d %12d %6ld %14zu %13zu %.2f\n", 0, 0, f_map, before,
	       after, t_map);
	printf("frames of page 0: the mapping 0x%jx, a second mapping 0x%jx, the read() buffer 0x%jx\n",
	       (uintmax_t)(pm(map) & ((1ULL << 55) - 1)),
	       (uintmax_t)(pm(again) & ((1ULL << 55) - 1)),
	       (uintmax_t)(pm(buf) & ((1ULL << 55) - 1)));
	printf("(checksum %lu)\n", sum);
	munmap(map, size);
	munmap(again, PAGE);
	close(fd);
	return 0;
}
