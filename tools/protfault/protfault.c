// SPDX-License-Identifier: GPL-2.0
/*
 * protfault: make the accesses that page protection forbids and show how
 * each one ends. Every access runs in a child of its own, with a SIGSEGV
 * (and SIGBUS) handler that records the signal, si_code and si_addr in a
 * shared page before the child exits; the parent prints one row each.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "jvh.h"
#include "table.h"
#include "vl_arch.h"

struct report {
	uintptr_t target; /* the address accessed */
	int signo;
	int code;
	uintptr_t fault_addr;
	int survived; /* the access completed */
};

static struct report *report;

static void on_fault(int signo, siginfo_t *si, void *ctx)
{
	(void)ctx;
	report->signo = signo;
	report->code = si->si_code;
	report->fault_addr = (uintptr_t)si->si_addr;
	_exit(0);
}

/* A page mapped with prot, filled with "ret" so it can be called. */
static void *page(int prot)
{
	void *p = mmap(NULL, vl_page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || (vl_fill_ret(p, vl_page_size()),
				mprotect(p, vl_page_size(), prot))) {
		vl_error("mmap: %s", strerror(errno));
		exit(VL_EXIT_FAIL);
	}
	return p;
}

static void do_read(volatile char *p)
{
	(void)*p;
}

static void do_write(volatile char *p)
{
	*p = 1;
}

static void do_exec(void *p)
{
	void (*fn)(void) = (void (*)(void))p;

	fn();
}

struct access {
	const char *name;
	const char *what;
};

static const struct access accesses[] = {
	{ "write-ro", "write to a page mapped PROT_READ" },
	{ "exec-nx",
	  "call code in a page mapped PROT_READ|PROT_WRITE (NX set)" },
	{ "read-none", "read a page mapped PROT_NONE" },
	{ "read-hole", "read an address no mapping covers" },
	{ "read:ADDR",
	  "read ADDR (hex): a kernel address, or on x86-64 a non-canonical one" },
	{ "write-rw", "write to a page mapped PROT_READ|PROT_WRITE (allowed)" },
};

/*
 * Run one access in this (child) process, after noting its address in the
 * report; returns only if the access was allowed.
 */
static void run_access(const char *spec, uintptr_t addr)
{
	char *p = (char *)addr;

	if (!strcmp(spec, "write-ro") || !strcmp(spec, "read-hole"))
		p = page(PROT_READ);
	else if (!strcmp(spec, "exec-nx") || !strcmp(spec, "write-rw"))
		p = page(PROT_READ | PROT_WRITE);
	else if (!strcmp(spec, "read-none"))
		p = page(PROT_NONE);
	if (!strcmp(spec, "read-hole"))
		munmap(p, vl_page_size());
	report->target = (uintptr_t)p;
	if (!strcmp(spec, "exec-nx"))
		do_exec(p);
	else if (!strncmp(spec, "write", 5))
		do_write(p);
	else
		do_read(p);
}

static const char *code_name(int signo, int code)
{
	if (signo == SIGSEGV && code == SEGV_MAPERR)
		return "SEGV_MAPERR";
	if (signo == SIGSEGV && code == SEGV_ACCERR)
		return "SEGV_ACCERR";
	if (code == SI_KERNEL)
		return "SI_KERNEL";
	if (signo == SIGBUS && code == BUS_ADRERR)
		return "BUS_ADRERR";
	return "other";
}

static const char *signal_name(int signo)
{
	return signo == SIGSEGV ? "SIGSEGV" :
	       signo == SIGBUS	? "SIGBUS" :
				  "other";
}

static const char *meaning(const struct report *r)
{
	if (r->survived)
		return "allowed: no fault";
	if (r->signo == SIGSEGV && r->code == SEGV_ACCERR)
		return "mapped, but the entry forbids this access";
	if (r->signo == SIGSEGV && r->code == SEGV_MAPERR &&
	    vl_kernel_half(r->target))
		return "the kernel's half: user mode may not touch it";
	if (r->signo == SIGSEGV && r->code == SEGV_MAPERR)
		return "no mapping covers this address";
	if (r->code == SI_KERNEL)
		return "general protection fault: the CPU gives no address";
	return "-";
}

