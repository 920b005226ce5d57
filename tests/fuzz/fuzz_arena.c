/* fuzz_arena.c: what fgk-mkmap allocates during one fuzz input, freed after it, refused or not (linked with --wrap). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_arena.h"

/*
 * fgk-mkmap never frees what it holds when it refuses an input (it exits),
 * so a harness that unwinds instead would leak a little per input and run
 * out of memory within minutes. The linker sends fgk-mkmap's calls to
 * calloc, realloc, strndup, vasprintf and free here (-Wl,--wrap=...);
 * while an input runs, live blocks are remembered, and fuzz_arena_end()
 * frees those still live. libelf, a shared library, allocates on its own:
 * its handles are ended by the harness.
 */

void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strndup(const char *s, size_t n);
int __real_vasprintf(char **out, const char *fmt, va_list ap);
void __real_free(void *p);

static int tracking;
static void **live;
static size_t nlive, cap;

static void remember(void *p)
{
	if (!tracking || !p)
		return;
	if (nlive == cap) {
		cap = cap ? 2 * cap : 1024;
		live = __real_realloc(live, cap * sizeof(*live));
		if (!live)
			abort();
	}
	live[nlive++] = p;
}

/* Forget p if it is remembered (the newest first: most frees are recent). */
static void forget(void *p)
{
	for (size_t i = nlive; p && i-- > 0;)
		if (live[i] == p) {
			live[i] = live[--nlive];
			return;
		}
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p = __real_calloc(n, size);

	remember(p);
	return p;
}

void *__wrap_realloc(void *old, size_t size)
{
	void *p = __real_realloc(old, size);

	if (p) {
		forget(old);
		remember(p);
	}
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	char *p = __real_strndup(s, n);

	remember(p);
	return p;
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
	int r = __real_vasprintf(out, fmt, ap);

	if (r >= 0)
		remember(*out);
	return r;
}

void __wrap_free(void *p)
{
	forget(p);
	__real_free(p);
}

void fuzz_arena_begin(void)
{
	nlive = 0;
	tracking = 1;
}

void fuzz_arena_end(void)
{
	tracking = 0;
	for (size_t i = 0; i < nlive; i++)
		__real_free(live[i]);
	nlive = 0;
}
