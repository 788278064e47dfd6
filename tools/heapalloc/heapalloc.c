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
 * glibc's malloc is told to take all its memory from mmap (stdout has a
 * static buffer; -J's tables are malloc'd), so it never moves the program
 * break behind this allocator's back.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "heapalloc.h"
#include "table.h"

#define TAG sizeof(size_t)
#define ALIGN 16
#define MIN_BLOCK 32 /* two tags and two links */
/*
 * sbrk at least this much: the allocator's own step (CS:APP's CHUNKSIZE),
 * not the page size: sbrk takes bytes, the kernel rounds the heap's VMA to
 * whole pages (the vma table shows them).
 */
#define CHUNK 4096
#define MAX_NAMES 32

static char *heap_start, *heap_end; /* [prolog, end of epilog) */
static block_t *flist_first;
static int sbrk_calls;

static struct {
	char name[16];
	void *payload;
} names[MAX_NAMES];

/*
 * The output: text as the steps run, or with -J one document whose tables
 * fill as they run (NULL without -J: their lines are no-ops).
 */
static struct vl_doc doc;
static struct libscols_table *t_steps, *t_sbrk, *t_dumps, *t_blocks, *t_list,
	*t_vma;
static int ndumps;

static const struct vl_col step_cols[] = {
	{ "STEP", 0 },
	{ "NAME", 0 },
	{ "ADDRESS", 0 },
	{ "SIZE", VL_NUM },
	{ "BLOCK_SIZE", VL_NUM },
};
static const struct vl_col sbrk_cols[] = {
	{ "GROW", VL_NUM },
	{ "OLD_BREAK", 0 },
	{ "NEW_BREAK", 0 },
};
static const struct vl_col dump_cols[] = {
	{ "DUMP", VL_NUM },
	{ "START", 0 },
	{ "END", 0 },
	{ "BYTES", VL_NUM },
	{ "SBRK_CALLS", VL_NUM },
	{ "BREAK", 0 },
	{ "BLOCKS", VL_NUM },
	{ "FREE", VL_NUM },
	{ "FREE_BYTES", VL_NUM },
	{ "LIST_LENGTH", VL_NUM },
	{ "CONSISTENT", VL_BOOL },
};
static const struct vl_col block_cols[] = {
	{ "DUMP", VL_NUM },   { "BLOCK", 0 }, { "ADDRESS", 0 },
	{ "SIZE", VL_NUM },   { "STATE", 0 }, { "HEADER", VL_NUM },
	{ "FOOTER", VL_NUM }, { "NAME", 0 },
};
static const struct vl_col list_cols[] = {
	{ "DUMP", VL_NUM }, { "ADDRESS", 0 }, { "SIZE", VL_NUM },
	{ "FLINK", 0 },	    { "BLINK", 0 },
};
static const struct vl_col vma_cols[] = {
	{ "START", 0 },
	{ "END", 0 },
	{ "KIB", VL_NUM },
};

#define TABLE(name, cols) (doc.json ? VL_TABLE(name, true, cols) : NULL)

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

static void note_sbrk(size_t grow, const char *old_brk)
{
	struct libscols_line *ln = vl_line(t_sbrk, NULL);

	vl_line_set_u64(ln, 0, grow);
	vl_line_set_hex(ln, 1, (uintptr_t)old_brk);
	vl_line_set_hex(ln, 2, (uintptr_t)sbrk(0));
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
	vl_doc_text(
		&doc,
		"sbrk(+%zu): program break %p -> %p; the epilog moves to the new end\n",
		grow, (void *)old_brk, sbrk(0));
	note_sbrk(grow, old_brk);
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
	note_sbrk(CHUNK, p);
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

			struct libscols_line *ln;

			if (sscanf(line, "%lx-%lx", &a, &b) != 2)
				continue;
			vl_doc_text(&doc, "[heap] VMA: 0x%lx-0x%lx, %lu KiB\n",
				    a, b, (b - a) / 1024);
			ln = vl_line(t_vma, NULL);
			vl_line_set_hex(ln, 0, a);
			vl_line_set_hex(ln, 1, b);
			vl_line_set_u64(ln, 2, (b - a) / 1024);
		}
	}
}