/* The access spec names, and its address for read:ADDR; exit 2 if bad. */
static void parse_spec(const char *spec, uintptr_t *addr)
{
	const char *why;
	uint64_t a;
	size_t i;

	*addr = 0;
	if (!strncmp(spec, "read:", 5)) {
		why = vl_parse_hex(spec + 5, &a);
		if (why)
			vl_bad_arg("access", spec, why);
		*addr = (uintptr_t)a;
		return;
	}
	for (i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++)
		if (!strcmp(spec, accesses[i].name))
			return;
	vl_usage_error("unknown access '%s' (see protfault --help)", spec);
}

static int run_child(const char *spec, uintptr_t addr)
{
	struct sigaction sa = { .sa_sigaction = on_fault,
				.sa_flags = SA_SIGINFO };
	pid_t pid;
	int status;

	memset(report, 0, sizeof(*report));
	pid = fork();
	if (pid < 0) {
		vl_error("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		run_access(spec, addr);
		report->survived = 1;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		vl_error("%s: the child did not exit normally", spec);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: protfault [options] ACCESS...\n"
		"Each ACCESS runs in a child; its SIGSEGV handler reports si_code and\n"
		"si_addr. ACCESS is one of:\n");
	for (i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++)
		fprintf(f, "  %-15s %s\n", accesses[i].name, accesses[i].what);
	fprintf(f,
		"\n"
		"  -J, --json      one JSON document\n"
		"  -V, --version   version\n"
		"  -h, --help      this help\n"
		"\nExit status: 0 done, 1 failed (mmap, fork, a child killed), 2 bad usage.\n");
}

/* One row: what happened to the access spec. */
static void add_row(struct libscols_table *tb, const char *spec, bool json)
{
	struct libscols_line *ln = vl_line(tb, NULL);
	const struct report *r = report;

	vl_line_set_name(ln, 0, spec, 64);
	vl_line_set_fmt(ln, 1, "0x%016jx", (uintmax_t)r->target);
	vl_line_set_name(ln, 2, r->survived ? "none" : signal_name(r->signo),
			 16);
	if (!r->survived) {
		vl_line_set_name(ln, 3, code_name(r->signo, r->code), 16);
		vl_line_set_fmt(ln, 4, "0x%016jx", (uintmax_t)r->fault_addr);
	} else if (!json) {
		vl_line_set_name(ln, 3, "-", 2); /* JSON: null */
		vl_line_set_name(ln, 4, "-", 2);
	}
	vl_line_set_name(ln, 5, meaning(r), 64);
}

int main(int argc, char **argv)
{
	static const struct vl_col cols[] = {
		{ "ACCESS", 0 },  { "ADDRESS", 0 }, { "SIGNAL", 0 },
		{ "SI_CODE", 0 }, { "SI_ADDR", 0 }, { "MEANING", 0 },
	};
	struct libscols_table *tb;
	struct vl_doc doc;
	int i, failed = 0;
	uintptr_t addr;
	bool json;

	vl_init(argv, "protfault");
	json = vl_jvh_options(argc, argv, usage);
	if (optind == argc)
		vl_usage_error("no ACCESS given");
	for (i = optind; i < argc; i++)
		parse_spec(argv[i], &addr);
	report = mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	tb = VL_TABLE("protfault", json, cols);
	if (report == MAP_FAILED || !tb) {
		vl_error("mmap: %s", strerror(errno));
		return VL_EXIT_FAIL;
	}
	for (i = optind; i < argc; i++) {
		parse_spec(argv[i], &addr);
		if (run_child(argv[i], addr))
			failed = 1;
		else
			add_row(tb, argv[i], json);
	}
	vl_doc_init(&doc, json);
	if (vl_doc_add(&doc, tb) || vl_doc_end(&doc))
		return VL_EXIT_FAIL;
	return failed ? VL_EXIT_FAIL : VL_EXIT_OK;
}
