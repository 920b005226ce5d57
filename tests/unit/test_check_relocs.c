/* test_check_relocs.c: base relocs sorted, inside the image, never in padding or rewritten arrays (but ABS64 table keys, all or none). */
#include "mutate.h"

#define M(name) static void name(struct fx *fx, const struct world *w)
#define ABS64 (fx->relocs[FGK_RELOC_ABS64])
#define ABS32 (fx->relocs[FGK_RELOC_ABS32])
#define INV32 (fx->relocs[FGK_RELOC_INV32])

/* World relocs: ABS64 0x128, the 9 mcount keys 0x1300.., 0x3000;
 * ABS32 0x150, 0x3010; INV32 0x238, 0x3020. */

static void drop_abs64(struct fx *fx, uint32_t i)
{
	for (; i + 1 < fx->nr_relocs[FGK_RELOC_ABS64]; i++)
		ABS64[i] = ABS64[i + 1];
	fx->nr_relocs[FGK_RELOC_ABS64]--;
}

M(unsorted) { (void)w; uint32_t t = ABS32[0]; ABS32[0] = ABS32[1]; ABS32[1] = t; }
M(duplicate) { (void)w; ABS32[1] = ABS32[0]; }
M(past_image) { (void)w; INV32[1] = fx->image_size - 2; }
M(abs64_past_image) { (void)w; ABS64[10] = fx->image_size - 4; }
M(straddles_units) { (void)w; ABS32[0] = 0x16e; }
M(in_padding) { (void)w; INV32[0] = 0x270; }
M(into_region) { (void)w; ABS64[0] = 0xfc; }
M(in_symtab) { (void)w; INV32[1] = fx->symtab.offsets; }
M(in_rel32_table) { (void)w; ABS32[1] = 0x1004; }
M(in_parallel) { (void)w; INV32[1] = 0x1204; }
M(abs32_at_abs64_key) { (void)w; ABS32[1] = 0x1300; }
M(not_at_key) { (void)w; ABS64[1] = 0x1304; }
M(some_keys_missing) { (void)w; drop_abs64(fx, 5); }
M(last_key_missing) { (void)w; drop_abs64(fx, 9); }

/* A second ABS64 table at 0x1400, both keys relocated, after one of mcount's keys lost its reloc. */
M(short_before_another_table)
{
	uint32_t t = fx->nr_tables++, n;

	(void)w;
	fx->tables[t] = (struct fgk_table){ .offset = 0x1400, .nr_entries = 2, .entry_size = 8,
					    .key_kind = FGK_KEY_ABS64 };
	fx_put64(fx, 0x1400, FX_LINK_BASE + 0x600);
	fx_put64(fx, 0x1408, FX_LINK_BASE + 0x620);
	drop_abs64(fx, 5);
	n = fx->nr_relocs[FGK_RELOC_ABS64];	/* ..., mcount keys, 0x3000 */
	ABS64[n + 1] = ABS64[n - 1];
	ABS64[n - 1] = 0x1400;
	ABS64[n] = 0x1408;
	fx->nr_relocs[FGK_RELOC_ABS64] = n + 2;
}

static const struct mutation mutations[] = {
	{ "sites unsorted", unsorted, FGK_E_RELOC },
	{ "same site twice", duplicate, FGK_E_RELOC },
	{ "field past the image", past_image, FGK_E_RELOC },
	{ "ABS64 field past the image", abs64_past_image, FGK_E_RELOC },
	{ "field across a unit's end", straddles_units, FGK_E_RELOC },
	{ "field in region padding", in_padding, FGK_E_RELOC },
	{ "field from outside into a region", into_region, FGK_E_RELOC },
	{ "field in the symtab", in_symtab, FGK_E_RELOC },
	{ "field in a REL32 table", in_rel32_table, FGK_E_RELOC },
	{ "field in a parallel array", in_parallel, FGK_E_RELOC },
	{ "ABS32 reloc at an ABS64 key", abs32_at_abs64_key, FGK_E_RELOC },
	{ "ABS64 reloc inside an entry, off its key", not_at_key, FGK_E_RELOC },
	{ "some ABS64 keys without a reloc", some_keys_missing, FGK_E_RELOC },
	{ "the last ABS64 key without a reloc", last_key_missing, FGK_E_RELOC },
	{ "an ABS64 table short of relocs before another", short_before_another_table, FGK_E_RELOC },
};

static void rules(void **state)
{
	(void)state;
	RUN_MUTATIONS(mutations);
}

/*
 * 12-byte entries: a field 4 bytes before the table is "at a key" modulo
 * the entry size, yet overlaps the first key; with entry 0's own reloc
 * missing the count would still match.
 */
static void reloc_straddling_into_table(void **state)
{
	struct fx *fx = fx_new(0x400);

	(void)state;
	fx->tables[0] = (struct fgk_table){ .offset = 0x200, .nr_entries = 3, .entry_size = 12,
					    .key_kind = FGK_KEY_ABS64 };
	fx->nr_tables = 1;
	for (uint32_t i = 0; i < 3; i++)
		fx_put64(fx, 0x200 + 12 * i, FX_LINK_BASE + 0x10 * i);
	fx_reloc(fx, FGK_RELOC_ABS64, 0x200 - 4);
	fx_reloc(fx, FGK_RELOC_ABS64, 0x200 + 12);
	fx_reloc(fx, FGK_RELOC_ABS64, 0x200 + 24);
	fx_expect_error(fx, FGK_E_RELOC, "reloc straddling into an ABS64 table");
	fx->relocs[FGK_RELOC_ABS64][0] = 0x200;	/* at entry 0's key: fine */
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	free(buf);
	fx_free(fx);
}

/* An ABS64 table whose keys have no relocs at all is fine. */
static void abs64_table_without_relocs(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	void *buf;
	struct fgk_map map;

	(void)state;
	for (int i = 0; i < 9; i++)
		drop_abs64(fx, 1);
	assert_int_equal(fx->nr_relocs[FGK_RELOC_ABS64], 2);
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(reloc_straddling_into_table),
		cmocka_unit_test(abs64_table_without_relocs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
