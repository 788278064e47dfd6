// SPDX-License-Identifier: GPL-2.0
/*
 * threadtrace: trace threads through Init, Ready, Running, Waiting and
 * Finished with BPF programs on the scheduler's tracepoints; print each
 * transition and, at the end, the time each thread spent in each state.
 */
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cli.h"
#include "svg.h"
#include "table.h"
#include "threadtrace.h"
#include "threadtrace.skel.h"

#define NSTATES 5
#define MAX_STEPS 100000 /* timeline entries kept per thread */
#define NBUCKETS 32

static const char *const state_names[NSTATES] = {
	"Init", "Ready", "Running", "Waiting", "Finished",
};

static const char *const why_names[] = {
	"newtask", "wakeup_new", "wakeup", "switch_in",
	"preempt", "block",	 "dead",   "exit",
};

struct step {
	unsigned long long ts;
	unsigned int state, why, cpu, kstate;
};

struct thread {
	unsigned int tid, tgid;
	char comm[16];
	int state; /* -1 until the first event */
	int exiting; /* in do_exit(): its last switch (Finished) is to come */
	unsigned long long since; /* entered state at */
	unsigned long long time[NSTATES];
	unsigned long long runs, wakeups, preempts;
	struct step *steps;
	size_t nsteps, cap, lost;
	struct thread *next; /* hash chain */
};

struct opts {
	unsigned int tgid, tid;
	uint64_t duration_ns;
	int json, hist, quiet;
	const char *svg;
	char **cmd;
};

static volatile sig_atomic_t stopping;
static struct thread *table[4096];
static struct thread **order; /* threads in order of first event */
static size_t nthreads, order_cap;
static unsigned long long t0; /* first event */
static unsigned long long hist[NBUCKETS]; /* Ready durations, log2 of us */
static const struct opts *gopts;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: threadtrace [options] [-p PID | -t TID | -- COMMAND [ARGS...]]\n"
		"\n"
		"Trace threads through the five states of the lecture (Init, Ready,\n"
		"Running, Waiting, Finished) with BPF on the scheduler tracepoints.\n"
		"\n"
		"  -p, --pid PID          the threads of process PID\n"
		"  -t, --tid TID          one thread\n"
		"  -d, --duration TIME    stop after TIME (500ms, 2s; a bare number is seconds;\n"
		"                         default: when the target ends, or ^C)\n"
		"  -H, --hist             histogram of the time spent Ready (run-queue wait)\n"
		"  -q, --quiet            no live timeline, only the summary\n"
		"  -J, --json             one JSON document: the summary and each timeline\n"
		"      --svg FILE         draw each thread's timeline into FILE, by gnuplot\n"
		"  -V, --version          version\n"
		"  -h, --help             this help\n"
		"\n"
		"With -- COMMAND, threadtrace runs COMMAND and traces its threads from\n"
		"the start. Needs root (CAP_BPF and CAP_PERFMON).\n"
		"\nExit status: 0 done (with COMMAND: its status), 1 failed (BPF, no such\n"
		"process), 2 bad usage.\n");
}

static struct thread *lookup(unsigned int tid, unsigned int tgid)
{
	struct thread **slot = &table[tid % 4096], *t;

	for (t = *slot; t; t = t->next)
		if (t->tid == tid)
			return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (nthreads == order_cap) {
		size_t cap = order_cap ? 2 * order_cap : 64;
		struct thread **o = realloc(order, cap * sizeof(*o));

		if (!o) {
			free(t);
			return NULL;
		}
		order = o;
		order_cap = cap;
	}
	t->tid = tid;
	t->tgid = tgid;
	t->state = -1;
	t->next = *slot;
	*slot = t;
	order[nthreads++] = t;
	return t;
}

static void add_step(struct thread *t, const struct tt_event *e)
{
	if (t->nsteps == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct step *s;

		if (cap > MAX_STEPS ||
		    !(s = realloc(t->steps, cap * sizeof(*s)))) {
			t->lost++;
			return;
		}
		t->steps = s;
		t->cap = cap;
	}
	t->steps[t->nsteps++] =
		(struct step){ e->ts_ns, e->state, e->why, e->cpu, e->kstate };
}

static void hist_add(unsigned long long ns)
{
	unsigned long long us = ns / 1000;
	int b = 0;

	while (us > 1 && b < NBUCKETS - 1) {
		us >>= 1;
		b++;
	}
	hist[b]++;
}

