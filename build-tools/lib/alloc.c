/* alloc.c: allocation for the host tools that dies instead of returning NULL. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return p;
}

void vec_grow_(void **v, size_t *cap, size_t need, size_t esz)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap * 2 : 16;

	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*v, ncap * esz);

	if (!p)
		die("out of memory (%zu x %zu bytes)", ncap, esz);
	*v = p;
	*cap = ncap;
}
