// SPDX-License-Identifier: GPL-2.0
/*
 * heapalloc: the storage-allocation lecture's allocator, for real. Blocks
 * with boundary tags (size and allocated bit at both ends), a prolog and
 * an epilog block (two tags, no payload, marked allocated) at the ends of
 * the heap, a circular doubly-linked free list whose links (flink, blink)
 * live in the free blocks' payloads, first fit, splitting, coalescing on
 * free, and sbrk to grow the heap, moving the epilog to its new end.
 * Steps given on the command line run in order; "dump" walks the heap and
 * the free list and checks them against each other. "bench" measures the
 * block accessors as functions, macros and inline functions at -O0/-O2.
 *
 * It never calls malloc (stdout has a static buffer), so glibc does not
 * move the program break behind its back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapalloc.h"

#define TAG sizeof(size_t)
#define ALIGN 16
#define MIN_BLOCK 32 /* two tags and two links */
#define CHUNK 4096 /* sbrk at least this much */
#define MAX_NAMES 32

static char *heap_start, *heap_end; /* [prolog, end of epilog) */
static block_t *flist_first;
static int sbrk_calls;

static struct {
	char name[16];
	void *payload;
} names[MAX_NAMES];

static size_t block_size(block_t *b)
{
	return b->size & -2;
}

static int block_allocated(block_t *b)
{
	return b->size & 1;
}

static size_t *block_footer(block_t *b)
{
	return (size_t *)((char *)b + block_size(b) - TAG);
}

static void block_set(block_t *b, size_t size, int allocated)
{
	b->size = size | (size_t)allocated;
	*block_footer(b) = b->size;
}

static block_t *block_next(block_t *b)
{
	return (block_t *)((char *)b + block_size(b));
}

static block_t *block_prev(block_t *b)
{
	size_t prev_size = ((size_t *)b)[-1] & -2;

	return (block_t *)((char *)b - prev_size);
}

static block_t *block_flink(block_t *b)
{
	return (block_t *)b->payload[0];
}

static void block_set_flink(block_t *b, block_t *next)
{
	b->payload[0] = (size_t)next;
}

static block_t *block_blink(block_t *b)
{
	return (block_t *)b->payload[1];
}

static void block_set_blink(block_t *b, block_t *prev)
{
	b->payload[1] = (size_t)prev;
}

/* At the head of the circular free list. */
static void insert_free_block(block_t *fb)
{
	if (flist_first) {
		block_t *last = block_blink(flist_first);

		block_set_flink(fb, flist_first);
		block_set_blink(fb, last);
		block_set_flink(last, fb);
		block_set_blink(flist_first, fb);
	} else {
		block_set_flink(fb, fb);
		block_set_blink(fb, fb);
	}
	flist_first = fb;
}

static void pull_free_block(block_t *fb)
{
	if (block_flink(fb) == fb) {
		flist_first = NULL;
		return;
	}
	block_set_flink(block_blink(fb), block_flink(fb));
	block_set_blink(block_flink(fb), block_blink(fb));
	if (flist_first == fb)
		flist_first = block_flink(fb);
}

/* Merge a free block (not on the list) with free neighbours; the result. */
static block_t *coalesce(block_t *b)
{
	block_t *next = block_next(b), *prev = block_prev(b);
	size_t size = block_size(b);

	if (!block_allocated(next)) {
		pull_free_block(next);
		size += block_size(next);
	}
	if (!block_allocated(prev)) {
		pull_free_block(prev);
		size += block_size(prev);
		b = prev;
	}
	block_set(b, size, 0);
	return b;
}

static block_t *epilog(void)
{
	return (block_t *)(heap_end - 2 * TAG);
}

/* Grow the heap by at least bytes: the old epilog becomes a free block. */
static int extend_heap(size_t bytes)
{
	size_t grow = bytes < CHUNK ? CHUNK :
				      (bytes + CHUNK - 1) / CHUNK * CHUNK;
	char *old_brk = sbrk(0), *p = sbrk((intptr_t)grow);
	block_t *b;

	if (p == (char *)-1 || p != heap_end)
		return -1;
	sbrk_calls++;
	printf("sbrk(+%zu): program break %p -> %p; the epilog moves to the new end\n",
	       grow, (void *)old_brk, sbrk(0));
	b = epilog();
	heap_end += grow;
	block_set(b, grow, 0);
	block_set(epilog(), 2 * TAG, 1);
	insert_free_block(coalesce(b));
	return 0;
}

