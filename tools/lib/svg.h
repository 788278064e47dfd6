/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tools' pictures (--svg): SVG written by hand where no drawing
 * program fits (ptdump's broken-axis map), and the drawing programs
 * Debian keeps for the rest, gnuplot and Graphviz's dot, run with a
 * script on their standard input and the picture on their output.
 */
#ifndef VMLAB_SVG_H
#define VMLAB_SVG_H
#include <stdio.h>
#include <sys/types.h>

/* Open path and write the SVG header of a w x h picture; NULL: errno. */
FILE *vl_svg_open(const char *path, int w, int h);
/* The closing tag, then close: 0 or -errno. */
int vl_svg_close(FILE *f);
/*
 * Text from elsewhere (a path, a name) as XML character data or an
 * attribute value: & < > " ' as entities, bytes outside printable ASCII
 * as \xHH (the tables' escaping), so that any input gives valid XML.
 */
void vl_svg_esc(FILE *f, const char *s);

/* A drawing program writing into a file. */
struct vl_draw {
	FILE *in; /* its standard input: the script */
	pid_t pid;
	const char *prog, *out;
};

/*
 * Run argv[0] (found on PATH) with its output into out: 0, or -1 after
 * saying why ("gnuplot: not found on PATH (Debian package gnuplot-nox)",
 * where pkg names the package).
 */
int vl_draw_open(struct vl_draw *d, const char *const argv[], const char *pkg,
		 const char *out);
/* Close its input and wait: 0, or -1 after saying how it failed. */
int vl_draw_close(struct vl_draw *d);

#endif
