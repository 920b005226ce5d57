/* test_guard.c: table and symtab arrays visited in address order whatever the table order; hits. */
#include <stdlib.h>

#include "fixture.h"

/* Tables listed out of address order; an empty table; a symtab after them. */
static struct fx *arrays(void)
{
	static const struct fx_sym syms[] = { { FGK_UNIT_NONE, 0x10, 3 }, { FGK_UNIT_NONE, 0x20, 3 } };
	struct fx *fx = fx_new(0x800);

	fx->tables[0] = (struct fgk_table){ .offset = 0x300, .nr_entries = 4, .entry_size = 4,
					    .key_kind = FGK_KEY_REL32 };
	fx->tables[1] = (struct fgk_table){ .offset = 0x100, .nr_entries = 2, .entry_size = 8,
					    .key_kind = FGK_KEY_ABS64, .par_offset = 0x200,
					    .par_entry_size = 2 };
	fx->tables[2] = (struct fgk_table){ .offset = 0x50, .nr_entries = 0, .entry_size = 4,
					    .key_kind = FGK_KEY_REL32 };
	fx->nr_tables = 3;
	fx_put32(fx, 0x300, 0x10 - 0x300);
	fx_put32(fx, 0x304, 0x10 - 0x304);
	fx_put32(fx, 0x308, 0x10 - 0x308);
	fx_put32(fx, 0x30c, 0x10 - 0x30c);
	fx_put64(fx, 0x100, FX_LINK_BASE);
	fx_put64(fx, 0x108, FX_LINK_BASE);
	fx_symtab(fx, 0x400, syms, 2, FGK_SYMOFF_RELATIVE, 1);
	return fx;
}

static void visits_in_address_order(void **state)
{
	static const uint32_t ids[] = { 2, 3, 0, 6 + FGK_SPAN_SYM_OFFSETS, 6 + FGK_SPAN_SYM_NAMES,
					6 + FGK_SPAN_SYM_MARKERS, 6 + FGK_SPAN_SYM_SEQS };
	struct fx *fx = arrays();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fgk_guard g;
	uint32_t n = 0;
	uint64_t prev = 0;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	for (fgk_guard_init(&g, &map); g.valid; fgk_guard_next(&g), n++) {
		assert_true(n < sizeof(ids) / sizeof(ids[0]));
		assert_int_equal(g.cur.id, ids[n]);
		assert_true(g.cur.start >= prev && g.cur.end > g.cur.start);
		prev = g.cur.end;
	}
	assert_int_equal(n, sizeof(ids) / sizeof(ids[0]));
	assert_int_equal(fgk_span_table(&map, 2), 1);
	assert_int_equal(fgk_span_table(&map, 3), FGK_UNIT_NONE);	/* parallel */
	assert_int_equal(fgk_span_table(&map, 6), FGK_UNIT_NONE);	/* symtab */
	free(buf);
	fx_free(fx);
}

static void hits(void **state)
{
	static const struct { uint64_t off; uint32_t width; uint32_t id; } cases[] = {
		{ 0x0f8, 8, FGK_UNIT_NONE }, { 0x0fc, 8, 2 }, { 0x10c, 4, 2 },
		{ 0x110, 8, FGK_UNIT_NONE }, { 0x202, 4, 3 }, { 0x204, 4, FGK_UNIT_NONE },
		{ 0x30e, 4, 0 }, { 0x310, 4, FGK_UNIT_NONE }, { 0x400, 4, 6 },
		{ 0x7f0, 8, FGK_UNIT_NONE },
	};
	struct fx *fx = arrays();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fgk_guard g;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fgk_guard_init(&g, &map);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fgk_span *s = fgk_guard_hit(&g, cases[i].off, cases[i].width);

		assert_int_equal(s ? s->id : FGK_UNIT_NONE, cases[i].id);
	}
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(visits_in_address_order),
		cmocka_unit_test(hits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
