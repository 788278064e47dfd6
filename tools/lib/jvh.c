// SPDX-License-Identifier: GPL-2.0
/* The shared options alone: -J, -V, -h (see jvh.h). */
#include <getopt.h>

#include "cli.h"
#include "jvh.h"

bool vl_jvh_options(int argc, char **argv, void (*usage)(FILE *out))
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "JVh", longopts, NULL)) != -1) {
		if (c == 'J')
			json = true;
		else
			vl_other_option(c, usage);
	}
	return json;
}

void vl_no_operands(int argc, char **argv)
{
	if (optind < argc)
		vl_usage_error("unexpected argument '%s'", argv[optind]);
}
