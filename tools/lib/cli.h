/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every tool's command line shares (docs/tools.md): its name in
 * messages, -V/--version, the exit codes, errors that name the bad
 * argument, options parsed with the strict parser, the device.
 */
#ifndef VMLAB_CLI_H
#define VMLAB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "parse.h"

/* Exit codes of every tool. */
#define VL_EXIT_OK 0
#define VL_EXIT_FAIL 1 /* the work failed: device, system call, target */
#define VL_EXIT_USAGE 2 /* the command line is wrong */

/* A PID is a positive pid_t; which exist is the kernel's pid_max, at run time. */
#define VL_PID_MAX 2147483647

/* Name messages begin with. */
extern const char *vl_prog;

/* First thing of main(): messages, getopt's too, begin with prog. */
void vl_init(char **argv, const char *prog);

/* "PROG: MESSAGE" and "Try 'PROG --help'." on stderr; exit 2. */
void vl_usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/*
 * The end of every getopt switch: -V prints the version, -h the usage
 * (on stdout), both exit 0; anything else gets the --help hint, exit 2.
 */
void vl_other_option(int c, void (*usage)(FILE *out)) __attribute__((noreturn));

/* The same, but -J/--json first: it sets *json and returns. */
void vl_json_or_other(int c, bool *json, void (*usage)(FILE *out));

/* After getopt's own message: "Try 'PROG --help'."; exit 2. */
void vl_try_help(void) __attribute__((noreturn));

/* "PROG: OPT 'ARG': WHY" (and the --help hint); exit 2. */
void vl_bad_arg(const char *opt, const char *arg, const char *why)
	__attribute__((noreturn));

/* "PROG: MESSAGE" on stderr, for a failure at run time. */
void vl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG from vmlab VERSION (ABI MAJOR.MINOR)" on stdout; exit 0. */
void vl_version(void) __attribute__((noreturn));

/* Option values through the strict parser: exit 2 with the reason. */
uint64_t vl_opt_uint(const char *opt, const char *arg, uint64_t min,
		     uint64_t max);
uint64_t vl_opt_count(const char *opt, const char *arg, uint64_t min,
		      uint64_t max);
uint64_t vl_opt_size(const char *opt, const char *arg, uint64_t min,
		     uint64_t max);
uint64_t vl_opt_duration(const char *opt, const char *arg, uint64_t min_ns,
			 uint64_t max_ns);
pid_t vl_opt_pid(const char *opt, const char *arg);
/* A size of whole pages (vl_page_size), one page to max: "not a whole number of 4K pages". */
uint64_t vl_opt_pages(const char *opt, const char *arg, uint64_t max);
/* A file name: arg itself, not empty ("want a file name"). */
const char *vl_opt_file(const char *opt, const char *arg);

/* The device path: $VMLAB_DEVICE, else /dev/vmlab. */
const char *vl_device(void);

/* Open the device: fd, or -1 after saying why, naming the path used. */
int vl_device_open(void);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vl_now_ns(void);

/* Sleep for ns nanoseconds, or until a signal is handled. */
void vl_sleep_ns(uint64_t ns);

/*
 * The running kernel's base page size, sysconf(_SC_PAGESIZE): 4096 on
 * x86-64, 4096, 16384 or 65536 on arm64 (the kernel's granule).
 */
size_t vl_page_size(void);

/* The size a PMD entry maps (a huge page): a table of page / 8 entries of pages. */
size_t vl_pmd_size(void);

#endif
