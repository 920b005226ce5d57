/* test_symtab_entry.c: kallsyms offset decoding, address -> image offset, name entry sizes, markers. */
#include <stdlib.h>

#include "fixture.h"

static void relative_addresses(void **state)
{
	struct fgk_symtab st = { .offsets_kind = FGK_SYMOFF_RELATIVE, .relative_base = 0x1000 };

	(void)state;
	assert_int_equal(fgk_sym_addr(&st, 0), 0x1000);
	assert_int_equal(fgk_sym_addr(&st, 0xffffffffu), 0x1000 + 0xffffffffULL);
}

static void abs_percpu_addresses(void **state)
{
	struct fgk_symtab st = { .offsets_kind = FGK_SYMOFF_ABS_PERCPU,
				 .relative_base = FX_LINK_BASE };

	(void)state;
	assert_int_equal(fgk_sym_addr(&st, 0x1234), 0x1234);		/* absolute */
	assert_int_equal(fgk_sym_addr(&st, (uint32_t)-1), FX_LINK_BASE);	/* base - 1 - (-1) */
	assert_int_equal(fgk_sym_addr(&st, (uint32_t)-0x101), FX_LINK_BASE + 0x100);
	assert_int_equal(fgk_sym_addr(&st, 0x80000000u), FX_LINK_BASE - 1 + 0x80000000ULL);
}

static void addr_offsets(void **state)
{
	struct fgk_map_header hdr = { .link_base = FX_LINK_BASE };
	struct fgk_map map = { .hdr = &hdr };

	(void)state;
	assert_int_equal(fgk_addr_offset(&map, FX_LINK_BASE + 5), 5);
	assert_int_equal(fgk_addr_offset(&map, 0x1000), -1);	/* below the image */
	hdr.link_base = 0;
	/* clipped far enough from INT64_MAX for the walks' off + width */
	assert_int_equal(fgk_addr_offset(&map, UINT64_MAX), FGK_OFF_FAR);
	assert_int_equal(fgk_addr_offset(&map, FGK_OFF_FAR + 1), FGK_OFF_FAR);
}

/*
 * A symtab whose relative_base lies 2^63 above a small link base: its
 * addresses are far past the image. fgk_map_open walks regions with
 * them (key + 1), which overflowed an int64 when they were clipped to
 * INT64_MAX; UBSan (make check) stops on that.
 */
static void far_symbols_open(void **state)
{
	static const struct fx_sym syms[] = { { FGK_UNIT_NONE, 0x10, 3 }, { FGK_UNIT_NONE, 0x20, 3 } };
	struct fx *fx = fx_new(0x400);
	struct fgk_map map;
	size_t size;
	void *buf;

	(void)state;
	fx->link_base = 0x400000;
	fx_region(fx, 0x100, 0x200);
	fx_unit(fx, 0x100, 0x20, 16);
	fx_symtab_rb(fx, 0x300, syms, 2, FGK_SYMOFF_RELATIVE, 0, 1ULL << 63);
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	free(buf);
	fx_free(fx);
}

static void name_entries(void **state)
{
	static const struct { uint8_t bytes[4]; uint64_t avail; uint32_t size; } cases[] = {
		{ { 3 }, 4, 4 },			/* 1-byte length */
		{ { 3 }, 3, 0 },			/* runs past the stream */
		{ { 0 }, 1, 1 },			/* empty name */
		{ { 0x81, 0x01 }, 200, 2 + 129 },	/* 2-byte length 129 */
		{ { 0x80, 0x7f }, 0x3f82, 0x3f82 },	/* the longest: 16256 + 2 */
		{ { 0x80, 0x7f }, 0x3f81, 0 },		/* one byte short */
		{ { 0x80, 0x80 }, 0x10000, 0 },		/* a third length byte */
		{ { 0x85 }, 1, 0 },			/* second byte missing */
		{ { 0 }, 0, 0 },			/* nothing left */
	};
	uint8_t buf[0x10000] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf[0] = cases[i].bytes[0];
		buf[1] = cases[i].bytes[1];
		assert_int_equal(fgk_name_entry_size(buf, cases[i].avail), cases[i].size);
	}
}

static void markers(void **state)
{
	struct fgk_symtab st = { 0 };

	(void)state;
	assert_int_equal(fgk_sym_nr_markers(&st), 0);
	st.nr_syms = 1;
	assert_int_equal(fgk_sym_nr_markers(&st), 1);
	st.nr_syms = 256;
	assert_int_equal(fgk_sym_nr_markers(&st), 1);
	st.nr_syms = 257;
	assert_int_equal(fgk_sym_nr_markers(&st), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(relative_addresses),
		cmocka_unit_test(abs_percpu_addresses),
		cmocka_unit_test(addr_offsets),
		cmocka_unit_test(far_symbols_open),
		cmocka_unit_test(name_entries),
		cmocka_unit_test(markers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