static int heap_init(void)
{
	char *p = sbrk(CHUNK);

	if (p == (char *)-1)
		return -1;
	/* 16-byte aligned payloads: the prolog starts TAG before a boundary */
	heap_start = p + ((ALIGN - (uintptr_t)p % ALIGN) % ALIGN);
	heap_end = p + CHUNK - (CHUNK - (heap_start - p)) % ALIGN;
	sbrk_calls = 1;
	block_set((block_t *)heap_start, 2 * TAG, 1);
	block_set((block_t *)(heap_start + 2 * TAG),
		  heap_end - heap_start - 4 * TAG, 0);
	block_set(epilog(), 2 * TAG, 1);
	insert_free_block((block_t *)(heap_start + 2 * TAG));
	return 0;
}

static void *ha_malloc(size_t n)
{
	size_t asize = (n + 2 * TAG + ALIGN - 1) / ALIGN * ALIGN;
	block_t *b = flist_first;

	if (asize < MIN_BLOCK)
		asize = MIN_BLOCK;
	for (;;) {
		if (b && block_size(b) >= asize)
			break;
		b = b ? block_flink(b) : NULL;
		if (!b || b == flist_first) {
			if (extend_heap(asize))
				return NULL;
			b = flist_first;
		}
	}
	pull_free_block(b);
	if (block_size(b) - asize >= MIN_BLOCK) {
		block_t *rest = (block_t *)((char *)b + asize);

		block_set(rest, block_size(b) - asize, 0);
		insert_free_block(rest);
		block_set(b, asize, 1);
	} else {
		block_set(b, block_size(b), 1);
	}
	return b->payload;
}

static void ha_free(void *payload)
{
	block_t *b = (block_t *)((char *)payload - TAG);

	block_set(b, block_size(b), 0);
	insert_free_block(coalesce(b));
}

static const char *name_of(block_t *b)
{
	int i;

	for (i = 0; i < MAX_NAMES; i++)
		if (names[i].payload == b->payload)
			return names[i].name;
	return "";
}

/* The [heap] line of /proc/self/maps (read without stdio: no malloc). */
static void print_heap_vma(void)
{
	static char buf[16384];
	ssize_t n = 0, r;
	int fd = open("/proc/self/maps", O_RDONLY);
	char *line;

	if (fd < 0)
		return;
	while (n < (ssize_t)sizeof(buf) - 1 &&
	       (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strstr(line, "[heap]")) {
			unsigned long a, b;

			if (sscanf(line, "%lx-%lx", &a, &b) == 2)
				printf("[heap] VMA: 0x%lx-0x%lx, %lu KiB\n", a,
				       b, (b - a) / 1024);
		}
	}
}

/* Walk the heap by sizes and the free list by links; 0 if they agree. */
static int dump(void)
{
	block_t *b, *f;
	int nfree = 0, nlist = 0, bad = 0, i = 0;
	size_t free_bytes = 0;

	printf("heap 0x%lx-0x%lx: %zu bytes from %d sbrk call(s), break %p\n",
	       (unsigned long)heap_start, (unsigned long)heap_end,
	       (size_t)(heap_end - heap_start), sbrk_calls, sbrk(0));
	printf("BLOCK  ADDRESS          SIZE STATE HEADER FOOTER NAME\n");
	for (b = (block_t *)heap_start; (char *)b < heap_end;
	     b = block_next(b), i++) {
		const char *label = (char *)b == heap_start ? "prolog" :
				    b == epilog()	    ? "epilog" :
							      NULL;

		printf("%-6s 0x%lx %6zu %-5s 0x%-4zx 0x%-4zx %s\n",
		       label ? label : "", (unsigned long)b, block_size(b),
		       block_allocated(b) ? "alloc" : "free", b->size,
		       *block_footer(b), name_of(b));
		if (b->size != *block_footer(b))
			bad++;
		if (!block_allocated(b)) {
			nfree++;
			free_bytes += block_size(b);
			if (!block_allocated(block_next(b)))
				bad++; /* two free neighbours: a missed coalesce */
		}
		if (!block_size(b))
			return 1;
	}
	printf("free list from flist_first, following flink:\n");
	for (f = flist_first; f;
	     f = block_flink(f) == flist_first ? NULL : block_flink(f)) {
		printf("  0x%lx size %zu flink 0x%lx blink 0x%lx\n",
		       (unsigned long)f, block_size(f),
		       (unsigned long)block_flink(f),
		       (unsigned long)block_blink(f));
		if (block_allocated(f) || block_blink(block_flink(f)) != f)
			bad++;
		if (++nlist > nfree)
			break;
	}
	printf("%d blocks, %d free (%zu bytes); free list %d long; tags and links %s\n",
	       i, nfree, free_bytes, nlist,
	       bad || nlist != nfree ? "INCONSISTENT" : "consistent");
	return bad || nlist != nfree;
}

