// SPDX-License-Identifier: GPL-2.0
/*
 * protfault: make the accesses that page protection forbids and show how
 * each one ends. Every access runs in a child of its own, with a SIGSEGV
 * (and SIGBUS) handler that records the signal, si_code and si_addr in a
 * shared page before the child exits; the parent prints one row each.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* A page mapped with prot, filled with x86 "ret" so it can be called. */
static void *page(int prot)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("protfault: mmap");
		exit(1);
	}
	memset(p, 0xc3, 4096);
	if (mprotect(p, 4096, prot)) {
		perror("protfault: mprotect");
		exit(1);
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
	{ "read:ADDR", "read ADDR (hex): a kernel or a non-canonical address" },
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
		munmap(p, 4096);
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
	if (r->signo == SIGSEGV && r->code == SEGV_MAPERR && r->target >> 63)
		return "the kernel's half: user mode may not touch it";
	if (r->signo == SIGSEGV && r->code == SEGV_MAPERR)
		return "no mapping covers this address";
	if (r->code == SI_KERNEL)
		return "general protection fault: the CPU gives no address";
	return "-";
}

static int parse_spec(const char *spec, uintptr_t *addr)
{
	size_t i;
	char *end;

	*addr = 0;
	if (!strncmp(spec, "read:", 5)) {
		errno = 0;
		*addr = strtoull(spec + 5, &end, 16);
		return errno || end == spec + 5 || *end ? -1 : 0;
	}
	for (i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++)
		if (!strcmp(spec, accesses[i].name))
			return 0;
	return -1;
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
		perror("protfault: fork");
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
		fprintf(stderr,
			"protfault: %s: the child did not exit normally\n",
			spec);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: protfault ACCESS...\n\n"
		"Each ACCESS runs in a child; its SIGSEGV handler reports si_code and\n"
		"si_addr. ACCESS is one of:\n");
	for (i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++)
		fprintf(f, "  %-10s %s\n", accesses[i].name, accesses[i].what);
	fprintf(f, "  -h, --help this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	int c, i, failed = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	for (i = optind; i < argc; i++) {
		uintptr_t addr;

		if (parse_spec(argv[i], &addr)) {
			fprintf(stderr, "protfault: unknown access '%s'\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}
	report = mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (report == MAP_FAILED) {
		perror("protfault: mmap");
		return 1;
	}
	printf("%-22s %-18s %-7s %-11s %-18s %s\n", "ACCESS", "ADDRESS",
	       "SIGNAL", "SI_CODE", "SI_ADDR", "MEANING");
	for (i = optind; i < argc; i++) {
		uintptr_t addr;

		parse_spec(argv[i], &addr);
		if (run_child(argv[i], addr)) {
			failed = 1;
			continue;
		}
		if (report->survived)
			printf("%-22s 0x%016jx %-7s %-11s %-18s %s\n", argv[i],
			       (uintmax_t)report->target, "none", "-", "-",
			       meaning(report));
		else
			printf("%-22s 0x%016jx %-7s %-11s 0x%016jx %s\n",
			       argv[i], (uintmax_t)report->target,
			       signal_name(report->signo),
			       code_name(report->signo, report->code),
			       (uintmax_t)report->fault_addr, meaning(report));
	}
	return failed;
}
