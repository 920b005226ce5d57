/* test_xxh64.c: fgk_xxh64 against libxxhash's XXH64 for every tail length, seeds and alignments. */
#include <stdlib.h>
#include <xxhash.h>

#include "fixture.h"

static void matches_libxxhash(void **state)
{
	static const uint64_t seeds[] = { 0, 1, 0x9e3779b97f4a7c15ULL, UINT64_MAX };
	uint8_t buf[600];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + (i >> 3));
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++)
		for (size_t off = 0; off < 8; off++)		/* misaligned starts */
			for (size_t len = 0; len + off <= sizeof(buf); len += len < 80 ? 1 : 37)
				assert_int_equal(fgk_xxh64(buf + off, len, seeds[s]),
						 XXH64(buf + off, len, seeds[s]));
}

/* Known answer from the xxHash test vectors: XXH64("", 0) = 0xEF46DB3751D8E999. */
static void known_answer(void **state)
{
	(void)state;
	assert_int_equal(fgk_xxh64("", 0, 0), 0xEF46DB3751D8E999ULL);
}

static void large_random_buffer(void **state)
{
	size_t n = 1 << 20;
	uint8_t *buf = malloc(n);
	uint64_t x = 1;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = (uint8_t)(x >> 56);
	}
	assert_int_equal(fgk_xxh64(buf, n, 0), XXH64(buf, n, 0));
	assert_int_equal(fgk_xxh64(buf + 3, n - 5, 42), XXH64(buf + 3, n - 5, 42));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_libxxhash),
		cmocka_unit_test(known_answer),
		cmocka_unit_test(large_random_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
