/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tools' one parser of numbers, counts, sizes and durations. Every
 * function returns NULL on success, or why the text is refused (a static
 * string, or one in a thread-local buffer valid until the next call).
 * Nothing is accepted that is not wholly understood: no sign, no blanks,
 * no trailing text, no value that overflows or leaves the given range.
 */
#ifndef VMLAB_PARSE_H
#define VMLAB_PARSE_H

#include <stdint.h>

/* A whole number, decimal or 0x-prefixed hex, in [min, max]. */
const char *vl_parse_uint(const char *s, uint64_t min, uint64_t max,
			  uint64_t *v);

/* Hexadecimal digits with an optional 0x (an address), any 64-bit value. */
const char *vl_parse_hex(const char *s, uint64_t *v);

/* A count with an optional SI suffix: k = 1000, M = 10^6, G = 10^9. */
const char *vl_parse_count(const char *s, uint64_t min, uint64_t max,
			   uint64_t *v);

/*
 * A size in bytes with an optional binary unit: K or KiB = 1024, M, G, T
 * (B for bytes). A fraction ("1.7M") is rounded down to a byte.
 */
const char *vl_parse_size(const char *s, uint64_t min, uint64_t max,
			  uint64_t *bytes);

/*
 * A duration: a number with a unit, ns, us, ms, s or min ("500ms",
 * "1.5s"); a bare number is seconds. Rounded down to a nanosecond.
 */
const char *vl_parse_duration(const char *s, uint64_t min_ns, uint64_t max_ns,
			      uint64_t *ns);

/* "64K", "1.5G", "4097" (exact: a unit only where it divides). */
void vl_format_size(uint64_t bytes, char *buf, unsigned int len);

/* "500ms", "2s", "1500us" (exact, in the largest unit that divides). */
void vl_format_duration(uint64_t ns, char *buf, unsigned int len);

#define VL_NSEC_PER_SEC 1000000000ULL

#endif
