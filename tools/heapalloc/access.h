/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The accessor benchmark, compiled twice by tool.mk: as accessbench-O0.o
 * (-O0 -DOPT=O0) and accessbench-O2.o (-O2 -DOPT=O2), so one binary
 * measures the same source at both levels. Not a header to include.
 */
#include <stdint.h>
#include <time.h>

#include "heapalloc.h"

#define GLUE(a, b) a##_##b
#define OPTNAME(a, b) GLUE(a, b)

/*
 * Accessors as ordinary functions. noinline stands for what a function
 * in another file (without LTO) is: a call the compiler cannot remove.
 */
static __attribute__((noinline)) size_t fn_block_size(block_t *b)
{
	return b->size & -2;
}

static __attribute__((noinline)) int fn_block_allocated(block_t *b)
{
	return b->size & 1;
}

static __attribute__((noinline)) block_t *fn_block_next(block_t *b)
{
	return (block_t *)((char *)b + fn_block_size(b));
}

/* The same as macros: no call at any level; gdb sees only the name. */
#define MACRO_BLOCK_SIZE(b) ((b)->size & -2)
#define MACRO_BLOCK_ALLOCATED(b) ((b)->size & 1)
#define MACRO_BLOCK_NEXT(b) ((block_t *)((char *)(b) + MACRO_BLOCK_SIZE(b)))

/* static inline: a real function at -O0, its body in place at -O2. */
static inline size_t in_block_size(block_t *b)
{
	return b->size & -2;
}

static inline int in_block_allocated(block_t *b)
{
	return b->size & 1;
}

static inline block_t *in_block_next(block_t *b)
{
	return (block_t *)((char *)b + in_block_size(b));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The free bytes of the heap, found by walking every block. */
#define WALK(first, end, size, allocated, next, free_bytes)   \
	do {                                                  \
		block_t *b_;                                  \
		for (b_ = (first); b_ < (end); b_ = next(b_)) \
			if (!allocated(b_))                   \
				free_bytes += size(b_);       \
	} while (0)

void OPTNAME(access_bench, OPT)(block_t *first, block_t *end, long rounds,
				struct access_times *t)
{
	volatile size_t sink;
	size_t free_bytes = 0, blocks = 0;
	uint64_t t0;
	long r;
	block_t *b;

	for (b = first; b < end; b = MACRO_BLOCK_NEXT(b))
		blocks++;
	t0 = now_ns();
	for (r = 0; r < rounds; r++)
		WALK(first, end, fn_block_size, fn_block_allocated,
		     fn_block_next, free_bytes);
	t->fn_ns = (double)(now_ns() - t0) / ((double)rounds * blocks);
	t0 = now_ns();
	for (r = 0; r < rounds; r++)
		WALK(first, end, MACRO_BLOCK_SIZE, MACRO_BLOCK_ALLOCATED,
		     MACRO_BLOCK_NEXT, free_bytes);
	t->macro_ns = (double)(now_ns() - t0) / ((double)rounds * blocks);
	t0 = now_ns();
	for (r = 0; r < rounds; r++)
		WALK(first, end, in_block_size, in_block_allocated,
		     in_block_next, free_bytes);
	t->inline_ns = (double)(now_ns() - t0) / ((double)rounds * blocks);
	sink = free_bytes;
	(void)sink;
}
