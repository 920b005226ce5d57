/* test_chacha20.c: the ChaCha20 block function against RFC 8439's test vectors. */

#include "fixture.h"

/* RFC 8439, 2.3.2: the block function's test vector (serialised keystream). */
static void rfc8439_block(void **state)
{
	static const char want_hex[] =
		"10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
		"d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e";
	uint32_t key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 }, out[16], want[16];

	(void)state;
	for (int i = 0; i < 8; i++)	/* key bytes 00 01 .. 1f */
		key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 |
			 (uint32_t)(4 * i + 2) << 16 | (uint32_t)(4 * i + 3) << 24;
	fx_hex_words(want_hex, want, 16);
	fgk_chacha20_block(key, 1, nonce, out);
	for (int i = 0; i < 16; i++)
		assert_int_equal(out[i], want[i]);
}

/* RFC 8439, A.1, test vector 3: a key of 31 zero bytes and a 1, counter 1. */
static void rfc8439_a1_vector3(void **state)
{
	static const char want_hex[] =
		"3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
		"8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0";
	uint32_t key[8] = { 0, 0, 0, 0, 0, 0, 0, 0x01000000 }, nonce[3] = { 0 }, out[16], want[16];

	(void)state;
	fx_hex_words(want_hex, want, 16);
	fgk_chacha20_block(key, 1, nonce, out);
	for (int i = 0; i < 16; i++)
		assert_int_equal(out[i], want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc8439_block),
		cmocka_unit_test(rfc8439_a1_vector3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
