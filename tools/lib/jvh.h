/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line of a tool whose only options are the shared ones:
 * -J/--json, -V/--version, -h/--help (docs/tools.md).
 */
#ifndef VMLAB_JVH_H
#define VMLAB_JVH_H

#include <getopt.h> /* optind */
#include <stdbool.h>
#include <stdio.h>

/*
 * Parse argv for -J, -V and -h (anywhere among the arguments); -V and -h
 * exit 0, anything else is a usage error (exit 2). Returns whether -J was
 * given; optind is then the first of the operands, which getopt has moved
 * to the end of argv.
 */
bool vl_jvh_options(int argc, char **argv, void (*usage)(FILE *out));

/*
 * The same for the options before a command word (vmlabctl COMMAND ...):
 * they stop at the first operand, which optind then names; what follows
 * it is the command's.
 */
bool vl_jvh_command_options(int argc, char **argv, void (*usage)(FILE *out));

/* After the options of a tool that takes no operand: any is an error (2). */
void vl_no_operands(int argc, char **argv);

#endif