/* Walk the heap by sizes and the free list by links; 0 if they agree. */
static int dump(void)
{
	block_t *b, *f;
	int nfree = 0, nlist = 0, bad = 0, i = 0;
	size_t free_bytes = 0;
	struct libscols_line *ln;

	ndumps++;
	vl_doc_text(
		&doc,
		"heap 0x%lx-0x%lx: %zu bytes from %d sbrk call(s), break %p\n",
		(unsigned long)heap_start, (unsigned long)heap_end,
		(size_t)(heap_end - heap_start), sbrk_calls, sbrk(0));
	vl_doc_text(&doc,
		    "BLOCK  ADDRESS          SIZE STATE HEADER FOOTER NAME\n");
	for (b = (block_t *)heap_start; (char *)b < heap_end;
	     b = block_next(b), i++) {
		const char *label = (char *)b == heap_start ? "prolog" :
				    b == epilog()	    ? "epilog" :
							      NULL;
		const char *state = block_allocated(b) ? "alloc" : "free";

		vl_doc_text(&doc, "%-6s 0x%lx %6zu %-5s 0x%-4zx 0x%-4zx %s\n",
			    label ? label : "", (unsigned long)b, block_size(b),
			    state, b->size, *block_footer(b), name_of(b));
		ln = vl_line(t_blocks, NULL);
		vl_line_set_u64(ln, 0, (uint64_t)ndumps);
		if (label)
			vl_line_set_name(ln, 1, label, 8);
		vl_line_set_hex(ln, 2, (uintptr_t)b);
		vl_line_set_u64(ln, 3, block_size(b));
		vl_line_set_name(ln, 4, state, 8);
		vl_line_set_u64(ln, 5, b->size);
		vl_line_set_u64(ln, 6, *block_footer(b));
		if (*name_of(b))
			vl_line_set_name(ln, 7, name_of(b), 16);
		if (b->size != *block_footer(b))
			bad++;
		if (!block_allocated(b)) {
			nfree++;
			free_bytes += block_size(b);
			if (!block_allocated(block_next(b)))
				bad++; /* two free neighbours: a missed coalesce */
		}
		if (!block_size(b)) {
			vl_error("dump: a block of size 0 at %p", (void *)b);
			return 1;
		}
	}
	vl_doc_text(&doc, "free list from flist_first, following flink:\n");
	for (f = flist_first; f;
	     f = block_flink(f) == flist_first ? NULL : block_flink(f)) {
		vl_doc_text(&doc, "  0x%lx size %zu flink 0x%lx blink 0x%lx\n",
			    (unsigned long)f, block_size(f),
			    (unsigned long)block_flink(f),
			    (unsigned long)block_blink(f));
		ln = vl_line(t_list, NULL);
		vl_line_set_u64(ln, 0, (uint64_t)ndumps);
		vl_line_set_hex(ln, 1, (uintptr_t)f);
		vl_line_set_u64(ln, 2, block_size(f));
		vl_line_set_hex(ln, 3, (uintptr_t)block_flink(f));
		vl_line_set_hex(ln, 4, (uintptr_t)block_blink(f));
		if (block_allocated(f) || block_blink(block_flink(f)) != f)
			bad++;
		if (++nlist > nfree)
			break;
	}
	bad += nlist != nfree;
	vl_doc_text(
		&doc,
		"%d blocks, %d free (%zu bytes); free list %d long; tags and links %s\n",
		i, nfree, free_bytes, nlist,
		bad ? "INCONSISTENT" : "consistent");
	ln = vl_line(t_dumps, NULL);
	vl_line_set_u64(ln, 0, (uint64_t)ndumps);
	vl_line_set_hex(ln, 1, (uintptr_t)heap_start);
	vl_line_set_hex(ln, 2, (uintptr_t)heap_end);
	vl_line_set_u64(ln, 3, (uint64_t)(heap_end - heap_start));
	vl_line_set_u64(ln, 4, (uint64_t)sbrk_calls);
	vl_line_set_hex(ln, 5, (uintptr_t)sbrk(0));
	vl_line_set_u64(ln, 6, (uint64_t)i);
	vl_line_set_u64(ln, 7, (uint64_t)nfree);
	vl_line_set_u64(ln, 8, free_bytes);
	vl_line_set_u64(ln, 9, (uint64_t)nlist);
	vl_line_set_bool(ln, 10, !bad);
	return bad != 0;
}

