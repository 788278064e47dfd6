// SPDX-License-Identifier: GPL-2.0
/*
 * shmfork: the lectures' fork programs. A MAP_SHARED|MAP_ANONYMOUS buffer
 * written before fork(): the child reads the parent's message and writes
 * its own, and the parent, a second later, reads the child's. Beside it a
 * plain variable, which fork() copies: the child's write never reaches
 * the parent. Each side also prints the page frame its address maps
 * (from /proc/self/pagemap; 0 without CAP_SYS_ADMIN).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The frame that maps addr in this process, or 0 when not visible. */
static uint64_t frame_of(const void *addr)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent), (off_t)((uintptr_t)addr / 4096) * 8) !=
	    sizeof(ent))
		ent = 0;
	close(fd);
	/* bit 63: present; bits 0..54: the frame number */
	return ent >> 63 ? ent & ((1ULL << 55) - 1) : 0;
}

static void *create_shared_memory(size_t size)
{
	return mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: shmfork [-w SECONDS]\n\n"
		"The parent writes \"hello\" to a MAP_SHARED|MAP_ANONYMOUS buffer and\n"
		"x = 1 to a plain variable, then forks; the child reads both, writes\n"
		"\"goodbye\" and x = 2; after SECONDS (default 1) the parent reads again.\n");
}

int main(int argc, char **argv)
{
	static const char parent_message[] = "hello",
			  child_message[] = "goodbye";
	volatile int x = 1;
	unsigned int wait_s = 1;
	char *shmem;
	pid_t pid;
	int opt;

	while ((opt = getopt(argc, argv, "w:h")) != -1) {
		if (opt == 'w') {
			wait_s = (unsigned int)atoi(optarg);
		} else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	shmem = create_shared_memory(128);
	if (shmem == MAP_FAILED) {
		perror("shmfork: mmap");
		return 1;
	}
	memcpy(shmem, parent_message, sizeof(parent_message));
	printf("parent %d: shared buffer at %p (frame 0x%jx), x at %p (frame 0x%jx)\n",
	       (int)getpid(), (void *)shmem, (uintmax_t)frame_of(shmem),
	       (void *)&x, (uintmax_t)frame_of((void *)&x));
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("shmfork: fork");
		return 1;
	}
	if (pid == 0) {
		printf("Child read: %s, x = %d\n", shmem, x);
		memcpy(shmem, child_message, sizeof(child_message));
		x = 2;
		printf("Child wrote: %s, x = %d\n", shmem, x);
		printf("child %d: shared buffer frame 0x%jx, x frame 0x%jx\n",
		       (int)getpid(), (uintmax_t)frame_of(shmem),
		       (uintmax_t)frame_of((void *)&x));
		fflush(stdout);
		_exit(0);
	}
	printf("Parent read: %s, x = %d\n", shmem, x);
	fflush(stdout);
	sleep(wait_s);
	printf("After %us, parent read: %s, x = %d\n", wait_s, shmem, x);
	printf("parent %d: shared buffer frame 0x%jx, x frame 0x%jx\n",
	       (int)getpid(), (uintmax_t)frame_of(shmem),
	       (uintmax_t)frame_of((void *)&x));
	waitpid(pid, NULL, 0);
	return 0;
}
