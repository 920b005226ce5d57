/* e2e_util.c: die() and checked allocation for the e2e host tools. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "e2e_util.h"

/* Set by each tool's main() so messages say which tool failed. */
const char *e2e_tool_name = "e2e";

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", e2e_tool_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}
