/* test_random.c: splitmix64/xoshiro256** stream, unbiased bounded draws, Fisher-Yates permutations. */
#include <string.h>

#include "fixture.h"

/* The published algorithms, written out again as the reference. */
static uint64_t ref_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void seeds_with_splitmix64(void **state)
{
	struct fgk_rng rng;
	uint64_t x = 0;

	(void)state;
	fgk_rng_seed(&rng, 0);
	/* splitmix64(0) first output, a well-known constant. */
	assert_int_equal(rng.s[0], 0xe220a8397b1dcdafULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(rng.s[i], ref_splitmix(&x));
}

static void next_is_xoshiro256starstar(void **state)
{
	struct fgk_rng rng;
	uint64_t s[4];

	(void)state;
	fgk_rng_seed(&rng, 12345);
	memcpy(s, rng.s, sizeof(s));
	for (int i = 0; i < 100; i++) {
		uint64_t expect = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

		s[2] ^= s[0];
		s[3] ^= s[1];
		s[1] ^= s[2];
		s[0] ^= s[3];
		s[2] ^= t;
		s[3] = rotl(s[3], 45);
		assert_int_equal(fgk_rng_next(&rng), expect);
	}
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
		uint64_t va = fgk_rng_next(&a);

		assert_int_equal(va, fgk_rng_next(&b));
		differ += va != fgk_rng_next(&c);
	}
	assert_int_equal(differ, 64);
}

static void below_stays_in_range(void **state)
{
	static const uint64_t bounds[] = { 1, 2, 3, 7, 1000, 1ULL << 32, UINT64_MAX };
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
 * n = 2/3 of 2^64: `r % n` would return values below n/2 two times in
 * three; rejection sampling, half of the time.
 */
static void below_is_unbiased_for_huge_n(void **state)
{
	struct fgk_rng rng;
	uint64_t n = UINT64_MAX / 3 * 2;
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
		cmocka_unit_test(seeds_with_splitmix64),
		cmocka_unit_test(next_is_xoshiro256starstar),
		cmocka_unit_test(same_seed_same_stream),
		cmocka_unit_test(below_stays_in_range),
		cmocka_unit_test(below_is_uniform),
		cmocka_unit_test(below_is_unbiased_for_huge_n),
		cmocka_unit_test(permute_is_uniform),
		cmocka_unit_test(permute_is_a_permutation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
