/* test_owner.c: owners from the unit walk, overridden per entry. */
#include <stdlib.h>

#include "owners_fixture.h"

static void owners(void **state)
{
	static const struct { int64_t key; uint32_t owner; } entries[] = {
		{ 0x00, FGK_UNIT_NONE }, { 0x10, 0 }, { 0x20, 0 } /* override */, { 0x20, 1 },
		{ 0x44, 2 }, { 0x48, FGK_UNIT_NONE } /* override */, { 0x60, FGK_UNIT_NONE },
		{ 0x80, 3 }, { 0x90, 4 }, { 0xa0, 4 } /* override */, { 0xa0, FGK_UNIT_NONE },
	};
	struct fx *fx = owners_fx();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fgk_owner_iter it;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fgk_owner_init(&it, &map, 0, fx->nr_overrides);
	for (uint32_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		assert_int_equal(fgk_owner_next(&it, i, entries[i].key), entries[i].owner);
	/* A sub-range of the overrides: only entry 9 -> u4, as entry 0. */
	fgk_owner_init(&it, &map, 2, 1);
	assert_int_equal(fgk_owner_next(&it, 0, 0x10), 0);
	fgk_owner_init(&it, &map, 2, 1);
	for (uint32_t i = 0; i < 9; i++)
		fgk_owner_next(&it, i, 0x90);
	assert_int_equal(fgk_owner_next(&it, 9, 0x90), 4);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(owners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
