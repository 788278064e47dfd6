// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the shared-region commands land. */
#include <stdio.h>
#include "vmlabctl.h"

int vmlabctl_shm(int argc, char **argv, int json)
{
	(void)argc; (void)argv; (void)json;
	fprintf(stderr, "vmlabctl: shm: not available yet\n");
	return 1;
}