/* A step of the command line, parsed. */
struct step {
	enum { S_MALLOC, S_FREE, S_DUMP, S_VMA, S_SLEEP } kind;
	const char *text;
	char name[16];
	uint64_t n; /* malloc: bytes; sleep: ns */
};

/* Parse every step before the first runs: exit 2 on the first bad one. */
static void parse_step(const char *text, struct step *st, char live[][16])
{
	const char *why, *colon;
	size_t len;
	int i, slot = -1;

	memset(st, 0, sizeof(*st));
	st->text = text;
	if (!strcmp(text, "dump")) {
		st->kind = S_DUMP;
		return;
	}
	if (!strcmp(text, "vma")) {
		st->kind = S_VMA;
		return;
	}
	if (!strncmp(text, "sleep:", 6)) {
		st->kind = S_SLEEP;
		why = vl_parse_duration(text + 6, 0, 3600 * VL_NSEC_PER_SEC,
					&st->n);
		if (why)
			vl_bad_arg("step", text, why);
		return;
	}
	if (strncmp(text, "malloc:", 7) && strncmp(text, "free:", 5))
		vl_usage_error("unknown step '%s' (see heapalloc --help)",
			       text);
	st->kind = text[0] == 'm' ? S_MALLOC : S_FREE;
	text += st->kind == S_MALLOC ? 7 : 5;
	colon = strchr(text, ':');
	len = st->kind == S_MALLOC && colon ? (size_t)(colon - text) :
					      strlen(text);
	if (st->kind == S_MALLOC && !colon)
		vl_bad_arg("step", st->text, "want malloc:NAME:SIZE");
	if (!len || len >= sizeof(st->name) || memchr(text, ':', len))
		vl_bad_arg("step", st->text,
			   "a NAME is 1 to 15 characters, no ':'");
	memcpy(st->name, text, len);
	for (i = 0; i < MAX_NAMES; i++) {
		if (!strcmp(live[i], st->name))
			break;
		if (slot < 0 && !live[i][0])
			slot = i;
	}
	if (st->kind == S_FREE) {
		if (i == MAX_NAMES)
			vl_bad_arg("step", st->text,
				   "no block of that name is allocated");
		live[i][0] = '\0';
		return;
	}
	if (i < MAX_NAMES)
		vl_bad_arg("step", st->text,
			   "a block of that name is allocated");
	if (slot < 0)
		vl_bad_arg("step", st->text, "more than 32 named blocks");
	why = vl_parse_size(colon + 1, 1, 1ULL << 30, &st->n);
	if (why)
		vl_bad_arg("step", st->text, why);
	memcpy(live[slot], st->name, sizeof(st->name));
}

static void note_step(const struct step *st, void *p, size_t size)
{
	struct libscols_line *ln = vl_line(t_steps, NULL);

	vl_line_set_name(ln, 0, st->text, 64);
	vl_line_set_name(ln, 1, st->name, 16);
	vl_line_set_hex(ln, 2, (uintptr_t)p);
	if (st->kind == S_MALLOC)
		vl_line_set_u64(ln, 3, size);
	vl_line_set_u64(ln, 4, block_size((block_t *)((char *)p - TAG)));
}

