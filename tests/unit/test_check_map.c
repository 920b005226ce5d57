/* test_check_map.c: fgk_map_check refuses what fgk_map_open leaves to it, and fgk_shuffle stays inside its memory for such maps. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static void args_and_relocs(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	size_t size;
	void *buf;

	(void)state;
	fx->image_relocs = 1;
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_OK);
	assert_int_equal(fgk_map_check(NULL, fx->image), FGK_E_ARG);
	assert_int_equal(fgk_map_check(&map, NULL), FGK_E_ARG);
	assert_int_equal(fgk_map_check(&map, fx->image), FGK_E_NORELOCS);
	free(buf);
	fx_free(fx);
}

/*
 * The world with one fault that only the full check sees: opened (the
 * boot's check passes), refused by fgk_map_check with `err`, then
 * shuffled anyway, twice (with and without a base delta), on a copy with
 * exactly the scratch asked for: ASan sees any access outside them.
 */
static void expect_unchecked_buf(struct fx *fx, void *buf, size_t size, int err,
				 const char *what)
{
	struct fgk_map map;

	if (fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS) != FGK_OK)
		fail_msg("%s: refused by fgk_map_open", what);
	if (fgk_map_check(&map, fx->image) != err)
		fail_msg("%s: fgk_map_check gave %s", what, fgk_strerror(fgk_map_check(&map, fx->image)));
	for (int64_t delta = 0; delta <= 0x200000; delta += 0x200000)
		if (fx_shuffle_copy(fx, &map, 7, delta) != FGK_OK)
			fail_msg("%s: shuffle refused", what);
	free(buf);
	fx_free(fx);
}

static void expect_unchecked(struct fx *fx, int err, const char *what)
{
	size_t size;
	void *buf = fx_map(fx, &size);

	expect_unchecked_buf(fx, buf, size, err, what);
}

/* The last xref's field moved past the image's end. */
static void xref_past_the_end(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	fx->xrefs[fx->nr_xrefs - 1].site = fx->image_size - 2;
	expect_unchecked(fx, FGK_E_XREF, "xref past the end");
}

static void xref_target_past_the_units(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	fx->xrefs[0].info = FGK_XREF_INFO(FGK_XREF_KIND(fx->xrefs[0].info), fx->nr_units + 5);
	expect_unchecked(fx, FGK_E_XREF, "xref target past the units");
}

static void override_unit_past_the_units(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	fx->overrides[fx->tables[w.orc].first_override].unit = fx->nr_units + 3;
	expect_unchecked(fx, FGK_E_TABLE, "override unit past the units");
}

/*
 * An override naming an entry past its table: the run from entry 0 may
 * not reach for it. Past the one 8-byte entry at 24 (key 32, in the unit)
 * the table's scratch copy holds its parallel array's zeros, which read
 * as keys would put entries 1 and 2 in the unit too, and the table's work
 * is all of the scratch.
 */
static void override_entry_past_the_table(void **state)
{
	struct fx *fx = fx_new(0x100);

	(void)state;
	fx_region(fx, 32, 64);
	fx_unit(fx, 32, 16, 16);
	fx->tables[0] = (struct fgk_table){ .offset = 24, .nr_entries = 1, .entry_size = 8,
					    .key_kind = FGK_KEY_REL32, .par_offset = 0,
					    .par_entry_size = 16, .nr_overrides = 1 };
	fx->nr_tables = 1;
	fx_put32(fx, 24, 8);
	memset(fx->image, 0, 16);	/* the parallel array */
	fx_override(fx, 1000, 0);
	expect_unchecked(fx, FGK_E_TABLE, "override entry past the table");
}

/* A run of overrides past the stream's end: the owner walk could not decode it, so open refuses. */
static void override_run_past_the_stream(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	size_t size;
	void *buf;

	(void)state;
	fx->tables[w.orc].first_override = fx->nr_overrides - 1;
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS),
			 FGK_E_TABLE);
	free(buf);
	fx->tables[w.orc].first_override = 0;
	fx->symtab.first_override = fx->nr_overrides;
	fx->symtab.nr_overrides = 1;
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS),
			 FGK_E_SYMTAB);
	free(buf);
	fx_free(fx);
}

