/* chacha20.c: the ChaCha20 block function (RFC 8439), the core of the layout generator. */
#include "fgk_internal.h"

/*
 * The state is 16 words:
 *
 *   | "expa" "nd 3" "2-by" "te k" |  constants
 *   | key[0]  key[1]  key[2]  key[3] |
 *   | key[4]  key[5]  key[6]  key[7] |
 *   | counter nonce[0] nonce[1] nonce[2] |
 *
 * 20 rounds (10 column + diagonal double rounds), then the input is added
 * back. The words are returned as numbers; RFC 8439 serialises each one
 * little-endian to form the keystream bytes.
 */

static inline uint32_t rotl32(uint32_t x, int k)
{
	return (x << k) | (x >> (32 - k));
}

#define QUARTER(a, b, c, d) do {			\
	a += b; d ^= a; d = rotl32(d, 16);		\
	c += d; b ^= c; b = rotl32(b, 12);		\
	a += b; d ^= a; d = rotl32(d, 8);		\
	c += d; b ^= c; b = rotl32(b, 7);		\
} while (0)

void fgk_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
			uint32_t out[16])
{
	uint32_t in[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
		counter, nonce[0], nonce[1], nonce[2],
	};
	uint32_t *x = out;

	for (int i = 0; i < 16; i++)
		x[i] = in[i];
	for (int i = 0; i < 10; i++) {
		QUARTER(x[0], x[4], x[8], x[12]);
		QUARTER(x[1], x[5], x[9], x[13]);
		QUARTER(x[2], x[6], x[10], x[14]);
		QUARTER(x[3], x[7], x[11], x[15]);
		QUARTER(x[0], x[5], x[10], x[15]);
		QUARTER(x[1], x[6], x[11], x[12]);
		QUARTER(x[2], x[7], x[8], x[13]);
		QUARTER(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		x[i] += in[i];
	fgk_fill(in, 0, sizeof(in));	/* a copy of the key: not left on the stack */
}
