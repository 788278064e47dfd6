// SPDX-License-Identifier: GPL-2.0
/* The shared options alone: -J, -V, -h (see jvh.h). */
#include <getopt.h>

#include "cli.h"
#include "jvh.h"

static bool jvh_getopt(int argc, char **argv, const char *optstring,
		       void (*usage)(FILE *out))
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		vl_json_or_other(c, &json, usage);
	return json;
}

bool vl_jvh_options(int argc, char **argv, void (*usage)(FILE *out))
{
	return jvh_getopt(argc, argv, "JVh", usage);
}

bool vl_jvh_command_options(int argc, char **argv, void (*usage)(FILE *out))
{
	return jvh_getopt(argc, argv, "+JVh", usage);
}

void vl_no_operands(int argc, char **argv)
{
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
}