/* Symbols without names: nothing of the symtab is rewritten. */
static void symbols_without_names(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	fx->symtab.names_size = 0;
	expect_unchecked(fx, FGK_E_SYMTAB, "symbols without names");
}

static void field_unit_past_the_units(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	assert_true(fx->nr_field_units > 0);
	fx->field_units[0] = fx->nr_units + 1;
	expect_unchecked(fx, FGK_E_TABLE, "field unit past the units");
}

/* Two ORC keys of units in different regions swapped: unsorted, owners out of order. */
static void table_keys_unsorted(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	const struct fgk_table *t;
	uint32_t a, b;

	(void)state;
	t = &fx->tables[w.orc];
	a = get32(fx->image, t->offset + 4 * 1) + t->offset + 4 * 1;	/* 0x100 */
	b = get32(fx->image, t->offset + 4 * 11) + t->offset + 4 * 11;	/* 0x700 */
	fx_put32(fx, t->offset + 4 * 1, b - (t->offset + 4 * 1));
	fx_put32(fx, t->offset + 4 * 11, a - (t->offset + 4 * 11));
	expect_unchecked(fx, FGK_E_TABLE, "table keys unsorted");
}

/* Two symbols of units in different regions swapped, and a seqs entry past the symbols. */
static void symtab_unsorted(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	uint32_t off = fx->symtab.offsets, a, b;

	(void)state;
	a = get32(fx->image, off + 4 * 1);
	b = get32(fx->image, off + 4 * 9);
	fx_put32(fx, off + 4 * 1, b);
	fx_put32(fx, off + 4 * 9, a);
	expect_unchecked(fx, FGK_E_SYMTAB, "symtab unsorted");
}

static void seqs_past_the_symbols(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	memset(fx->image + fx->symtab.seqs + 3 * 2, 0xff, 3);	/* inside a tie run */
	expect_unchecked(fx, FGK_E_SYMTAB, "seqs past the symbols");
}

/* A code no decoder knows, resealed: the stream ends there for the shuffle. */
static void xref_stream_cut(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	struct fgk_map_header *h;
	size_t size;
	void *buf;
	uint8_t *codes;

	(void)state;
	fx->derive = 1;
	buf = fx_map(fx, &size);
	h = buf;
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_OK);
	codes = (uint8_t *)map.xrefs;
	codes[1] = (uint8_t)((codes[1] & 0xf0) | 5);	/* the third reference's code */
	h->payload_xxh64 = fgk_xxh64((const uint8_t *)buf + sizeof(*h), h->payload_size, 0);
	expect_unchecked_buf(fx, buf, size, FGK_E_XREF, "xref stream cut");
}

static void reloc_past_the_end(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);

	(void)state;
	assert_true(fx->nr_relocs[FGK_RELOC_ABS32] > 0);
	fx->relocs[FGK_RELOC_ABS32][fx->nr_relocs[FGK_RELOC_ABS32] - 1] = fx->image_size - 2;
	expect_unchecked(fx, FGK_E_RELOC, "reloc past the end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(args_and_relocs),
		cmocka_unit_test(xref_past_the_end),
		cmocka_unit_test(xref_target_past_the_units),
		cmocka_unit_test(override_unit_past_the_units),
		cmocka_unit_test(field_unit_past_the_units),
		cmocka_unit_test(override_entry_past_the_table),
		cmocka_unit_test(override_run_past_the_stream),
		cmocka_unit_test(symbols_without_names),
		cmocka_unit_test(table_keys_unsorted),
		cmocka_unit_test(symtab_unsorted),
		cmocka_unit_test(seqs_past_the_symbols),
		cmocka_unit_test(xref_stream_cut),
		cmocka_unit_test(reloc_past_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
