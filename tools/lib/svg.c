// SPDX-License-Identifier: GPL-2.0
/* The tools' pictures (see svg.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "svg.h"

FILE *vl_svg_open(const char *path, int w, int h)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return NULL;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"sans-serif\" font-size=\"11\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		w, h, w, h);
	return f;
}

int vl_svg_close(FILE *f)
{
	int err;

	fprintf(f, "</svg>\n");
	err = ferror(f) ? EIO : 0;
	if (fclose(f) && !err)
		err = errno;
	return -err;
}

void vl_svg_esc(FILE *f, const char *s)
{
	static const char *const ent[128] = {
		['&'] = "&amp;",  ['<'] = "&lt;",    ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&apos;",
	};

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 128 && ent[c])
			fputs(ent[c], f);
		else if (c < 0x20 || c > 0x7e || (c == '\\' && s[1] == 'x'))
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/* Is prog an executable on $PATH (or a path)? */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH"), *p;
	char buf[4096];

	if (strchr(prog, '/'))
		return !access(prog, X_OK);
	for (p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (!access(buf, X_OK))
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

int vl_draw_open(struct vl_draw *d, const char *const argv[], const char *pkg,
		 const char *out)
{
	int p[2], fd;

	d->prog = argv[0];
	d->out = out;
	if (!on_path(argv[0])) {
		vl_error("--svg: %s: not found on PATH (Debian package %s)",
			 argv[0], pkg);
		return -1;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		vl_error("--svg '%s': %s", out, strerror(errno));
		return -1;
	}
	if (pipe2(p, O_CLOEXEC)) {
		vl_error("pipe: %s", strerror(errno));
		close(fd);
		return -1;
	}
	signal(SIGPIPE,
	       SIG_IGN); /* a program that dies early: an error, not a kill */
	d->pid = fork();
	if (d->pid == 0) {
		dup2(p[0], 0);
		dup2(fd, 1);
		execvp(argv[0], (char *const *)argv);
		vl_error("%s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	close(fd);
	if (d->pid < 0) {
		vl_error("fork: %s", strerror(errno));
		close(p[1]);
		return -1;
	}
	d->in = fdopen(p[1], "w");
	if (!d->in) {
		close(p[1]);
		waitpid(d->pid, NULL, 0);
		return -1;
	}
	return 0;
}

int vl_draw_close(struct vl_draw *d)
{
	int status = 0;

	fclose(d->in);
	if (waitpid(d->pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		vl_error("--svg '%s': %s failed (%s %d)", d->out, d->prog,
			 WIFSIGNALED(status) ? "signal" : "exit status",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
					       WEXITSTATUS(status));
		return -1;
	}
	return 0;
}