static int do_step(const char *step)
{
	char name[16];
	size_t size;
	int i;

	if (sscanf(step, "malloc:%15[^:]:%zu", name, &size) == 2) {
		void *p = ha_malloc(size);

		if (!p)
			return -1;
		for (i = 0; i < MAX_NAMES && names[i].payload; i++)
			;
		if (i == MAX_NAMES)
			return -1;
		snprintf(names[i].name, sizeof(names[i].name), "%s", name);
		names[i].payload = p;
		printf("malloc(%zu) = %p: %s, a block of %zu bytes\n", size, p,
		       name, block_size((block_t *)((char *)p - TAG)));
		return 0;
	}
	if (sscanf(step, "free:%15s", name) == 1) {
		for (i = 0; i < MAX_NAMES; i++) {
			if (names[i].payload && !strcmp(names[i].name, name)) {
				printf("free(%p): %s\n", names[i].payload,
				       name);
				ha_free(names[i].payload);
				names[i].payload = NULL;
				return 0;
			}
		}
		return -1;
	}
	if (!strcmp(step, "dump"))
		return dump();
	if (!strcmp(step, "vma")) {
		print_heap_vma();
		return 0;
	}
	if (!strncmp(step, "sleep:", 6)) {
		fflush(stdout);
		sleep((unsigned int)atoi(step + 6));
		return 0;
	}
	return -1;
}

/* A heap of many small blocks, every third one free, for the benchmark. */
static int bench(long rounds)
{
	static size_t arena[1 << 16];
	struct access_times t[2];
	block_t *b = (block_t *)arena, *end = (block_t *)(arena + (1 << 16));
	size_t i = 0;

	while ((char *)b + 64 <= (char *)end) {
		size_t size = 32 + 16 * (i % 3);

		b->size = size | (i % 3 != 0);
		b = (block_t *)((char *)b + size);
		i++;
	}
	end = b;
	access_bench_O0((block_t *)arena, end, rounds, &t[0]);
	access_bench_O2((block_t *)arena, end, rounds, &t[1]);
	printf("%zu blocks walked %ld times with block_size/block_allocated/block_next as:\n",
	       i, rounds);
	printf("LEVEL FUNCTION_NS MACRO_NS INLINE_NS FUNCTION/MACRO INLINE/MACRO\n");
	for (i = 0; i < 2; i++)
		printf("-O%zu   %11.2f %8.2f %9.2f %14.2f %12.2f\n", 2 * i,
		       t[i].fn_ns, t[i].macro_ns, t[i].inline_ns,
		       t[i].fn_ns / t[i].macro_ns,
		       t[i].inline_ns / t[i].macro_ns);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: heapalloc STEP...\n"
		"       heapalloc bench [ROUNDS]\n\n"
		"A boundary-tag allocator over sbrk; STEPs run in order:\n"
		"  malloc:NAME:SIZE   allocate SIZE bytes, call the block NAME\n"
		"  free:NAME          free it (coalescing with free neighbours)\n"
		"  dump               walk the heap and the free list, check both\n"
		"  vma                the [heap] line of /proc/self/maps\n"
		"  sleep:SECONDS      wait (to look at the process from outside)\n"
		"bench: the heap walk with its accessors as functions, macros and\n"
		"static inline functions, compiled at -O0 and at -O2 (default 200 rounds).\n");
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	int i;

	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "bench"))
		return bench(argc > 2 ? atol(argv[2]) : 200);
	if (heap_init()) {
		perror("heapalloc: sbrk");
		return 1;
	}
	printf("heap made by sbrk(%d): prolog, one free block, epilog\n",
	       CHUNK);
	for (i = 1; i < argc; i++) {
		if (do_step(argv[i])) {
			fprintf(stderr, "heapalloc: step '%s' failed\n",
				argv[i]);
			return strncmp(argv[i], "dump", 4) ? 2 : 1;
		}
	}
	return 0;
}
