/* mkmap_util.c: fgk-mkmap's little-endian byte readers. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkmap.h"

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
