// SPDX-License-Identifier: GPL-2.0
/* What the tools' libsmartcols tables share (util-linux 2.38 has no scols_line_sprintf). */
#include <inttypes.h>
#include <stdio.h>
#include "table.h"

int vl_line_set_u64(struct libscols_line *ln, size_t col, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return scols_line_set_data(ln, col, buf);
}
