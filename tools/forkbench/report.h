/* SPDX-License-Identifier: GPL-2.0 */
/* forkbench: what the CLI (forkbench.c) measured, for its output (report.c). */
#ifndef FORKBENCH_REPORT_H
#define FORKBENCH_REPORT_H

#include <stdio.h>

#include "forkbench.h"

#define MAX_METHODS 32
#define MAX_SIZES 16
#define MAX_REPS 1000

struct result {
	int mi, si;
	long vmsize_kb;
	int reps, err;
	double min, med, max, tlpi;
	const char *desc; /* flags matrix: what the row's flags do */
};

struct fb_opts {
	int reps, cpu, json, csv, tlpi, matrix, sharing;
	double dur, warmup;
	const char *helper, *plot;
	enum fb_touch touch;
	uint64_t clone_flags;
};

/* One method's child, as the engine's probe saw it. */
struct fb_probe_line {
	int ret; /* 0, or -EOPNOTSUPP: exec replaces the image */
	struct fb_sharing s;
};

extern struct fb_opts opt;
extern struct fb_method methods[MAX_METHODS];
extern int nmethods;
extern uint64_t sizes[MAX_SIZES]; /* 0: no padding */
extern char size_label[MAX_SIZES][24];
extern int nsizes;
extern struct result results[MAX_METHODS * MAX_SIZES];
extern int nresults;
extern FILE *info; /* header: stdout, or stderr for --json/--csv */
extern long base_kb;
extern char helper_desc[4200];
extern const char *const touch_name[];

void print_header(void);
/* The book's rate of m at TLPI size si, or 0. */
double tlpi_rate(const struct fb_method *m, int si);
void print_results(void);
void print_tlpi(void);
void text_plot(void);
int gnuplot(const char *file);
/* The --show-sharing table: exit status (1 if a child did not share as told). */
int show_sharing(const struct fb_probe_line *probes);

#endif
