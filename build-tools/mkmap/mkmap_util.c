/* mkmap_util.c: fgk-mkmap's line splitter, number parser and little-endian byte readers. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkmap.h"

char *next_line(char **at)
{
	char *line = *at, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	*at = nl ? nl + 1 : line + strlen(line);
	if (nl)
		*nl = 0;
	return line;
}

/* Decimal or 0x-hex, the whole string. */
bool parse_num(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && !*end;
}

uint64_t rd_le(const void *p, int size)
{
	const unsigned char *b = p;
	uint64_t v = 0;

	for (int i = size - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

int64_t rd_sle(const void *p, int size)
{
	uint64_t v = rd_le(p, size);
	int shift = 64 - 8 * size;

	return shift ? (int64_t)(v << shift) >> shift : (int64_t)v;
}
