/* random.c: seeded PRNG (splitmix64 -> xoshiro256**), unbiased bounded draws, Fisher-Yates. */
#include "fgk_internal.h"

/*
 * A seed must reproduce a layout exactly, so the generator is ours and
 * fully specified: xoshiro256** (Blackman, Vigna), its state filled from
 * the seed by splitmix64 as its authors recommend.
 */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fgk_rng_seed(struct fgk_rng *rng, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fgk_rng_next(struct fgk_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/*
 * Uniform in [0, n), n > 0. `r % n` alone favours small values; draws below
 * 2^64 mod n are rejected so that every residue has the same number of
 * preimages (fewer than one draw in two is rejected, for any n).
 */
uint64_t fgk_rng_below(struct fgk_rng *rng, uint64_t n)
{
	uint64_t threshold = (0 - n) % n;	/* 2^64 mod n */
	uint64_t r;

	do
		r = fgk_rng_next(rng);
	while (r < threshold);
	return r % n;
}

/* Fisher-Yates: every one of the n! orders is equally likely. */
void fgk_rng_permute(struct fgk_rng *rng, uint32_t *v, uint32_t n)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)fgk_rng_below(rng, i);
		uint32_t tmp = v[i - 1];

		v[i - 1] = v[j];
		v[j] = tmp;
	}
}