/* Run a step: 0, or 1 after saying why (the work failed). */
static int do_step(const struct step *st)
{
	void *p;
	int i;

	switch (st->kind) {
	case S_MALLOC:
		p = ha_malloc(st->n);
		if (!p) {
			vl_error("step '%s': sbrk: %s", st->text,
				 strerror(errno));
			return 1;
		}
		for (i = 0; names[i].payload; i++)
			;
		memcpy(names[i].name, st->name, sizeof(names[i].name));
		names[i].payload = p;
		vl_doc_text(&doc,
			    "malloc(%zu) = %p: %s, a block of %zu bytes\n",
			    (size_t)st->n, p, st->name,
			    block_size((block_t *)((char *)p - TAG)));
		note_step(st, p, st->n);
		return 0;
	case S_FREE:
		for (i = 0;
		     strcmp(names[i].name, st->name) || !names[i].payload; i++)
			;
		p = names[i].payload;
		vl_doc_text(&doc, "free(%p): %s\n", p, st->name);
		note_step(st, p, 0);
		ha_free(p);
		names[i].payload = NULL;
		return 0;
	case S_DUMP:
		return dump();
	case S_VMA:
		print_heap_vma();
		return 0;
	case S_SLEEP:
		fflush(stdout);
		vl_sleep_ns(st->n);
		return 0;
	}
	return 1;
}