static void print_step(const struct thread *t, int from,
		       const struct tt_event *e)
{
	printf("%12.6f  %7u %-15s %-8s -> %-8s %s, cpu %u\n",
	       (double)(e->ts_ns - t0) / 1e9, t->tid, t->comm,
	       from < 0 ? "?" : state_names[from], state_names[e->state],
	       why_names[e->why], e->cpu);
}

/* A thread was seen exiting and its final switch has not come yet. */
static int exits_pending(void)
{
	size_t i;

	for (i = 0; i < nthreads; i++)
		if (order[i]->exiting && order[i]->state != TT_FINISHED)
			return 1;
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct tt_event *e = data;
	struct thread *t;
	int from;

	(void)ctx;
	if (size < sizeof(*e) || e->state >= NSTATES)
		return 0;
	if (!t0)
		t0 = e->ts_ns;
	t = lookup(e->tid, e->tgid);
	if (!t)
		return -ENOMEM;
	memcpy(t->comm, e->comm, sizeof(t->comm));
	t->comm[15] = '\0';
	from = t->state;
	if (e->why == TT_WHY_EXIT)
		t->exiting = 1;
	if (e->why == TT_WHY_EXIT || from == TT_FINISHED)
		return 0; /* exit begins while Running; nothing follows Finished */
	/* a wakeup of a thread that is already runnable changes nothing */
	if (e->why == TT_WHY_WAKEUP && (from == TT_READY || from == TT_RUNNING))
		return 0;
	if (from == (int)e->state)
		return 0;
	if (from >= 0) {
		unsigned long long d =
			e->ts_ns > t->since ? e->ts_ns - t->since : 0;

		t->time[from] += d;
		if (from == TT_READY)
			hist_add(d);
	}
	t->state = (int)e->state;
	t->since = e->ts_ns;
	t->runs += e->state == TT_RUNNING;
	t->wakeups += e->why == TT_WHY_WAKEUP;
	t->preempts += e->why == TT_WHY_PREEMPT;
	add_step(t, e);
	if (!gopts->quiet && !gopts->json)
		print_step(t, from, e);
	return 0;
}

/* Close the open interval of each thread at the end of the trace. */
static void finish_times(unsigned long long end)
{
	size_t i;

	for (i = 0; i < nthreads; i++) {
		struct thread *t = order[i];

		if (t->state >= 0 && t->state != TT_FINISHED && end > t->since)
			t->time[t->state] += end - t->since;
	}
}

static const struct vl_col summary_cols[] = {
	{ "TID", VL_NUM },
	{ "TGID", VL_NUM },
	{ "COMM", 0 },
	{ "READY_NS", VL_NUM },
	{ "RUNNING_NS", VL_NUM },
	{ "WAITING_NS", VL_NUM },
	{ "RUNS", VL_NUM },
	{ "WAKEUPS", VL_NUM },
	{ "PREEMPTIONS", VL_NUM },
	{ "LOST_STEPS", VL_NUM },
	{ "STATE", 0 },
};

static const struct vl_col timeline_cols[] = {
	{ "TID", VL_NUM }, { "T_NS", VL_NUM }, { "STATE", 0 },
	{ "WHY", 0 },	   { "CPU", VL_NUM },
};

static const struct vl_col trace_cols[] = {
	{ "SOURCE", 0 },
	{ "THREADS", VL_NUM },
	{ "DROPPED", VL_NUM },
};

static void summary_line(struct libscols_table *tb, const struct thread *t)
{
	struct libscols_line *ln = vl_line(tb, NULL);
	size_t k;

	if (!ln)
		return;
	vl_line_set_u64(ln, 0, t->tid);
	vl_line_set_u64(ln, 1, t->tgid);
	vl_line_set_name(ln, 2, t->comm, sizeof(t->comm));
	for (k = 0; k < 3; k++)
		vl_line_set_u64(ln, 3 + k, t->time[k + 1]);
	vl_line_set_u64(ln, 6, t->runs);
	vl_line_set_u64(ln, 7, t->wakeups);
	vl_line_set_u64(ln, 8, t->preempts);
	vl_line_set_u64(ln, 9, t->lost);
	scols_line_set_data(ln, 10, t->state < 0 ? "?" : state_names[t->state]);
}

static void timeline_lines(struct libscols_table *tb, const struct thread *t)
{
	size_t j;

	for (j = 0; j < t->nsteps; j++) {
		const struct step *s = &t->steps[j];
		struct libscols_line *ln = vl_line(tb, NULL);

		if (!ln)
			return;
		vl_line_set_u64(ln, 0, t->tid);
		vl_line_set_u64(ln, 1, s->ts - t0);
		scols_line_set_data(ln, 2, state_names[s->state]);
		scols_line_set_data(ln, 3, why_names[s->why]);
		vl_line_set_u64(ln, 4, s->cpu);
	}
}

