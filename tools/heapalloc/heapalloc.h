/* SPDX-License-Identifier: GPL-2.0 */
/* heapalloc: a boundary-tag allocator over sbrk, and its accessor benchmark. */
#ifndef HEAPALLOC_H
#define HEAPALLOC_H

#include <stddef.h>

/*
 * A block: a header tag, the payload, a footer tag. Each tag holds the
 * block's size (tags included, a multiple of 16) with bit 0 set while the
 * block is allocated. A free block keeps its free-list links (flink,
 * blink) in the first two payload words.
 */
typedef struct block {
	size_t size;
	size_t payload[];
} block_t;

/* accessbench-O0.o and -O2.o: the same walk of a heap, with the block
 * accessors as functions, as macros and as static inline functions. */
struct access_times {
	double fn_ns, macro_ns, inline_ns; /* per block visited */
};
void access_bench_O0(block_t *first, block_t *end, long rounds,
		     struct access_times *t);
void access_bench_O2(block_t *first, block_t *end, long rounds,
		     struct access_times *t);

#endif /* HEAPALLOC_H */
