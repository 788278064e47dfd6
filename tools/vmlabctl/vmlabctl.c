// SPDX-License-Identifier: GPL-2.0
/* vmlabctl: talk to /dev/vmlab (module info, shared regions, counters). */
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvmlab.h"
#include "vmlabctl.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmlabctl [--json] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  info                      ABI version and features of the loaded module\n"
		"  shm SUBCOMMAND            shared regions (vmlabctl shm --help)\n"
		"\n"
		"Options:\n"
		"  -J, --json                JSON output\n"
		"  -h, --help                this help\n");
}

int vmlabctl_open(void)
{
	int fd = vmlab_open();

	if (fd < 0) {
		fprintf(stderr, "vmlabctl: cannot open %s: %s%s\n", VMLAB_DEVICE,
			strerror(-fd),
			fd == -ENOENT ? " (is vmlab.ko loaded?)" : "");
		exit(EXIT_FAILURE);
	}
	return fd;
}

static int cmd_info(int json)
{
	struct vmlab_version ver;
	struct libscols_table *tb;
	struct libscols_line *ln;
	char buf[64], feats[256] = "";
	const char *name;
	unsigned int bit;
	int fd, ret;

	fd = vmlabctl_open();
	ret = vmlab_version(fd, &ver);
	close(fd);
	if (ret) {
		fprintf(stderr, "vmlabctl: VMLAB_IOC_VERSION: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	for (bit = 0; (name = vmlab_feature_name(bit)); bit++) {
		if (!(ver.features & (1ULL << bit)))
			continue;
		if (*feats)
			strcat(feats, ",");
		strcat(feats, name);
	}

	tb = scols_new_table();
	if (!tb)
		return EXIT_FAILURE;
	scols_table_enable_json(tb, json);
	scols_table_set_name(tb, "vmlab");
	scols_table_new_column(tb, "ABI", 0, 0);
	scols_table_new_column(tb, "FEATURES", 0, 0);
	scols_table_new_column(tb, "MASK", 0, 0);
	ln = scols_table_new_line(tb, NULL);
	snprintf(buf, sizeof(buf), "%u.%u", ver.major, ver.minor);
	scols_line_set_data(ln, 0, buf);
	scols_line_set_data(ln, 1, feats);
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ver.features);
	scols_line_set_data(ln, 2, buf);
	scols_print_table(tb);
	scols_unref_table(tb);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int json = 0, c;

	while ((c = getopt_long(argc, argv, "+Jh", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind], "info"))
		return cmd_info(json);
	if (!strcmp(argv[optind], "shm"))
		return vmlabctl_shm(argc - optind, argv + optind, json);
	fprintf(stderr, "vmlabctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
