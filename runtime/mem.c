/* mem.c: fill without libc, a word at a time (copy is inline in fgk_internal.h). */
#include "fgk_internal.h"

/* See fgk_copy() for why this is a loop of unaligned 8-byte stores. */
void fgk_fill(void *dst, uint8_t byte, uint64_t n)
{
	uint8_t *d = dst;
	uint64_t word = byte * 0x0101010101010101ULL;

	for (; n >= 8; n -= 8, d += 8)
		*(fgk_word *)d = word;
	for (; n; n--)
		*d++ = byte;
}
