// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench's output: the header, the results as a table (JSON, CSV),
 * TLPI Table 28-3 beside the book's numbers, the plots, and what each
 * method's child shared.
 */
#include <errno.h>
#include <libsmartcols.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"
#include "table.h"

/* TLPI Table 28-3 (M. Kerrisk, The Linux Programming Interface, 2010). */
static const char *const tlpi_size[3] = { "1.70 MB", "2.70 MB", "11.70 MB" };
static const struct {
	const char *row;
	double rate[3];
} tlpi_rows[] = {
	{ "fork()", { 4544, 4135, 1276 } },
	{ "vfork()", { 28955, 28621, 28810 } },
	{ "clone()", { 34333, 34217, 34688 } },
	{ "fork() + exec()", { 764, 719, 435 } },
	{ "vfork() + exec()", { 969, 964, 960 } },
};

void print_header(void)
{
	struct utsname u;
	char line[512], model[256] = "unknown", mem[64];
	FILE *f = fopen("/proc/cpuinfo", "re");
	int i;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "model name : %255[^\n]", model) == 1)
				break;
		fclose(f);
	}
	uname(&u);
	fprintf(info,
		opt.sharing ?
			"# forkbench: one child per method reports what it shares\n" :
			"# forkbench: create a child, wait for it, repeat (as TLPI 28.3 does)\n");
	fprintf(info, "# machine: %s, %ld CPUs online, %s\n", u.machine,
		sysconf(_SC_NPROCESSORS_ONLN), model);
	fprintf(info, "# kernel: %s %s %s\n", u.sysname, u.release, u.version);
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
	if (f && fgets(line, sizeof(line), f))
		fprintf(info, "# THP: %s", line);
	else
		fprintf(info, "# THP: not available\n");
	if (f)
		fclose(f);
	if (!opt.sharing) {
		fprintf(info,
			"# runs: %d x %.2f s after a %.2f s warm-up; CPU %s%s; added memory %s\n",
			opt.reps, opt.dur, opt.warmup,
			opt.cpu < 0 ? "not pinned" : "pinned to ",
			opt.cpu < 0 ?
				"" :
				(snprintf(line, sizeof(line), "%d", opt.cpu),
				 line),
			opt.touch == FB_UNTOUCHED ?
				"untouched (no page tables)" :
			opt.touch == FB_TOUCHED ?
				(snprintf(
					 mem, sizeof(mem),
					 "touched (%zu KiB pages, MADV_NOHUGEPAGE)",
					 vl_page_size() >> 10),
				 mem) :
				(snprintf(
					 mem, sizeof(mem),
					 "touched with MADV_HUGEPAGE (%zu MiB pages)",
					 vl_pmd_size() >> 20),
				 mem));
		fprintf(info,
			"# VmSize of the measuring process (forkbench-engine, static) before padding: %ld kB\n",
			base_kb);
	}
	for (i = 0; i < nmethods; i++) {
		if (methods[i].exec) {
			fprintf(info, "# exec helper: %s\n", helper_desc);
			break;
		}
	}
	for (i = 0; i < nmethods && !opt.sharing; i++) {
		const struct fb_method *m = &methods[i];
		char added[64] = "";

		if (m->added)
			fb_flags_str(m->added, added, sizeof(added));
		fprintf(info, "# %s: flags %s%s%s%s; child: %s\n", m->name,
			m->flag_str, *added ? " (" : "", added,
			*added ? " added to wait for it)" : "", m->child);
	}
	fflush(info);
}

double tlpi_rate(const struct fb_method *m, int si)
{
	size_t i;

	if (!opt.tlpi || si > 2 || !m->tlpi)
		return 0;
	for (i = 0; i < sizeof(tlpi_rows) / sizeof(tlpi_rows[0]); i++)
		if (!strcmp(tlpi_rows[i].row, m->tlpi))
			return tlpi_rows[i].rate[si];
	return 0;
}

static void fmt_rate(char *buf, size_t len, double v)
{
	if (v > 0)
		snprintf(buf, len, "%.0f", v);
	else
		buf[0] = '\0';
}

