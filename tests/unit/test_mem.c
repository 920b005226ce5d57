/* test_mem.c: fgk_copy and fgk_fill for every small length and alignment, without overrun. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static void copy_matches_memcpy(void **state)
{
	uint8_t src[80], dst[80], ref[80];

	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	for (size_t so = 0; so < 8; so++)
		for (size_t dof = 0; dof < 8; dof++)
			for (size_t n = 0; n + 8 <= sizeof(src); n++) {
				memset(dst, 0xee, sizeof(dst));
				memset(ref, 0xee, sizeof(ref));
				fgk_copy(dst + dof, src + so, n);
				memcpy(ref + dof, src + so, n);
				assert_memory_equal(dst, ref, sizeof(dst));
			}
}

static void fill_matches_memset(void **state)
{
	uint8_t dst[80], ref[80];

	(void)state;
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + 8 <= sizeof(dst); n++) {
			memset(dst, 0x11, sizeof(dst));
			memset(ref, 0x11, sizeof(ref));
			fgk_fill(dst + off, 0xcc, n);
			memset(ref + off, 0xcc, n);
			assert_memory_equal(dst, ref, sizeof(dst));
		}
}

/* Exactly-sized heap buffers: ASan reports any byte past the end. */
static void no_overrun(void **state)
{
	(void)state;
	for (size_t n = 1; n < 40; n++) {
		uint8_t *a = malloc(n), *b = malloc(n);

		fgk_fill(a, 0xab, n);
		fgk_copy(b, a, n);
		assert_int_equal(b[n - 1], 0xab);
		free(a);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copy_matches_memcpy),
		cmocka_unit_test(fill_matches_memset),
		cmocka_unit_test(no_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
