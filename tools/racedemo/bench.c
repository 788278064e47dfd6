// SPDX-License-Identifier: GPL-2.0
/*
 * racedemo bench: what one kernel counter operation costs, uncontended, on
 * one file: CTR_ADD of each mode against two ioctls that do no work, an
 * unknown command (-ENOTTY from the same dispatch) and VMLAB_IOC_VERSION
 * (the same dispatch plus a struct copied in and out, like CTR_ADD).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvmlab.h"
#include "racedemo.h"

/* A command number the module does not know. */
#define NOOP_CMD _IOWR(VMLAB_IOC_MAGIC, 0x7f, struct vmlab_version)

static double per_op_ns(uint64_t t0, long n)
{
	return (double)(rd_now_ns() - t0) / n;
}

static double bench_noop(int fd, long n)
{
	struct vmlab_version v = { .size = sizeof(v) };
	uint64_t t0 = rd_now_ns();
	long i;

	for (i = 0; i < n; i++)
		ioctl(fd, NOOP_CMD, &v);
	return per_op_ns(t0, n);
}

static double bench_version(int fd, long n)
{
	struct vmlab_version v;
	uint64_t t0 = rd_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		if (VMLAB_CALL(fd, VMLAB_IOC_VERSION, &v))
			return -1;
	}
	return per_op_ns(t0, n);
}

static double bench_add(int fd, unsigned int mode, long n)
{
	struct vmlab_ctr_create cc = { .mode = mode };
	struct vmlab_ctr_op op = { 0 };
	uint64_t t0;
	double ns;
	long i;

	if (VMLAB_CALL(fd, VMLAB_IOC_CTR_CREATE, &cc))
		return -1;
	op.id = cc.id;
	op.delta = 1;
	t0 = rd_now_ns();
	for (i = 0; i < n; i++)
		if (VMLAB_CALL(fd, VMLAB_IOC_CTR_ADD, &op))
			return -1;
	ns = per_op_ns(t0, n);
	op.delta = 0;
	VMLAB_CALL(fd, VMLAB_IOC_CTR_DESTROY, &op);
	return ns;
}

int cmd_bench(int argc, char **argv, struct rd_opts *o)
{
	static const struct option longopts[] = {
		{ "ops", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const struct rd_col cols[] = {
		{ "op", SCOLS_JSON_STRING },
		{ "ns_per_op", SCOLS_JSON_NUMBER },
	};
	static const char *const add_names[VMLAB_CTR_MODES] = {
		"ctr-add-mutex",
		"ctr-add-racy",
		"ctr-add-atomic",
		"ctr-add-spinlock",
	};
	struct libscols_table *t;
	long n = 200000;
	double ns;
	unsigned int m;
	int c, fd;

	while ((c = getopt_long(argc, argv, "n:Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (rd_parse_count(optarg, &n))
				return rd_usage_error(
					"bench", "bad operation count '%s'",
					optarg);
			break;
		case 'J':
			o->json = true;
			break;
		case 'h':
			printf("usage: racedemo [--json] bench [-n OPS]\n\n"
			       "ns per uncontended ioctl on one file: an unknown command (noop-enotty),\n"
			       "VMLAB_IOC_VERSION, and CTR_ADD of each kernel counter mode.\n");
			return 0;
		default:
			return rd_usage_error("bench", "bad option");
		}
	}
	fd = vmlab_open();
	if (fd < 0) {
		fprintf(stderr,
			"racedemo bench: needs /dev/vmlab (%s): is the vmlab module loaded?\n",
			strerror(-fd));
		return 1;
	}
	t = rd_table("bench", cols, 2);
	rd_row(t, "noop-enotty|%.1f", bench_noop(fd, n));
	ns = bench_version(fd, n);
	if (ns < 0)
		goto fail;
	rd_row(t, "version|%.1f", ns);
	for (m = 0; m < VMLAB_CTR_MODES; m++) {
		ns = bench_add(fd, m, n);
		if (ns < 0)
			goto fail;
		rd_row(t, "%s|%.1f", add_names[m], ns);
	}
	close(fd);
	return rd_print(o, &t, 1);
fail:
	fprintf(stderr, "racedemo bench: an ioctl failed\n");
	scols_unref_table(t);
	close(fd);
	return 1;
}
