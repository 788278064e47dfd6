// SPDX-License-Identifier: GPL-2.0
/* What every tool's command line shares (docs/tools.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libvmlab.h"
#include "parse.h"

#ifndef VMLAB_VERSION
#error "the Makefile defines VMLAB_VERSION (dkms.conf's PACKAGE_VERSION)"
#endif

const char *vl_prog = "vmlab";

void vl_init(char **argv, const char *prog)
{
	vl_prog = prog;
	argv[0] = (char *)prog; /* getopt's own messages begin with it */
}

/* "PROG: MESSAGE" and a newline on stderr. */
static void say(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", vl_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void vl_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	vl_try_help();
}

void vl_try_help(void)
{
	fprintf(stderr, "Try '%s --help'.\n", vl_prog);
	exit(VL_EXIT_USAGE);
}

void vl_other_option(int c, void (*usage)(FILE *out))
{
	if (c == 'V')
		vl_version();
	if (c != 'h')
		vl_try_help();
	usage(stdout);
	exit(VL_EXIT_OK);
}

void vl_json_or_other(int c, bool *json, void (*usage)(FILE *out))
{
	if (c != 'J')
		vl_other_option(c, usage);
	*json = true;
}

void vl_bad_arg(const char *opt, const char *arg, const char *why)
{
	vl_usage_error("%s '%s': %s", opt, arg, why);
}

void vl_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void vl_version(void)
{
	printf("%s from vmlab %s (ABI %d.%d)\n", vl_prog, VMLAB_VERSION,
	       VMLAB_ABI_MAJOR, VMLAB_ABI_MINOR);
	exit(VL_EXIT_OK);
}

typedef const char *(*parser_fn)(const char *s, uint64_t min, uint64_t max,
				 uint64_t *v);

static uint64_t opt_value(parser_fn parse, const char *opt, const char *arg,
			  uint64_t min, uint64_t max)
{
	const char *why;
	uint64_t v = 0;

	why = parse(arg, min, max, &v);
	if (why)
		vl_bad_arg(opt, arg, why);
	return v;
}

/* vl_opt_uint, _count, _size and _duration: opt_value with their parser. */
#define VL_OPT(kind)                                                           \
	uint64_t vl_opt_##kind(const char *opt, const char *arg, uint64_t min, \
			       uint64_t max)                                   \
	{                                                                      \
		return opt_value(vl_parse_##kind, opt, arg, min, max);         \
	}
VL_OPT(uint)
VL_OPT(count)
VL_OPT(size)
VL_OPT(duration)

pid_t vl_opt_pid(const char *opt, const char *arg)
{
	return (pid_t)vl_opt_uint(opt, arg, 1, VL_PID_MAX);
}

uint64_t vl_opt_pages(const char *opt, const char *arg, uint64_t max)
{
	uint64_t v = vl_opt_size(opt, arg, vl_page_size(), max);
	char why[64];

	if (v % vl_page_size()) {
		snprintf(why, sizeof(why), "not a whole number of %zuK pages",
			 vl_page_size() >> 10);
		vl_bad_arg(opt, arg, why);
	}
	return v;
}

const char *vl_opt_file(const char *opt, const char *arg)
{
	if (!*arg)
		vl_bad_arg(opt, arg, "want a file name");
	return arg;
}

const char *vl_device(void)
{
	const char *path = getenv("VMLAB_DEVICE");

	return path ? path : VMLAB_DEVICE;
}

int vl_device_open(void)
{
	int fd = vmlab_open();

	if (fd < 0) {
		vl_error("cannot open %s: %s%s", vl_device(), strerror(-fd),
			 fd == -ENOENT ? " (is vmlab.ko loaded?)" : "");
		return -1;
	}
	return fd;
}

uint64_t vl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * VL_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

void vl_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / VL_NSEC_PER_SEC),
			       (long)(ns % VL_NSEC_PER_SEC) };

	nanosleep(&ts, NULL);
}

size_t vl_page_size(void)
{
	static size_t page;

	if (!page)
		page = (size_t)sysconf(_SC_PAGESIZE);
	return page;
}

size_t vl_pmd_size(void)
{
	return vl_page_size() * (vl_page_size() / 8);
}
