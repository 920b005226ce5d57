/* random.c: the layout generator: ChaCha20 keystream, unbiased bounded draws, Fisher-Yates. */
#include "fgk_internal.h"

/*
 * A CSPRNG, so that the positions of a few leaked functions say nothing
 * about where the others are: ChaCha20 (RFC 8439) with a 256-bit key, a
 * zero nonce and a block counter from 0, consumed as 32-bit words. At
 * boot the key is random; a 64-bit seed (fgkaslr.seed=, tests) becomes
 * the key's first two words, the rest zero, to reproduce a layout, which
 * is then as guessable as the seed. Fully specified, so a seed gives the
 * same layout on every machine.
 */

void fgk_rng_init(struct fgk_rng *rng, const uint8_t key[32])
{
	for (int i = 0; i < 8; i++)
		rng->key[i] = fgk_rd32(key + 4 * i);
	rng->counter = 0;
	rng->used = 16;		/* no block yet */
}

void fgk_rng_seed(struct fgk_rng *rng, uint64_t seed)
{
	uint8_t key[32] = { 0 };

	fgk_wr64(key, seed);
	fgk_rng_init(rng, key);
}

uint32_t fgk_rng_next32(struct fgk_rng *rng)
{
	static const uint32_t nonce[3] = { 0, 0, 0 };

	if (rng->used == 16) {
		fgk_chacha20_block(rng->key, rng->counter++, nonce, rng->block);
		rng->used = 0;
	}
	return rng->block[rng->used++];
}

/*
 * Uniform in [0, n), n > 0, by multiply-shift (Lemire): the high word of
 * x * n for a 32-bit x, rejecting the low words below 2^32 mod n so that
 * every result has the same number of preimages. The division runs only
 * when a low word falls below n, rarely for n far below 2^32.
 */
uint32_t fgk_rng_below(struct fgk_rng *rng, uint32_t n)
{
	uint64_t m = (uint64_t)fgk_rng_next32(rng) * n;

	if ((uint32_t)m < n) {
		uint32_t threshold = (0 - n) % n;	/* 2^32 mod n */

		while ((uint32_t)m < threshold)
			m = (uint64_t)fgk_rng_next32(rng) * n;
	}
	return (uint32_t)(m >> 32);
}

/* Fisher-Yates: every one of the n! orders is equally likely. */
void fgk_rng_permute(struct fgk_rng *rng, uint32_t *v, uint32_t n)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = fgk_rng_below(rng, i);
		uint32_t tmp = v[i - 1];

		v[i - 1] = v[j];
		v[j] = tmp;
	}
}
