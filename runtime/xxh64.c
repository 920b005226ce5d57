/* xxh64.c: XXH64 (xxHash 64-bit), freestanding, for the map checksum. */
#include "fgk_internal.h"

/* The reference algorithm (xxhash.h, XXH64), written for byte pointers. */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t round64(uint64_t acc, uint64_t input)
{
	acc += input * P2;
	return rotl(acc, 31) * P1;
}

static uint64_t merge_round(uint64_t acc, uint64_t val)
{
	acc ^= round64(0, val);
	return acc * P1 + P4;
}

/* The 32-byte stripes: four lanes, then merged. */
static uint64_t stripes(const uint8_t **pp, const uint8_t *end, uint64_t seed)
{
	const uint8_t *p = *pp;
	uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;

	for (; end - p >= 32; p += 32) {
		v1 = round64(v1, fgk_rd64(p));
		v2 = round64(v2, fgk_rd64(p + 8));
		v3 = round64(v3, fgk_rd64(p + 16));
		v4 = round64(v4, fgk_rd64(p + 24));
	}
	*pp = p;
	uint64_t h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);

	h = merge_round(h, v1);
	h = merge_round(h, v2);
	h = merge_round(h, v3);
	return merge_round(h, v4);
}

static uint64_t finalize(uint64_t h, const uint8_t *p, const uint8_t *end)
{
	for (; end - p >= 8; p += 8)
		h = rotl(h ^ round64(0, fgk_rd64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		h = rotl(h ^ (uint64_t)fgk_rd32(p) * P1, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		h = rotl(h ^ *p * P5, 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	return h ^ (h >> 32);
}

uint64_t fgk_xxh64(const void *data, uint64_t len, uint64_t seed)
{
	const uint8_t *p = data, *end = p + len;
	uint64_t h = len >= 32 ? stripes(&p, end, seed) : seed + P5;

	return finalize(h + len, p, end);
}
