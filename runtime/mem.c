/* mem.c: copy and fill without libc, a word at a time. */
#include "fgk_internal.h"

/*
 * The runtime may not call memcpy/memset (check-freestanding), and build.mk
 * passes -fno-tree-loop-distribute-patterns so gcc does not turn these
 * loops back into such calls. The 8-byte accesses go through a type that
 * may alias anything and need no alignment.
 */
typedef uint64_t __attribute__((aligned(1), may_alias)) fgk_word;

/* Copy n bytes; the ranges must not overlap. */
void fgk_copy(void *dst, const void *src, uint64_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(fgk_word *)d = *(const fgk_word *)s;
	for (; n; n--)
		*d++ = *s++;
}

void fgk_fill(void *dst, uint8_t byte, uint64_t n)
{
	uint8_t *d = dst;
	uint64_t word = byte * 0x0101010101010101ULL;

	for (; n >= 8; n -= 8, d += 8)
		*(fgk_word *)d = word;
	for (; n; n--)
		*d++ = byte;
}