/* A heap of many small blocks, every third one free, for the benchmark. */
static int bench(long rounds)
{
	static const struct vl_col cols[] = {
		{ "LEVEL", 0 },
		{ "BLOCKS", VL_NUM },
		{ "ROUNDS", VL_NUM },
		{ "FUNCTION_NS", VL_NUM },
		{ "MACRO_NS", VL_NUM },
		{ "INLINE_NS", VL_NUM },
		{ "FUNCTION_MACRO", VL_NUM },
		{ "INLINE_MACRO", VL_NUM },
	};
	struct libscols_table *tb = TABLE("bench", cols);
	static size_t arena[1 << 16];
	struct access_times t[2];
	block_t *b = (block_t *)arena, *end = (block_t *)(arena + (1 << 16));
	size_t i = 0;
	int n;

	while ((char *)b + 64 <= (char *)end) {
		size_t size = 32 + 16 * (i % 3);

		b->size = size | (i % 3 != 0);
		b = (block_t *)((char *)b + size);
		i++;
	}
	end = b;
	access_bench_O0((block_t *)arena, end, rounds, &t[0]);
	access_bench_O2((block_t *)arena, end, rounds, &t[1]);
	vl_doc_text(
		&doc,
		"%zu blocks walked %ld times with block_size/block_allocated/block_next as:\n",
		i, rounds);
	vl_doc_text(
		&doc,
		"LEVEL FUNCTION_NS MACRO_NS INLINE_NS FUNCTION/MACRO INLINE/MACRO\n");
	for (n = 0; n < 2; n++) {
		struct libscols_line *ln = vl_line(tb, NULL);
		const struct access_times *a = &t[n];

		vl_doc_text(&doc, "-O%d   %11.2f %8.2f %9.2f %14.2f %12.2f\n",
			    2 * n, a->fn_ns, a->macro_ns, a->inline_ns,
			    a->fn_ns / a->macro_ns, a->inline_ns / a->macro_ns);
		vl_line_set_fmt(ln, 0, "-O%d", 2 * n);
		vl_line_set_u64(ln, 1, i);
		vl_line_set_i64(ln, 2, rounds);
		vl_line_set_fmt(ln, 3, "%.2f", a->fn_ns);
		vl_line_set_fmt(ln, 4, "%.2f", a->macro_ns);
		vl_line_set_fmt(ln, 5, "%.2f", a->inline_ns);
		vl_line_set_fmt(ln, 6, "%.2f", a->fn_ns / a->macro_ns);
		vl_line_set_fmt(ln, 7, "%.2f", a->inline_ns / a->macro_ns);
	}
	return doc.json ? vl_doc_add(&doc, tb) : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: heapalloc [options] STEP...\n"
		"       heapalloc [options] bench [ROUNDS]\n\n"
		"A boundary-tag allocator over sbrk; STEPs run in order (all are\n"
		"checked before the first runs):\n"
		"  malloc:NAME:SIZE   allocate SIZE bytes (binary units K, M, G; up to 1G),\n"
		"                     call the block NAME (1 to 15 characters, no ':')\n"
		"  free:NAME          free it (coalescing with free neighbours)\n"
		"  dump               walk the heap and the free list, check both\n"
		"  vma                the [heap] line of /proc/self/maps\n"
		"  sleep:TIME         wait (to look at the process from outside; units ns,\n"
		"                     us, ms, s, min; a bare number is seconds; up to 1h)\n"
		"bench: the heap walk with its accessors as functions, macros and\n"
		"static inline functions, compiled at -O0 and at -O2; ROUNDS a count\n"
		"(k = 1000; 1 to 1M; default 200). Times in ns per block.\n\n"
		"  -J, --json      one JSON document\n"
		"  -V, --version   version\n"
		"  -h, --help      this help\n"
		"\nExit status: 0 done, 1 failed (sbrk, a dump found the heap inconsistent),\n"
		"2 bad usage.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct step steps[256];
	static char live[MAX_NAMES][16];
	static char outbuf[1 << 16];
	int c, i, nsteps, ret = 0;
	bool json = false;

	/* glibc's memory from mmap only: the break is this allocator's */
	mallopt(M_MMAP_THRESHOLD, 0);
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));
	vl_init(argv, "heapalloc");
	while ((c = getopt_long(argc, argv, "JVh", longopts, NULL)) != -1) {
		if (c == 'J')
			json = true;
		else
			vl_other_option(c, usage);
	}
	vl_doc_init(&doc, json);
	if (optind == argc)
		vl_usage_error("no STEP given");
	if (!strcmp(argv[optind], "bench")) {
		uint64_t rounds = 200;

		if (argc - optind > 2)
			vl_usage_error("unexpected argument '%s'",
				       argv[optind + 2]);
		if (argc - optind == 2)
			rounds = vl_opt_count("ROUNDS", argv[optind + 1], 1,
					      1000000);
		if (bench((long)rounds) || vl_doc_end(&doc))
			return VL_EXIT_FAIL;
		return VL_EXIT_OK;
	}
	nsteps = argc - optind;
	if (nsteps > (int)(sizeof(steps) / sizeof(steps[0])))
		vl_usage_error("more than %zu steps",
			       sizeof(steps) / sizeof(steps[0]));
	for (i = 0; i < nsteps; i++)
		parse_step(argv[optind + i], &steps[i], live);
	t_steps = TABLE("steps", step_cols);
	t_sbrk = TABLE("sbrk", sbrk_cols);
	t_dumps = TABLE("dumps", dump_cols);
	t_blocks = TABLE("blocks", block_cols);
	t_list = TABLE("free_list", list_cols);
	t_vma = TABLE("vma", vma_cols);
	if (heap_init()) {
		vl_error("sbrk: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	vl_doc_text(&doc,
		    "heap made by sbrk(%d): prolog, one free block, epilog\n",
		    CHUNK);
	for (i = 0; i < nsteps && !ret; i++)
		ret = do_step(&steps[i]);
	if (json && (vl_doc_add(&doc, t_steps) || vl_doc_add(&doc, t_sbrk) ||
		     vl_doc_add(&doc, t_dumps) || vl_doc_add(&doc, t_blocks) ||
		     vl_doc_add(&doc, t_list) || vl_doc_add(&doc, t_vma)))
		ret = 1;
	if (vl_doc_end(&doc))
		ret = 1;
	return ret ? VL_EXIT_FAIL : VL_EXIT_OK;
}
