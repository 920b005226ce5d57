/* floor.c: the floor a shuffle is compared with: copy the bytes that may move, read the map once. */
#include <string.h>

#include "harness.h"

/*
 * Any shuffler must at least copy the bytes it moves and read its map.
 * The floor does only that, with libc's memcpy (vector code, which the
 * runtime may not use) and one streaming pass: a bound, not a rival.
 * noinline: callgrind counts each as its own function.
 */
__attribute__((noinline)) void floor_copy(const struct bench *b)
{
	uint8_t *to = b->floor_buf;

	for (uint32_t r = 0; r < b->map.hdr->nr_regions; r++) {
		memcpy(to, b->img.image + b->map.regions[r].start, b->region_unit_bytes[r]);
		to += b->region_unit_bytes[r];
	}
	__asm__ volatile("" : : "r"(b->floor_buf) : "memory");	/* the copy is used */
}

__attribute__((noinline)) uint64_t floor_read_map(const void *buf, uint64_t size)
{
	const uint64_t *w = buf;
	uint64_t sum = 0, i;

	for (i = 0; i < size / 8; i++)
		sum += w[i];
	for (i *= 8; i < size; i++)
		sum += ((const uint8_t *)buf)[i];
	__asm__ volatile("" : "+r"(sum));	/* the sum is used */
	return sum;
}
