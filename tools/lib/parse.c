// SPDX-License-Identifier: GPL-2.0
/* The tools' strict parser of numbers, counts, sizes and durations. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

typedef unsigned __int128 u128;

struct unit {
	const char *name;
	uint64_t mult;
};

struct kind {
	const struct unit *units; /* "" first: the bare number */
	const char *unit_help; /* for an unknown unit */
	int whole; /* a fraction must come out whole */
	void (*format)(uint64_t v, char *buf, unsigned int len);
};

static __thread char why[160];

static void format_plain(uint64_t v, char *buf, unsigned int len)
{
	snprintf(buf, len, "%" PRIu64, v);
}

static const struct unit count_units[] = {
	{ "", 1 },	     { "k", 1000 }, { "M", 1000000 },
	{ "G", 1000000000 }, { NULL, 0 },
};

static const struct unit size_units[] = {
	{ "", 1 },	     { "B", 1 },
	{ "K", 1ULL << 10 }, { "KiB", 1ULL << 10 },
	{ "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
	{ "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
	{ "T", 1ULL << 40 }, { "TiB", 1ULL << 40 },
	{ NULL, 0 },
};

static const struct unit duration_units[] = {
	{ "", VL_NSEC_PER_SEC },
	{ "ns", 1 },
	{ "us", 1000 },
	{ "ms", 1000000 },
	{ "s", VL_NSEC_PER_SEC },
	{ "min", 60 * VL_NSEC_PER_SEC },
	{ NULL, 0 },
};

static const struct kind count_kind = { count_units,
					"counts take k, M or G: powers of 1000",
					1, format_plain };
static const struct kind size_kind = {
	size_units, "sizes take K, M, G or T: powers of 1024", 0, vl_format_size
};
static const struct kind duration_kind = {
	duration_units, "durations take ns, us, ms, s or min", 0,
	vl_format_duration
};

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *not_a_number(const char *s)
{
	if (!*s)
		return "empty";
	if (*s == '-')
		return "negative";
	return "not a number";
}

static const char *in_range(const struct kind *k, uint64_t v, uint64_t min,
			    uint64_t max)
{
	char lo[32], hi[32];

	if (v >= min && v <= max)
		return NULL;
	k->format(min, lo, sizeof(lo));
	k->format(max, hi, sizeof(hi));
	if (max == UINT64_MAX)
		snprintf(why, sizeof(why), "must be at least %s", lo);
	else
		snprintf(why, sizeof(why), "must be between %s and %s", lo, hi);
	return why;
}

/* DIGITS[.DIGITS]UNIT into *v, then checked against [min, max]. */
static const char *parse_scaled(const char *s, const struct kind *k,
				uint64_t min, uint64_t max, uint64_t *v)
{
	u128 ip = 0, frac = 0, scale = 1, total;
	const struct unit *u;
	const char *p = s;

	if (!digit(*p))
		return not_a_number(s);
	for (; digit(*p); p++) {
		ip = ip * 10 + (u128)(*p - '0');
		if (ip > UINT64_MAX)
			return "too large";
	}
	if (*p == '.') {
		if (!digit(*++p))
			return "not a number";
		/* Digits past the 18th cannot matter: rounded down. */
		for (; digit(*p); p++) {
			if (scale < 1000000000000000000ULL) {
				frac = frac * 10 + (u128)(*p - '0');
				scale *= 10;
			}
		}
	}
	for (u = k->units; u->name && strcmp(u->name, p); u++)
		;
	if (!u->name) {
		snprintf(why, sizeof(why), "unknown unit '%.16s' (%s)", p,
			 k->unit_help);
		return why;
	}
	if (k->whole && frac * u->mult % scale)
		return "not a whole number";
	total = ip * u->mult + frac * u->mult / scale;
	if (total > UINT64_MAX)
		return "too large";
	*v = (uint64_t)total;
	return in_range(k, *v, min, max);
}

const char *vl_parse_count(const char *s, uint64_t min, uint64_t max,
			   uint64_t *v)
{
	return parse_scaled(s, &count_kind, min, max, v);
}

const char *vl_parse_size(const char *s, uint64_t min, uint64_t max,
			  uint64_t *bytes)
{
	return parse_scaled(s, &size_kind, min, max, bytes);
}

const char *vl_parse_duration(const char *s, uint64_t min_ns, uint64_t max_ns,
			      uint64_t *ns)
{
	return parse_scaled(s, &duration_kind, min_ns, max_ns, ns);
}

static int hexval(char c)
{
	if (digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits (at least one) up to the end of s. */
static const char *parse_hex_digits(const char *p, uint64_t *v)
{
	uint64_t x = 0;

	if (hexval(*p) < 0)
		return "not a hexadecimal number";
	for (; *p; p++) {
		if (hexval(*p) < 0) {
			snprintf(why, sizeof(why),
				 "unexpected '%.16s' after the number", p);
			return why;
		}
		if (x >> 60)
			return "too large";
		x = x << 4 | (uint64_t)hexval(*p);
	}
	*v = x;
	return NULL;
}

const char *vl_parse_hex(const char *s, uint64_t *v)
{
	if (!*s)
		return "empty";
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return parse_hex_digits(s, v);
}

const char *vl_parse_uint(const char *s, uint64_t min, uint64_t max,
			  uint64_t *v)
{
	static const struct kind plain = { NULL, NULL, 1, format_plain };
	const char *p = s, *err;
	uint64_t x = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		err = parse_hex_digits(s + 2, &x);
		if (err)
			return err;
		*v = x;
		return in_range(&plain, x, min, max);
	}
	if (!digit(*p))
		return not_a_number(s);
	for (; digit(*p); p++) {
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, (uint64_t)(*p - '0'), &x))
			return "too large";
	}
	if (*p) {
		snprintf(why, sizeof(why),
			 "unexpected '%.16s' after the number", p);
		return why;
	}
	*v = x;
	return in_range(&plain, x, min, max);
}

/* v in the largest unit of units[] (largest last) that divides it. */
static void format_exact(uint64_t v, const struct unit *units, size_t n,
			 char *buf, unsigned int len)
{
	size_t i = n;

	while (--i && (v % units[i].mult || !v))
		;
	snprintf(buf, len, "%" PRIu64 "%s", v / units[i].mult, units[i].name);
}

void vl_format_size(uint64_t bytes, char *buf, unsigned int len)
{
	static const struct unit u[] = {
		{ "", 1 },	     { "K", 1ULL << 10 }, { "M", 1ULL << 20 },
		{ "G", 1ULL << 30 }, { "T", 1ULL << 40 },
	};

	format_exact(bytes, u, sizeof(u) / sizeof(u[0]), buf, len);
}

void vl_format_duration(uint64_t ns, char *buf, unsigned int len)
{
	static const struct unit u[] = {
		{ "ns", 1 },
		{ "us", 1000 },
		{ "ms", 1000000 },
		{ "s", VL_NSEC_PER_SEC },
	};

	format_exact(ns, u, sizeof(u) / sizeof(u[0]), buf, len);
}
