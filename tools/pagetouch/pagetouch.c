// SPDX-License-Identifier: GPL-2.0
/*
 * pagetouch: map a region, then run steps on it (read, write, fork,
 * clear the accessed bits, flush the TLB, mprotect...) and show the
 * page-table entries of the region between steps.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvmlab.h"
#include "vmlab_pt.h"

#define HPAGE (2UL << 20)

struct ctx {
	int fd;
	char *base;
	size_t len;
	bool json;
	const char *who;	/* "", "parent", "child" */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pagetouch [options] STEP...\n"
		"Map a region, run STEPs on it and show its page-table entries.\n\n"
		"  -s, --size SIZE      region size (default 16K; K/M/G suffixes)\n"
		"  -f, --file PATH      map PATH (created, sized) instead of anonymous memory\n"
		"  -S, --shared         MAP_SHARED (default MAP_PRIVATE)\n"
		"  -H, --huge           2 MiB aligned with MADV_HUGEPAGE (default: MADV_NOHUGEPAGE)\n"
		"  -T, --hugetlb        anonymous hugetlb pages (reserve them in nr_hugepages)\n"
		"  -J, --json           dumps as JSON\n"
		"  -h, --help           this help\n\n"
		"steps (N is a page index, or 'all'):\n"
		"  read:N write:N       load or store a byte of page N\n"
		"  dump                 the entries of the region (also: dump:LABEL)\n"
		"  clear                clear the accessed bits (no TLB flush)\n"
		"  flush                make the CPUs forget our cached translations\n"
		"  ro | rw              mprotect the region read-only / read-write\n"
		"  lock                 mlock the region\n"
		"  faults               minor/major page faults so far\n"
		"  fork                 the child runs the remaining steps, then the parent does\n"
		"  sleep:SECONDS\n");
}

static void say(const struct ctx *c, const char *fmt, const char *arg)
{
	printf("%s%s", c->who, *c->who ? ": " : "");
	printf(fmt, arg);
	putchar('\n');
	fflush(stdout);	/* a script may wait for this line while we go on */
}

static int dump(const struct ctx *c, const char *label)
{
	static const char *const cols[] = { "PAGE", "VA", "PFN", "P", "A", "D", "W", "FLAGS" };
	struct vmlab_pte recs[512];
	struct vmlab_pt_query q;
	struct libscols_table *tb = scols_new_table();
	size_t i, npages = c->len / VMLAB_PT_PAGE;
	int ret = 0;

	if (!tb)
		return -ENOMEM;
	scols_table_enable_json(tb, c->json);
	scols_table_set_name(tb, "pages");
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		scols_table_new_column(tb, cols[i], 0, i == 2 ? SCOLS_FL_RIGHT : 0);
	memset(&q, 0, sizeof(q));
	q.start = (uintptr_t)c->base;
	q.end = q.start + c->len;
	while (!ret && q.start < q.end) {
		q.count = 512;
		q.entries = (uintptr_t)recs;
		ret = VMLAB_CALL(c->fd, VMLAB_IOC_PT_QUERY, &q);
		for (i = 0; !ret && i < q.count; i++) {
			const struct vmlab_pte *r = &recs[i];
			struct libscols_line *ln = scols_table_new_line(tb, NULL);
			char buf[64];
			uint64_t va = r->va < (uintptr_t)c->base ? (uintptr_t)c->base : r->va;

			if (!ln)
				break;
			snprintf(buf, sizeof(buf), "%" PRIu64 "%s",
				 (va - (uintptr_t)c->base) / VMLAB_PT_PAGE,
				 r->level == VMLAB_LEVEL_PMD ? " (2M)" : "");
			scols_line_set_data(ln, 0, buf);
			snprintf(buf, sizeof(buf), "0x%" PRIx64, (uint64_t)r->va);
			scols_line_set_data(ln, 1, buf);
			snprintf(buf, sizeof(buf), "%" PRIu64, (uint64_t)r->pfn);
			scols_line_set_data(ln, 2, buf);
			scols_line_set_data(ln, 3, r->flags & VMLAB_PTE_PRESENT ? "1" : "0");
			scols_line_set_data(ln, 4, r->flags & VMLAB_PTE_ACCESSED ? "1" : "0");
			scols_line_set_data(ln, 5, r->flags & VMLAB_PTE_DIRTY ? "1" : "0");
			scols_line_set_data(ln, 6, r->flags & VMLAB_PTE_WRITE ? "1" : "0");
			snprintf(buf, sizeof(buf), "%s%s%s raw=0x%" PRIx64,
				 r->flags & VMLAB_PTE_ZERO_PAGE ? "zero-page " : "",
				 r->flags & VMLAB_PTE_HUGE ? "huge " : "",
				 r->flags & VMLAB_PTE_SWAP ? "swap " : "", (uint64_t)r->entry);
			scols_line_set_data(ln, 7, buf);
		}
	}
	if (!ret) {
		if (!c->json)
			printf("%s%s%s (%zu pages, no line: no entry)\n", c->who, *c->who ? ": " : "",
			       label ? label : "entries", npages);
		scols_print_table(tb);
	}
	scols_unref_table(tb);
	return ret;
}

static int page_range(const struct ctx *c, const char *arg, size_t *first, size_t *last)
{
	size_t npages = c->len / VMLAB_PT_PAGE;
	char *end;

	if (!strcmp(arg, "all")) {
		*first = 0;
		*last = npages - 1;
		return 0;
	}
	*first = strtoul(arg, &end, 10);
	if (*end || end == arg || *first >= npages)
		return -EINVAL;
	*last = *first;
	return 0;
}