static const char *result_error(const struct result *r, char *buf, size_t len)
{
	const struct fb_method *m = &methods[r->mi];
	const char *why;

	buf[0] = '\0';
	if (!r->err)
		return buf;
	why = fb_flags_explain(m->flags, m->kind, -r->err);
	snprintf(buf, len, "%s%s%s",
		 strerrorname_np(-r->err) ? strerrorname_np(-r->err) :
					    strerror(-r->err),
		 why ? ": " : "", why ? why : "");
	return buf;
}

static struct libscols_column *add_col(struct libscols_table *tb,
				       const char *name, int num)
{
	struct libscols_column *cl =
		scols_table_new_column(tb, name, 0, num ? SCOLS_FL_RIGHT : 0);

	if (cl && num)
		scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	return cl;
}

/* The long format: one line per method and size (table, JSON, CSV). */
void print_results(void)
{
	static const char *const cols[] = {
		"method",	"flags",     "vsize",	   "vmsize_kb",
		"touch",	"reps",	     "duration_s", "min_per_s",
		"median_per_s", "max_per_s", "tlpi_per_s", "vs_none",
		"effect",	"error"
	};
	static const int num[] = { 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0 };
	const int ncols = sizeof(cols) / sizeof(cols[0]);
	struct libscols_table *tb = scols_new_table();
	char v[16][600];
	int i, c;

	if (!tb)
		exit(1);
	scols_table_enable_json(tb, opt.json);
	scols_table_set_name(tb, "forkbench");
	for (c = 0; c < ncols; c++) {
		if (!opt.csv && !opt.json &&
		    ((c == 10 && !opt.tlpi) || (c >= 11 && !opt.matrix) ||
		     (c == 1 && opt.matrix) || c == 4 || c == 6 ||
		     (c == 2 && !nsizes)))
			continue;
		if (opt.csv)
			printf("%s%s", c ? "," : "", cols[c]);
		else
			add_col(tb, cols[c], num[c]);
	}
	if (opt.csv)
		printf("\n");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];
		const struct fb_method *m = &methods[r->mi];
		struct libscols_line *ln;
		int k = 0;

		snprintf(v[0], sizeof(v[0]), "%s", m->name);
		snprintf(v[1], sizeof(v[1]), "%s", m->flag_str);
		snprintf(v[2], sizeof(v[2]), "%s",
			 nsizes ? size_label[r->si] : "");
		snprintf(v[3], sizeof(v[3]), r->err ? "" : "%ld", r->vmsize_kb);
		snprintf(v[4], sizeof(v[4]), "%s", touch_name[opt.touch]);
		snprintf(v[5], sizeof(v[5]), r->err ? "" : "%d", r->reps);
		snprintf(v[6], sizeof(v[6]), "%g", opt.dur);
		fmt_rate(v[7], sizeof(v[7]), r->min);
		fmt_rate(v[8], sizeof(v[8]), r->med);
		fmt_rate(v[9], sizeof(v[9]), r->max);
		fmt_rate(v[10], sizeof(v[10]), r->tlpi);
		v[11][0] = '\0';
		if (opt.matrix && !r->err && results[r->si * nmethods].med > 0)
			snprintf(v[11], sizeof(v[11]), "%.2f",
				 r->med / results[r->si * nmethods].med);
		snprintf(v[12], sizeof(v[12]), "%s", r->desc ? r->desc : "");
		result_error(r, v[13], sizeof(v[13]));
		if (opt.csv) {
			for (c = 0; c < ncols; c++)
				printf(c == 1 || c == 12 || c == 13 ?
					       "%s\"%s\"" :
					       "%s%s",
				       c ? "," : "", v[c]);
			printf("\n");
			continue;
		}
		ln = scols_table_new_line(tb, NULL);
		for (c = 0; c < ncols; c++) {
			if (!opt.json && ((c == 10 && !opt.tlpi) ||
					  (c >= 11 && !opt.matrix) ||
					  (c == 1 && opt.matrix) || c == 4 ||
					  c == 6 || (c == 2 && !nsizes)))
				continue;
			if (*v[c] || !num[c])
				scols_line_set_data(ln, k, v[c]);
			k++;
		}
	}
	if (!opt.csv)
		scols_print_table(tb);
	scols_unref_table(tb);
}

