/* test_unit_index.c: the unit holding an offset, asked in any order, across buckets, regions and padding. */
#include <stdlib.h>

#include "fixture.h"

/*
 *   region 0 [0x100, 0x400): u0 [0x100,+0x10) u1 [0x110,+0x1f0) pad u2 [0x380,+0x8) pad
 *   fixed [0x400, 0x1000)
 *   region 1 [0x1000, 0x1001): u3 [0x1000,+1)
 * Buckets are 32 bytes from 0x100: u0 shares one with u1, which spans
 * sixteen, some lie in padding, those over the fixed range name u3.
 */
static struct fx *small(void)
{
	struct fx *fx = fx_new(0x2000);

	fx_region(fx, 0x100, 0x400);
	fx_unit(fx, 0x100, 0x10, 16);
	fx_unit(fx, 0x110, 0x1f0, 16);
	fx_unit(fx, 0x380, 0x8, 8);
	fx_region(fx, 0x1000, 0x1001);
	fx_unit(fx, 0x1000, 1, 1);
	return fx;
}

static void lookups(void **state)
{
	static const struct { int64_t off; uint32_t unit; } cases[] = {
		{ 0x1000, 3 }, { 0x100, 0 }, { 0x10f, 0 }, { 0x110, 1 }, { 0x2ff, 1 },
		{ 0x200, 1 }, { 0x300, FGK_UNIT_NONE }, { 0x37f, FGK_UNIT_NONE }, { 0x380, 2 },
		{ 0x387, 2 }, { 0x388, FGK_UNIT_NONE }, { 0x3ff, FGK_UNIT_NONE },
		{ 0x400, FGK_UNIT_NONE }, { 0xff, FGK_UNIT_NONE }, { -1, FGK_UNIT_NONE },
		{ INT64_MIN, FGK_UNIT_NONE }, { 0x1001, FGK_UNIT_NONE },
		{ FGK_OFF_FAR, FGK_UNIT_NONE }, { 0x500, FGK_UNIT_NONE },
	};
	struct fx *fx = small();
	struct fgk_unit_index ix;
	struct fgk_map map;
	size_t size;
	void *buf = fx_map(fx, &size);
	uint32_t *mem;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	/* [0x100, 0x1001): 121 buckets of 32 bytes, 484 bytes rounded up to 8 */
	assert_int_equal(fgk_unit_index_bytes(&map), 488);
	mem = malloc(fgk_unit_index_bytes(&map));
	fgk_unit_index_build(&ix, &map, mem);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fgk_unit_index_find(&ix, cases[i].off), cases[i].unit);
	free(mem);
	free(buf);
	fx_free(fx);
}

/* No regions: nothing is in a unit, and the index takes no memory. */
static void empty(void **state)
{
	struct fx *fx = fx_new(0x100);
	struct fgk_unit_index ix;
	struct fgk_map map;
	size_t size;
	void *buf = fx_map(fx, &size);

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_int_equal(fgk_unit_index_bytes(&map), 0);
	fgk_unit_index_build(&ix, &map, NULL);
	assert_int_equal(fgk_unit_index_find(&ix, 0x10), FGK_UNIT_NONE);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookups),
		cmocka_unit_test(empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