static int step(struct ctx *c, char **steps, int i, int n);

static int do_fork(struct ctx *c, char **steps, int i, int n)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		c->who = "child";
		exit(step(c, steps, i, n) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return -ECHILD;
	c->who = "parent";
	return step(c, steps, i, n);
}

/* Run steps[i..n): 0 or -errno. */
static int step(struct ctx *c, char **steps, int i, int n)
{
	volatile char *p = (volatile char *)c->base;
	struct rusage ru;
	size_t a, b, k;
	int64_t cleared;
	char *arg;
	int ret = 0;

	for (; i < n && !ret; i++) {
		const char *s = steps[i];

		arg = strchr(s, ':');
		arg = arg ? arg + 1 : NULL;
		if (!strncmp(s, "read:", 5) || !strncmp(s, "write:", 6)) {
			if (page_range(c, arg, &a, &b))
				return -EINVAL;
			for (k = a; k <= b; k++) {
				if (s[0] == 'r')
					(void)p[k * VMLAB_PT_PAGE];
				else
					p[k * VMLAB_PT_PAGE] = (char)k + 1;
			}
			say(c, "%s", s);
		} else if (!strcmp(s, "dump") || !strncmp(s, "dump:", 5)) {
			ret = dump(c, arg);
		} else if (!strcmp(s, "clear")) {
			cleared = vmlab_pt_clear_accessed(c->fd, (uintptr_t)c->base,
							  (uintptr_t)c->base + c->len);
			if (cleared < 0)
				return (int)cleared;
			printf("%s%sclear: %" PRId64 " accessed bits were set (TLB not flushed)\n",
			       c->who, *c->who ? ": " : "", cleared);
		} else if (!strcmp(s, "flush")) {
			ret = vmlab_flush_tlb();
			say(c, "%s: TLB flushed", s);
		} else if (!strcmp(s, "ro") || !strcmp(s, "rw")) {
			if (mprotect(c->base, c->len, PROT_READ | (s[1] == 'w' ? PROT_WRITE : 0)))
				return -errno;
			say(c, "mprotect %s", s);
		} else if (!strcmp(s, "lock")) {
			if (mlock(c->base, c->len))
				return -errno;
			say(c, "%s: mlock", s);
		} else if (!strcmp(s, "faults")) {
			getrusage(RUSAGE_SELF, &ru);
			printf("%s%sfaults: %ld minor, %ld major\n", c->who, *c->who ? ": " : "",
			       ru.ru_minflt, ru.ru_majflt);
		} else if (!strcmp(s, "fork")) {
			return do_fork(c, steps, i + 1, n);
		} else if (!strncmp(s, "sleep:", 6)) {
			usleep((useconds_t)(strtod(arg, NULL) * 1e6));
		} else {
			fprintf(stderr, "pagetouch: unknown step '%s'\n", s);
			return -EINVAL;
		}
	}
	return ret;
}

static char *map_region(size_t len, const char *file, bool shared, bool huge, bool tlb)
{
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (tlb ? MAP_HUGETLB : 0), f = -1;
	size_t maplen = huge ? len + HPAGE : len;
	char *p;

	if (file) {
		f = open(file, O_RDWR | O_CREAT, 0644);
		if (f < 0 || ftruncate(f, (off_t)len))
			return NULL;
		maplen = len;
	} else {
		flags |= MAP_ANONYMOUS;
	}
	p = mmap(NULL, maplen, PROT_READ | PROT_WRITE, flags, f, 0);
	if (f >= 0)
		close(f);
	if (p == MAP_FAILED)
		return NULL;
	if (tlb)
		return p;
	if (huge && !file) {
		p = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
		madvise(p, len, MADV_HUGEPAGE);
	} else {
		madvise(p, len, MADV_NOHUGEPAGE);
	}
	return p;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "file", required_argument, NULL, 'f' },
		{ "shared", no_argument, NULL, 'S' },
		{ "huge", no_argument, NULL, 'H' },
		{ "hugetlb", no_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx c = { .len = 4 * VMLAB_PT_PAGE, .who = "" };
	const char *file = NULL;
	bool shared = false, huge = false, tlb = false;
	uint64_t size;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "s:f:SHTJh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (vmlab_parse_size(optarg, &size) || !size || size % VMLAB_PT_PAGE ||
			    size > (1ULL << 34)) {
				fprintf(stderr, "pagetouch: bad size '%s' (pages, up to 16G)\n", optarg);
				return 2;
			}
			c.len = size;
			break;
		case 'f': file = optarg; break;
		case 'S': shared = true; break;
		case 'H': huge = true; break;
		case 'T': tlb = true; break;
		case 'J': c.json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	c.fd = vmlab_open();
	if (c.fd < 0) {
		fprintf(stderr, "pagetouch: open %s: %s\n", VMLAB_DEVICE, strerror(-c.fd));
		return 1;
	}
	c.base = map_region(c.len, file, shared, huge, tlb);
	if (!c.base) {
		fprintf(stderr, "pagetouch: map: %s\n", strerror(errno));
		return 1;
	}
	ret = step(&c, argv, optind, argc);
	if (ret) {
		fprintf(stderr, "pagetouch: %s\n", strerror(-ret));
		return ret == -EINVAL ? 2 : 1;
	}
	return 0;
}