/* --json: the trace, each thread's summary and its timeline. */
static int print_json(unsigned long long dropped)
{
	struct libscols_table *tr = VL_TABLE("trace", true, trace_cols);
	struct libscols_table *sm = VL_TABLE("threads", true, summary_cols);
	struct libscols_table *tl = VL_TABLE("timeline", true, timeline_cols);
	struct libscols_line *ln = tr ? vl_line(tr, NULL) : NULL;
	struct vl_doc doc;
	size_t i;
	int ret;

	if (!ln || !sm || !tl) {
		scols_unref_table(tr);
		scols_unref_table(sm);
		scols_unref_table(tl);
		return -ENOMEM;
	}
	scols_line_set_data(ln, 0, "bpf");
	vl_line_set_u64(ln, 1, nthreads);
	vl_line_set_u64(ln, 2, dropped);
	for (i = 0; i < nthreads; i++) {
		summary_line(sm, order[i]);
		timeline_lines(tl, order[i]);
	}
	vl_doc_init(&doc, true);
	ret = vl_doc_add(&doc, tr);
	ret = ret ? ret : vl_doc_add(&doc, sm);
	ret = ret ? ret : vl_doc_add(&doc, tl);
	return ret ? ret : vl_doc_end(&doc);
}

/*
 * The states in order as letters: I R U W F (U = rUnning); a run of
 * preemptions, Running -> Ready -> Running again, is written (RU)xN.
 */
static void format_path(const struct thread *t, char *path, size_t size)
{
	size_t j = 0, n = 0, pairs;

	while (j < t->nsteps && n + 12 < size) {
		pairs = 0;
		while (j + 1 < t->nsteps && t->steps[j].why == TT_WHY_PREEMPT &&
		       t->steps[j + 1].state == TT_RUNNING) {
			pairs++;
			j += 2;
		}
		if (pairs == 1)
			n += (size_t)snprintf(path + n, size - n, "RU");
		else if (pairs)
			n += (size_t)snprintf(path + n, size - n, "(RU)x%zu",
					      pairs);
		if (j < t->nsteps && n + 12 < size)
			path[n++] = "IRUWF"[t->steps[j++].state];
	}
	if (j < t->nsteps)
		path[n++] = '+';
	path[n] = '\0';
}

static void print_summary(void)
{
	static const struct vl_col cols[] = {
		{ "TID", VL_NUM },
		{ "COMM", 0 },
		{ "READY(ms)", VL_NUM },
		{ "RUNNING(ms)", VL_NUM },
		{ "WAITING(ms)", VL_NUM },
		{ "RUNS", VL_NUM },
		{ "WAKEUPS", VL_NUM },
		{ "PREEMPT", VL_NUM },
		{ "STATE", 0 },
		{ "PATH", 0 },
	};
	struct libscols_table *tb = VL_TABLE("threads", false, cols);
	struct vl_doc doc;
	char path[64];
	size_t i, k;

	for (i = 0; tb && i < nthreads; i++) {
		const struct thread *t = order[i];
		struct libscols_line *ln = vl_line(tb, NULL);

		if (!ln)
			break;
		vl_line_set_u64(ln, 0, t->tid);
		vl_line_set_name(ln, 1, t->comm, sizeof(t->comm));
		for (k = 0; k < 3; k++)
			vl_line_set_fmt(ln, 2 + k, "%.3f",
					(double)t->time[k + 1] / 1e6);
		vl_line_set_u64(ln, 5, t->runs);
		vl_line_set_u64(ln, 6, t->wakeups);
		vl_line_set_u64(ln, 7, t->preempts);
		scols_line_set_data(ln, 8,
				    t->state < 0 ? "?" : state_names[t->state]);
		format_path(t, path, sizeof(path));
		scols_line_set_data(ln, 9, path);
	}
	printf("\n");
	vl_doc_init(&doc, false);
	vl_doc_add(&doc, tb);
}

static void print_hist(void)
{
	unsigned long long max = 0;
	int i, last = -1;

	for (i = 0; i < NBUCKETS; i++) {
		if (hist[i] > max)
			max = hist[i];
		if (hist[i])
			last = i;
	}
	printf("\nTime Ready before running (run-queue wait):\n%20s : %-8s\n",
	       "usecs", "count");
	for (i = 0; i <= last; i++) {
		int bar = max ? (int)(40 * hist[i] / max) : 0;

		printf("%9llu -> %-9llu : %-8llu |%-40.*s|\n",
		       i ? 1ULL << i : 0, (2ULL << i) - 1, hist[i], bar,
		       "****************************************");
	}
}

