/* fuzz_mkmap.h: what the fgk-mkmap reader harnesses share: the input as a file, and die_at() unwinding back to the harness. */
#ifndef FGK_FUZZ_MKMAP_H
#define FGK_FUZZ_MKMAP_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_arena.h"
#include "mkmap.h"

/*
 * A refusal is the expected outcome for most inputs: die_at() prints its
 * one line and longjmps here instead of exiting. What the input allocated
 * is freed by fuzz_arena_end() (fuzz_arena.c), what it opened is closed by
 * fuzz_close_from(); only libelf's handles are the harness's to end.
 */
static jmp_buf fuzz_jump;

static void fuzz_unwind(void)
{
	longjmp(fuzz_jump, 1);
}

/* The input as a file the readers can open: a memfd, by /proc path. */
static int fuzz_file(const uint8_t *data, size_t size, char *path, size_t cap)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

/* Close every descriptor from `first` on: those a refused input left open. */
static void fuzz_close_from(int first)
{
	for (int fd = first; fd < first + 64; fd++)
		close(fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	die_hook = fuzz_unwind;	/* refusals' one line goes to stderr: -close_fd_mask=2 */
	return 0;
}

/*
 * One input, as a file, through `read`, which may refuse it: then or
 * after, `cleanup` (may be NULL) ends what libelf holds, and what the
 * input allocated and opened is freed and closed.
 */
static int fuzz_read(const uint8_t *data, size_t size, void (*read)(const char *path),
		     void (*cleanup)(void))
{
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	fuzz_arena_begin();
	if (!setjmp(fuzz_jump))
		read(path);
	if (cleanup)
		cleanup();
	fuzz_arena_end();
	fuzz_close_from(fd);
	return 0;
}

#endif /* FGK_FUZZ_MKMAP_H */
