/* test_table_entry.c: key widths, key positions (REL32 relative to the entry's index, ABS64), popcount. */
#include "fixture.h"

static void key_widths(void **state)
{
	(void)state;
	assert_int_equal(fgk_key_width(FGK_KEY_REL32), 4);
	assert_int_equal(fgk_key_width(FGK_KEY_ABS64), 8);
	assert_int_equal(fgk_key_width(0), 0);
	assert_int_equal(fgk_key_width(3), 0);
}

static void keys(void **state)
{
	struct fgk_map_header hdr = { .link_base = FX_LINK_BASE };
	struct fgk_map map = { .hdr = &hdr };
	struct fgk_table rel = { .offset = 0x1000, .entry_size = 12, .key_offset = 4,
				 .key_kind = FGK_KEY_REL32 };
	struct fgk_table abs = { .offset = 0x2000, .entry_size = 16, .key_offset = 8,
				 .key_kind = FGK_KEY_ABS64 };
	uint8_t entry[16] = { 0 };

	(void)state;
	/* REL32: &field + value, the field's place taken from the index. */
	fgk_wr32(entry + 4, (uint32_t)-0x20);
	assert_int_equal(fgk_table_key(&map, &rel, entry, 0), 0x1000 + 4 - 0x20);
	assert_int_equal(fgk_table_key(&map, &rel, entry, 3), 0x1000 + 36 + 4 - 0x20);
	fgk_wr32(entry + 4, 0x7fffffff);
	assert_int_equal(fgk_table_key(&map, &rel, entry, 0), 0x1004 + 0x7fffffffLL);
	/*
	 * ABS64: value - link_base, clamped as fgk_addr_offset() does: below
	 * the image negative (-1), far past it FGK_OFF_FAR, never near
	 * INT64_MAX, where the walks' key + 1 would overflow.
	 */
	fgk_wr64(entry + 8, FX_LINK_BASE + 0x345);
	assert_int_equal(fgk_table_key(&map, &abs, entry, 9), 0x345);
	fgk_wr64(entry + 8, FX_LINK_BASE - 0x10);
	assert_int_equal(fgk_table_key(&map, &abs, entry, 0), -1);
	hdr.link_base = 0x1000;
	fgk_wr64(entry + 8, 0x1000 + 0x7fffffffffffffffULL);
	assert_int_equal(fgk_table_key(&map, &abs, entry, 0), FGK_OFF_FAR);
}

static void popcount(void **state)
{
	(void)state;
	assert_int_equal(fgk_popcount(0), 0);
	assert_int_equal(fgk_popcount(0x6), 2);
	assert_int_equal(fgk_popcount(0xffffffffu), 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_widths),
		cmocka_unit_test(keys),
		cmocka_unit_test(popcount),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
