/* SPDX-License-Identifier: GPL-2.0 */
/* What the tools' libsmartcols tables share. */
#ifndef VMLAB_TABLE_H
#define VMLAB_TABLE_H

#include <stdint.h>
#include <libsmartcols.h>

/* Cell col of ln as a decimal number: 0 or -errno. */
int vl_line_set_u64(struct libscols_line *ln, size_t col, uint64_t v);

#endif