/*
 * --svg: a row a thread, a bar for each state it was in from the step
 * that entered it to the next (the last, to the end of the trace), a dot
 * where it finished. One data block a state: its bars in one plot.
 */
static int draw_timeline(const char *file, unsigned long long end)
{
	static const char *const argv[] = { "gnuplot", NULL };
	static const char *const colour[NSTATES] = { "#bbbbbb", "#ff7f00",
						     "#33a02c", "#1f78b4",
						     "#000000" };
	double span = (double)(end - t0) / 1e6;
	unsigned int k, first = 1;
	struct vl_draw d;
	size_t i, j, have[NSTATES] = { 0 };

	if (vl_draw_open(&d, argv, "gnuplot-nox", file))
		return -1;
	fprintf(d.in,
		"set terminal svg size 960,%zu font 'sans-serif,11'\n"
		"set title 'threads through Init, Ready, Running, Waiting, Finished (%zu threads)'\n"
		"set xlabel 'time since the first event (ms)'\nset key off\n"
		"set style fill solid noborder\nset xrange [0:%.6f]\nset yrange [-0.6:%zu.6]\n"
		"set ytics (",
		160 + 26 * nthreads, nthreads, span > 0 ? span : 1,
		nthreads ? nthreads - 1 : 0);
	for (i = 0; i < nthreads; i++)
		fprintf(d.in, "%s'%u %.15s' %zu", i ? ", " : "", order[i]->tid,
			order[i]->comm[0] && !strchr(order[i]->comm, '\'') ?
				order[i]->comm :
				"?",
			i);
	fprintf(d.in, ")\n");
	for (k = 0; k < NSTATES; k++)
		fprintf(d.in,
			"set label %u '%s' at screen %.3f, screen 0.97 textcolor rgb '%s'\n",
			k + 1, state_names[k], 0.62 + 0.075 * k, colour[k]);
	for (k = 0; k < NSTATES; k++) {
		fprintf(d.in, "$s%u << EOD\n", k);
		for (i = 0; i < nthreads; i++) {
			const struct thread *t = order[i];

			for (j = 0; j < t->nsteps; j++) {
				const struct step *s = &t->steps[j];
				unsigned long long to =
					j + 1 < t->nsteps ? t->steps[j + 1].ts :
							    end;

				if (s->state != k)
					continue;
				have[k]++;
				if (k == TT_FINISHED)
					fprintf(d.in, "%.6f %zu\n",
						(double)(s->ts - t0) / 1e6, i);
				else
					fprintf(d.in, "%.6f %.6f %zu\n",
						(double)(s->ts - t0) / 1e6,
						(double)(to - t0) / 1e6, i);
			}
		}
		fprintf(d.in, "EOD\n");
	}
	fprintf(d.in, "plot");
	for (k = 0; k < NSTATES; k++) {
		if (!have[k])
			continue;
		if (k == TT_FINISHED)
			fprintf(d.in,
				"%s $s%u using 1:2 with points pt 7 ps 0.8 lc rgb '%s' title '%s'",
				first ? "" : ",", k, colour[k], state_names[k]);
		else
			fprintf(d.in,
				"%s $s%u using (($1+$2)/2):3:1:2:($3-0.35):($3+0.35) with boxxy lc rgb '%s' title '%s'",
				first ? "" : ",", k, colour[k], state_names[k]);
		first = 0;
	}
	if (first) /* nothing traced: an empty frame */
		fprintf(d.in, " 1/0 notitle");
	fprintf(d.in, "\n");
	return vl_draw_close(&d);
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Fork COMMAND stopped on a pipe until the programs are attached. */
static pid_t spawn(char **cmd, int *go_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		close(p[0]);
		execvp(cmd[0], cmd);
		vl_error("%s: %s", cmd[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

/* A process or thread that is not there is an error, not an empty trace. */
static void check_exists(const char *what, unsigned int id)
{
	if (kill((pid_t)id, 0) && errno == ESRCH) {
		vl_error("no %s %u", what, id);
		exit(VL_EXIT_FAIL);
	}
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_SVG = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' },
		{ "svg", required_argument, NULL, O_SVG },
		{ "duration", required_argument, NULL, 'd' },
		{ "hist", no_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'J' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+p:t:d:HqJVh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'p':
			o->tgid = (unsigned int)vl_opt_pid("--pid", optarg);
			break;
		case 't':
			o->tid = (unsigned int)vl_opt_pid("--tid", optarg);
			break;
		case 'd':
			o->duration_ns =
				vl_opt_duration("--duration", optarg, 1000000,
						86400 * VL_NSEC_PER_SEC);
			break;
		case 'H':
			o->hist = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'J':
			o->json = 1;
			break;
		case O_SVG:
			o->svg = vl_opt_file("--svg", optarg);
			break;
		default:
			vl_other_option(opt, usage);
		}
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (!!o->cmd + !!o->tgid + !!o->tid != 1)
		vl_usage_error(
			"give exactly one of -p PID, -t TID or -- COMMAND");
	if (o->tgid)
		check_exists("process", o->tgid);
	if (o->tid)
		check_exists("thread", o->tid);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct threadtrace_bpf *skel;
	struct ring_buffer *rb = NULL;
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	unsigned long long deadline = 0, dropped, end_ns;
	pid_t child = 0;
	int go_fd = -1, ret, status = 0, exit_code = 0;

	vl_init(argv, "threadtrace");
	parse_args(argc, argv, &o);
	gopts = &o;
	/* kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK */
	setrlimit(RLIMIT_MEMLOCK, &rl);

	if (o.cmd) {
		child = spawn(o.cmd, &go_fd);
		if (child < 0) {
			vl_error("fork: %s", strerror(errno));
			return 1;
		}
		o.tgid = (unsigned int)child;
	}

	skel = threadtrace_bpf__open();
	if (!skel) {
		vl_error("cannot open the BPF object: %s", strerror(errno));
		goto fail;
	}
	skel->rodata->targ_tgid = o.tgid;
	skel->rodata->targ_tid = o.tid;
	ret = threadtrace_bpf__load(skel);
	if (!ret)
		ret = threadtrace_bpf__attach(skel);
	if (ret) {
		vl_error("cannot load or attach the BPF programs: %s%s",
			 strerror(-ret), geteuid() ? " (run as root)" : "");
		goto fail_skel;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL,
			      NULL);
	if (!rb) {
		vl_error("ring buffer: %s", strerror(errno));
		goto fail_skel;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!o.json && !o.quiet)
		printf("%12s  %7s %-15s %-8s    %-8s %s\n", "TIME(s)", "TID",
		       "COMM", "FROM", "TO", "EVENT");
	if (o.duration_ns)
		deadline = vl_now_ns() + o.duration_ns;
	if (child) {
		if (write(go_fd, "g", 1) != 1)
			goto fail_rb;
		close(go_fd);
		go_fd = -1;
	}

	while (!stopping) {
		/* the programs never wake us (BPF_RB_NO_WAKEUP): drain every 50 ms */
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
		ret = ring_buffer__consume(rb);
		if (ret < 0 && ret != -EINTR) {
			vl_error("ring buffer: %s", strerror(-ret));
			exit_code = 1;
			break;
		}
		fflush(stdout);
		if (deadline && vl_now_ns() >= deadline)
			break;
		if (child && waitpid(child, &status, WNOHANG) == child) {
			child = 0;
			break;
		}
		if (!o.cmd && o.tgid && kill((pid_t)o.tgid, 0) &&
		    errno == ESRCH)
			break;
		if (o.tid && kill((pid_t)o.tid, 0) && errno == ESRCH)
			break;
	}
	/*
	 * What the last threads left behind. A process is reaped once its
	 * last thread has exited, maybe before that thread's final switch:
	 * wait for the Finished of every thread seen exiting, 1 s at most.
	 */
	ring_buffer__consume(rb);
	for (int tries = 0; exits_pending() && tries < 20; tries++) {
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
		ring_buffer__consume(rb);
	}
	end_ns = vl_now_ns();
	finish_times(end_ns);
	dropped = skel->bss->dropped;

	if (o.json) {
		if (print_json(dropped))
			exit_code = 1;
	} else {
		print_summary();
		if (o.hist)
			print_hist();
		if (dropped)
			printf("\n%llu events lost: the ring buffer was full\n",
			       dropped);
	}
	if (o.svg && draw_timeline(o.svg, end_ns))
		exit_code = 1;
	ring_buffer__free(rb);
	threadtrace_bpf__destroy(skel);
	if (child) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	if (o.cmd && WIFEXITED(status) && WEXITSTATUS(status) && !exit_code)
		exit_code = WEXITSTATUS(status);
	return exit_code;

fail_rb:
	ring_buffer__free(rb);
fail_skel:
	threadtrace_bpf__destroy(skel);
fail:
	if (child) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 1;
}