/*
 * The book's finding, checked on our numbers: from the first to the last
 * size fork() loses (it copies page tables), vfork() and clone() do not.
 */
static void tlpi_shape(void)
{
	double ratio[3];
	int mi;

	if (nsizes < 2)
		return;
	for (mi = 0; mi < 3; mi++)
		ratio[mi] = results[(nsizes - 1) * nmethods + mi].med /
			    results[mi].med;
	printf("\nfrom %s to %s: fork() keeps %.0f%% of its rate, vfork() %.0f%%, clone() %.0f%%\n",
	       size_label[0], size_label[nsizes - 1], 100 * ratio[0],
	       100 * ratio[1], 100 * ratio[2]);
	if (ratio[0] < 0.8 && ratio[1] > 0.8 && ratio[2] > 0.8)
		printf("fork slows as the parent grows; vfork and clone do not (TLPI's shape)\n");
	else
		printf("TLPI's shape (fork below 80%%, vfork and clone above) not seen in this run: noise? try larger -n/-d\n");
}

/* Table 28-3's layout: a row per method, per size ours and the book's. */
void print_tlpi(void)
{
	struct libscols_table *tb = scols_new_table();
	char name[64], buf[32];
	int mi, si;

	if (!tb)
		exit(1);
	add_col(tb, "method", 0);
	for (si = 0; si < nsizes; si++) {
		snprintf(name, sizeof(name), "%.23s /s", size_label[si]);
		add_col(tb, name, 1);
		if (si < 3) {
			snprintf(name, sizeof(name), "TLPI %s", tlpi_size[si]);
			add_col(tb, name, 1);
		}
	}
	for (mi = 0; mi < nmethods; mi++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		int k = 1;

		scols_line_set_data(ln, 0,
				    methods[mi].tlpi ? methods[mi].tlpi :
						       methods[mi].name);
		for (si = 0; si < nsizes; si++) {
			const struct result *r = &results[si * nmethods + mi];

			fmt_rate(buf, sizeof(buf), r->med);
			scols_line_set_data(ln, k++, buf);
			if (si < 3) {
				fmt_rate(buf, sizeof(buf), r->tlpi);
				scols_line_set_data(ln, k++, buf);
			}
		}
	}
	printf("\nTable 28-3 layout: creations per second (median); TLPI column: the book's\n"
	       "numbers (M. Kerrisk, The Linux Programming Interface, 2010, Table 28-3)\n");
	scols_print_table(tb);
	scols_unref_table(tb);
	tlpi_shape();
}

void text_plot(void)
{
	double top = 0;
	int i, j;

	for (i = 0; i < nresults; i++)
		if (results[i].med > top)
			top = results[i].med;
	printf("\ncreations per second (median), one # per 2%% of the fastest\n");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];
		int w = top > 0 ? (int)(50 * r->med / top + 0.5) : 0;

		printf("%-28s %8s |", methods[r->mi].name,
		       nsizes ? size_label[r->si] : "");
		for (j = 0; j < 50; j++)
			putchar(j < w ? '#' : ' ');
		printf("| %.0f\n", r->med);
	}
}

int gnuplot(const char *file)
{
	size_t n = strlen(file);
	FILE *gp = popen("gnuplot", "w");
	int mi, si, first = 1;

	if (!gp) {
		perror("forkbench: gnuplot");
		return -1;
	}
	fprintf(gp,
		"set terminal %s size 900,560 font ',11'\nset output '%s'\n",
		!strcmp(file + n - 4, ".svg") ? "svg" : "pngcairo", file);
	fprintf(gp,
		"set title 'Process and thread creation rate vs size of the parent (memory %s)'\n"
		"set xlabel 'VmSize of the parent (MB)'\nset ylabel 'creations per second (median, bars: min..max)'\n"
		"set logscale y\nset grid\nset key outside right\n",
		touch_name[opt.touch]);
	if (nsizes > 1 && sizes[nsizes - 1] > 8 * sizes[0])
		fprintf(gp, "set logscale x\n");
	for (mi = 0; mi < nmethods; mi++) {
		fprintf(gp, "$m%d << EOD\n", mi);
		for (si = 0; si < (nsizes ? nsizes : 1); si++) {
			const struct result *r = &results[si * nmethods + mi];

			if (!r->err)
				fprintf(gp, "%.3f %.1f %.1f %.1f\n",
					r->vmsize_kb / 1024.0, r->med, r->min,
					r->max);
		}
		fprintf(gp, "EOD\n");
	}
	fprintf(gp, "plot ");
	for (mi = 0; mi < nmethods; mi++) {
		fprintf(gp,
			"%s$m%d using 1:2:3:4 with yerrorlines lw 2 title '%s'",
			first ? "" : ", ", mi, methods[mi].name);
		first = 0;
	}
	fprintf(gp, "\n");
	if (pclose(gp)) {
		fprintf(stderr, "forkbench: gnuplot failed to write %s\n",
			file);
		return -1;
	}
	fprintf(info, "# plot written to %s\n", file);
	return 0;
}

