/* test_random.c: the generator's stream (RFC 8439's keystream for seed 0), unbiased bounded draws, Fisher-Yates. */
#include <string.h>

#include "fixture.h"

/*
 * RFC 8439, A.1, test vectors 1 and 2 (zero key and nonce, counters 0 and
 * 1): also the generator's stream for seed 0, whose key is all zero.
 */
static void rfc8439_a1_is_the_seed_0_stream(void **state)
{
	static const char want_hex[] =
		"76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
		"da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
		"9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
		"29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f";
	uint32_t key[8] = { 0 }, nonce[3] = { 0 }, out[16], want[32];
	struct fgk_rng rng;

	(void)state;
	fx_hex_words(want_hex, want, 32);
	fgk_chacha20_block(key, 0, nonce, out);
	for (int i = 0; i < 16; i++)
		assert_int_equal(out[i], want[i]);
	fgk_rng_seed(&rng, 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(fgk_rng_next32(&rng), want[i]);
}

/* A seed is the key's first 8 bytes, little-endian; the rest is zero. */
static void seed_is_the_key_prefix(void **state)
{
	uint8_t key[32] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
	struct fgk_rng a, b;

	(void)state;
	fgk_rng_seed(&a, 0x1122334455667788ULL);
	fgk_rng_init(&b, key);
	for (int i = 0; i < 40; i++)
		assert_int_equal(fgk_rng_next32(&a), fgk_rng_next32(&b));
}

static void same_seed_same_stream(void **state)
{
	struct fgk_rng a, b, c;
	int differ = 0;

	(void)state;
	fgk_rng_seed(&a, 77);
	fgk_rng_seed(&b, 77);
	fgk_rng_seed(&c, 78);
	for (int i = 0; i < 64; i++) {
		uint32_t va = fgk_rng_next32(&a);

		assert_int_equal(va, fgk_rng_next32(&b));
		differ += va != fgk_rng_next32(&c);
	}
	assert_true(differ >= 63);
}

static void below_stays_in_range(void **state)
{
	static const uint32_t bounds[] = { 1, 2, 3, 7, 1000, 1u << 31, UINT32_MAX };
	struct fgk_rng rng;

	(void)state;
	fgk_rng_seed(&rng, 3);
	for (size_t b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++)
		for (int i = 0; i < 1000; i++)
			assert_true(fgk_rng_below(&rng, bounds[b]) < bounds[b]);
}

/* Chi-square over n buckets; generous thresholds, deterministic seeds. */
static double chi_square(const uint32_t *counts, uint32_t n, double expected)
{
	double chi = 0;

	for (uint32_t i = 0; i < n; i++)
		chi += (counts[i] - expected) * (counts[i] - expected) / expected;
	return chi;
}

static void below_is_uniform(void **state)
{
	struct fgk_rng rng;
	uint32_t counts[10] = { 0 };

	(void)state;
	fgk_rng_seed(&rng, 2024);
	for (int i = 0; i < 100000; i++)
		counts[fgk_rng_below(&rng, 10)]++;
	/* 9 degrees of freedom: p = 0.001 at 27.9. */
	assert_true(chi_square(counts, 10, 10000) < 40);
}

/*
 * n = 2/3 of 2^32: a plain multiply-shift would return values below n/2
 * two times in three; with the rejection, half of the time.
 */
static void below_is_unbiased_for_huge_n(void **state)
{
	struct fgk_rng rng;
	uint32_t n = UINT32_MAX / 3 * 2;
	uint32_t low = 0, draws = 20000;

	(void)state;
	fgk_rng_seed(&rng, 99);
	for (uint32_t i = 0; i < draws; i++)
		low += fgk_rng_below(&rng, n) < n / 2;
	assert_true(low > draws / 2 - 600 && low < draws / 2 + 600);
}

static uint32_t perm_index(const uint32_t *v)
{
	return v[0] * 9 + v[1] * 3 + v[2];
}

/* All 3! orders of a 3-element Fisher-Yates are equally likely. */
static void permute_is_uniform(void **state)
{
	struct fgk_rng rng;
	uint32_t counts[27] = { 0 }, seen[6], nseen = 0;

	(void)state;
	fgk_rng_seed(&rng, 5);
	for (int i = 0; i < 60000; i++) {
		uint32_t v[3] = { 0, 1, 2 };

		fgk_rng_permute(&rng, v, 3);
		counts[perm_index(v)]++;
	}
	for (uint32_t i = 0; i < 27; i++)
		if (counts[i])
			seen[nseen++] = counts[i];
	assert_int_equal(nseen, 6);
	/* 5 degrees of freedom: p = 0.001 at 20.5. */
	assert_true(chi_square(seen, 6, 10000) < 30);
}

static void permute_is_a_permutation(void **state)
{
	struct fgk_rng rng;
	uint32_t v[500], hit[500] = { 0 };

	(void)state;
	fgk_rng_seed(&rng, 8);
	for (uint32_t i = 0; i < 500; i++)
		v[i] = i;
	fgk_rng_permute(&rng, v, 500);
	for (uint32_t i = 0; i < 500; i++)
		hit[v[i]]++;
	for (uint32_t i = 0; i < 500; i++)
		assert_int_equal(hit[i], 1);
	fgk_rng_permute(&rng, v, 0);	/* empty and single are no-ops */
	fgk_rng_permute(&rng, v, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc8439_a1_is_the_seed_0_stream),
		cmocka_unit_test(seed_is_the_key_prefix),
		cmocka_unit_test(same_seed_same_stream),
		cmocka_unit_test(below_stays_in_range),
		cmocka_unit_test(below_is_uniform),
		cmocka_unit_test(below_is_unbiased_for_huge_n),
		cmocka_unit_test(permute_is_uniform),
		cmocka_unit_test(permute_is_a_permutation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
