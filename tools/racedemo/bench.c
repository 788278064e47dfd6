// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo bench: what one kernel counter operation costs, uncontended, on
 * one file: CTR_ADD of each mode against two ioctls that do no work, an
 * unknown command (-ENOTTY from the same dispatch) and VMLAB_IOC_VERSION
 * (the same dispatch plus a struct copied in and out, like CTR_ADD).
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvmlab.h"
#include "racedemo.h"

/* A command number the module does not know. */
#define NOOP_CMD _IOWR(VMLAB_IOC_MAGIC, 0x7f, struct vmlab_version)

static double per_op_ns(uint64_t t0, uint64_t n)
{
	return (double)(vl_now_ns() - t0) / n;
}

static double bench_noop(int fd, uint64_t n)
{
	struct vmlab_version v = { .size = sizeof(v) };
	uint64_t t0 = vl_now_ns();
	uint64_t i;

	for (i = 0; i < n; i++)
		ioctl(fd, NOOP_CMD, &v);
	return per_op_ns(t0, n);
}

static double bench_version(int fd, uint64_t n)
{
	struct vmlab_version v;
	uint64_t t0 = vl_now_ns();
	uint64_t i;

	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		if (VMLAB_CALL(fd, VMLAB_IOC_VERSION, &v))
			return -1;
	}
	return per_op_ns(t0, n);
}

static double bench_add(int fd, unsigned int mode, uint64_t n)
{
	struct vmlab_ctr_create cc = { .mode = mode };
	struct vmlab_ctr_op op = { 0 };
	uint64_t t0;
	double ns;
	uint64_t i;

	if (VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &cc))
		return -1;
	op.id = cc.id;
	op.delta = 1;
	t0 = vl_now_ns();
	for (i = 0; i < n; i++)
		if (VMLAB_CALL(fd, VMLAB_IOC_CTR_ADD, &op))
			return -1;
	ns = per_op_ns(t0, n);
	op.delta = 0;
	VMLAB_CALL(fd, VMLAB_IOC_CTR_DESTROY, &op);
	return ns;
}

static void bench_help(FILE *f)
{
	fprintf(f,
		"Usage: racedemo [-J] bench [-n OPS]\n\n"
		"ns per uncontended ioctl on one file: an unknown command (noop-enotty),\n"
		"VMLAB_IOC_VERSION, and CTR_ADD of each kernel counter mode. Needs %s.\n\n"
		"  -n, --ops N        calls of each, a count (default 200k; 1M = 10^6)\n"
		"  -J, --json         one JSON document\n"
		"  -V, --version      the version\n"
		"  -h, --help         this help\n",
		vl_device());
}

static void bench_opt(int c, const char *arg, void *ctx)
{
	(void)c;
	*(uint64_t *)ctx = vl_opt_count("--ops", arg, 1, 1000000000000);
}

/* One row: op, ns per call. */
static void bench_row(struct libscols_table *tb, const char *op, double ns)
{
	struct libscols_line *ln = rd_line(tb);

	scols_line_set_data(ln, 0, op);
	vl_line_set_fmt(ln, 1, "%.1f", ns);
}

int cmd_bench(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, NULL, 'n' }, { 0 }
	};
	static const struct rd_cmdline cl = { "n:", longopts, bench_help,
					      bench_opt };
	static const struct vl_col cols[] = {
		{ "op", 0 },
		{ "ns_per_op", VL_NUM },
	};
	static const char *const add_names[VMLAB_CTR_MODES] = {
		"ctr-add-mutex",
		"ctr-add-racy",
		"ctr-add-atomic",
		"ctr-add-spinlock",
	};
	struct libscols_table *tb;
	uint64_t n = 200000;
	double ns;
	unsigned int m;
	int fd;

	rd_getopt(argc, argv, &cl, &n, o);
	fd = vl_device_open();
	if (fd < 0)
		return 1;
	tb = RD_TABLE(o, "bench", cols);
	bench_row(tb, "noop-enotty", bench_noop(fd, n));
	ns = bench_version(fd, n);
	if (ns < 0)
		goto fail;
	bench_row(tb, "version", ns);
	for (m = 0; m < VMLAB_CTR_MODES; m++) {
		ns = bench_add(fd, m, n);
		if (ns < 0)
			goto fail;
		bench_row(tb, add_names[m], ns);
	}
	close(fd);
	return rd_print(o, tb);
fail:
	vl_error("an ioctl on %s failed", vl_device());
	scols_unref_table(tb);
	close(fd);
	return 1;
}