static const char *share_word(int v)
{
	return v ? "shared" : "private";
}

int show_sharing(const struct fb_probe_line *probes)
{
	struct libscols_table *tb = scols_new_table();
	static const char *const cols[] = {
		"method",	 "flags",	 "ran",		"new_tid",
		"thread_group",	 "memory",	 "files",	"fs",
		"sighand",	 "memory_child", "files_child", "fs_child",
		"sighand_child", "verdict"
	};
	int i, c, bad = 0;

	if (!tb)
		return 1;
	scols_table_enable_json(tb, opt.json);
	scols_table_set_name(tb, "forkbench");
	for (c = 0; c < 14; c++)
		if (opt.json || (c < 9 || c == 13))
			add_col(tb, cols[c], 0);
	for (i = 0; i < nmethods; i++) {
		const struct fb_method *m = &methods[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		struct fb_sharing s = probes[i].s;
		char verdict[128] = "", v[14][128];
		int ret = probes[i].ret, r, k = 0;
		snprintf(v[0], 64, "%.47s", m->name);
		snprintf(v[1], 128, "%.127s", m->flag_str);
		snprintf(v[2], 64, "%s", ret ? "n/a" : s.ran ? "yes" : "no");
		snprintf(v[3], 64, "%s",
			 ret	   ? "n/a" :
			 s.new_tid ? "yes" :
				     "no");
		snprintf(v[4], 64, "%s",
			 ret	     ? "n/a" :
			 s.same_tgid ? "same" :
				       "own");
		for (r = 0; r < FB_NSHARE; r++) {
			int child = s.kcmp[r] < 0 ? s.seen[r] : s.kcmp[r];

			snprintf(v[5 + r], 64, "%s",
				 ret		    ? "n/a" :
				 child != s.seen[r] ? "disagree" :
						      share_word(s.seen[r]));
			snprintf(v[9 + r], 64, "%s",
				 ret	       ? "n/a" :
				 s.kcmp[r] < 0 ? "kcmp failed" :
						 share_word(s.kcmp[r]));
			if (!ret &&
			    (child != s.seen[r] || s.seen[r] != s.expect[r]))
				snprintf(verdict + strlen(verdict),
					 sizeof(verdict) - strlen(verdict),
					 " %s", fb_share_name[r]);
		}
		if (ret)
			snprintf(v[13], 64, "exec replaces the image");
		else if (!s.ran || !s.new_tid ||
			 s.same_tgid != !!(m->flags & CLONE_THREAD) || *verdict)
			snprintf(v[13], 64, "MISMATCH:%s%s", verdict,
				 s.ran ? "" : " did not run");
		else
			snprintf(v[13], 64, "as flags say");
		if (!ret && strcmp(v[13], "as flags say"))
			bad++;
		for (c = 0; c < 14; c++)
			if (opt.json || (c < 9 || c == 13))
				scols_line_set_data(ln, k++, v[c]);
	}
	scols_print_table(tb);
	scols_unref_table(tb);
	if (!opt.json)
		printf("%s\n",
		       bad ? "some children did NOT behave as their flags say" :
			     "every child shared exactly what its flags say (seen by the child via kcmp, and by the parent)");
	return bad ? 1 : 0;
}
