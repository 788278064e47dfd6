// SPDX-License-Identifier: GPL-2.0
/* vmlabctl: talk to /dev/vmlab (module info, shared regions, counters). */
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jvh.h"
#include "libvmlab.h"
#include "table.h"
#include "vmlabctl.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vmlabctl [options] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  info                      ABI version and features of the loaded module\n"
		"  shm SUBCOMMAND            shared regions (vmlabctl shm --help)\n"
		"\n"
		"Options (also after the command):\n"
		"  -J, --json                one JSON document\n"
		"  -V, --version             version\n"
		"  -h, --help                this help\n"
		"\nExit status: 0 done, 1 failed (device, module), 2 bad usage.\n");
}

int vmlabctl_open(void)
{
	int fd = vl_device_open();

	if (fd < 0)
		exit(EXIT_FAILURE);
	return fd;
}

static int cmd_info(int argc, char **argv, bool json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct vl_col cols[] = {
		{ "ABI", 0 },  { "FEATURES", 0 },  { "MASK", 0 },
		{ "ARCH", 0 }, { "PAGE", VL_NUM }, { "LEVELS", VL_NUM },
	};
	struct vmlab_version ver;
	struct libscols_table *tb;
	struct libscols_line *ln;
	char feats[256] = "";
	const char *name;
	unsigned int bit;
	struct vl_doc doc;
	int fd, ret, c;

	optind = 0; /* restart getopt: main() parsed the global options */
	while ((c = getopt_long(argc, argv, "J", opts, NULL)) != -1) {
		if (c != 'J')
			vl_try_help();
		json = true;
	}
	if (optind < argc)
		vl_usage_error("info takes no arguments");
	fd = vmlabctl_open();
	ret = vmlab_version(fd, &ver);
	close(fd);
	if (ret) {
		vl_error("VMLAB_IOC_VERSION on %s: %s", vl_device(),
			 strerror(-ret));
		return EXIT_FAILURE;
	}
	for (bit = 0; (name = vmlab_feature_name(bit)); bit++) {
		if (!(ver.features & (1ULL << bit)))
			continue;
		if (*feats)
			strcat(feats, ",");
		strcat(feats, name);
	}
	tb = VL_TABLE("vmlab", json, cols);
	ln = tb ? vl_line(tb, NULL) : NULL;
	if (!ln)
		return EXIT_FAILURE;
	vl_line_set_fmt(ln, 0, "%u.%u", ver.major, ver.minor);
	scols_line_set_data(ln, 1, feats);
	vl_line_set_fmt(ln, 2, "0x%llx", (unsigned long long)ver.features);
	scols_line_set_data(ln, 3,
			    ver.arch == VMLAB_ARCH_X86_64 ? "x86-64" :
			    ver.arch == VMLAB_ARCH_ARM64  ? "arm64" :
							    "?");
	if (ver.page_shift) /* 0 from a module of ABI 1 */
		vl_line_set_u64(ln, 4, 1ULL << ver.page_shift);
	if (ver.pgtable_levels)
		vl_line_set_u64(ln, 5, ver.pgtable_levels);
	vl_doc_init(&doc, json);
	return vl_doc_add(&doc, tb) || vl_doc_end(&doc) ? EXIT_FAILURE :
							  EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	bool json;

	vl_init(argv, "vmlabctl");
	json = vl_jvh_command_options(argc, argv, usage);
	if (optind >= argc)
		vl_usage_error("missing COMMAND (info or shm)");
	if (!strcmp(argv[optind], "info"))
		return cmd_info(argc - optind, argv + optind, json);
	if (!strcmp(argv[optind], "shm"))
		return vmlabctl_shm(argc - optind, argv + optind, json);
	vl_usage_error("unknown command '%s'", argv[optind]);
}
