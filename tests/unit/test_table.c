/* test_table.c: tables re-sorted run by run: terminators, rel32 fields, parallel arrays, ABS64 keys with relocs. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "owner_cases.h"

/*
 * Two adjacent units, u0 [0x100,0x140) and u1 [0x140,0x180), swapped by
 * the plan (u1 -> 0x100, u0 -> 0x140), and three tables:
 *   ORC-like ip table at 0x400 (parallel 2-byte entries at 0x500)
 *   ex-like {insn, fixup, data} at 0x600, fixup marked rel32
 *   mcount-like ABS64 at 0x700, with base relocs at its keys
 */
#define ORC 0x400
#define PAR 0x500
#define EX 0x600
#define MC 0x700
#define N FGK_UNIT_NONE

static const uint32_t orc_ip[] = { 0x010, 0x100, 0x120, 0x140, 0x140, 0x160, 0x180, 0x300 };
static const uint32_t ex[][3] = {	/* insn, fixup, fixup's unit */
	{ 0x010, 0x150, 1 }, { 0x108, 0x020, N }, { 0x150, 0x110, 0 },
};
static const uint32_t mc[] = { 0x010, 0x100, 0x140, 0x150, 0x300 };

static struct fx *edge_fx(void)
{
	struct fx *fx = fx_new(0x800);

	fx_region(fx, 0x100, 0x200);
	fx_unit(fx, 0x100, 0x40, 16);
	fx_unit(fx, 0x140, 0x40, 16);
	fx->tables[0] = (struct fgk_table){ .offset = ORC, .nr_entries = 8, .entry_size = 4,
		.key_kind = FGK_KEY_REL32, .par_offset = PAR, .par_entry_size = 2, .nr_overrides = 2 };
	fx_override(fx, 3, 0);	/* 0x140: u0's end, u1's start */
	fx_override(fx, 6, 1);	/* 0x180: u1's end, in padding */
	for (uint32_t i = 0; i < 8; i++) {
		fx_put32(fx, ORC + 4 * i, orc_ip[i] - (ORC + 4 * i));
		fx->image[PAR + 2 * i] = (uint8_t)(0xa0 + i);
		fx->image[PAR + 2 * i + 1] = (uint8_t)(0x50 + i);
	}
	fx->tables[1] = (struct fgk_table){ .offset = EX, .nr_entries = 3, .entry_size = 12,
		.key_kind = FGK_KEY_REL32, .rel32_fields = 1 << 1 };
	for (uint32_t i = 0; i < 3; i++) {
		fx_put32(fx, EX + 12 * i, ex[i][0] - (EX + 12 * i));
		fx_put32(fx, EX + 12 * i + 4, ex[i][1] - (EX + 12 * i + 4));
		fx_put32(fx, EX + 12 * i + 8, 0xda7a0 + i);
		fx->field_units[fx->nr_field_units++] = ex[i][2];
	}
	fx->tables[2] = (struct fgk_table){ .offset = MC, .nr_entries = 5, .entry_size = 8,
		.key_kind = FGK_KEY_ABS64 };
	for (uint32_t i = 0; i < 5; i++) {
		fx_put64(fx, MC + 8 * i, FX_LINK_BASE + mc[i]);
		fx_reloc(fx, FGK_RELOC_ABS64, MC + 8 * i);
	}
	fx->nr_tables = 3;
	return fx;
}

/*
 * Markers: region [0x100, 0x180) is exactly u0 [0x100,0x140) and u1
 * [0x140,0x180). An ORC-like table with an unowned entry at the region's
 * start among u0's entries (a linker-script marker such as _stext), and one
 * at its end before u1's terminator there:
 *   0x010  0x100 u0  0x100 NONE  0x120 u0  0x140 u1  0x180 NONE  0x180 u1  0x300
 */
static const uint32_t marker_ip[] = { 0x010, 0x100, 0x100, 0x120, 0x140, 0x180, 0x180, 0x300 };

static struct fx *marker_fx(void)
{
	struct fx *fx = fx_new(0x800);

	fx_region(fx, 0x100, 0x180);
	fx_unit(fx, 0x100, 0x40, 16);
	fx_unit(fx, 0x140, 0x40, 16);
	fx->tables[0] = (struct fgk_table){ .offset = ORC, .nr_entries = 8, .entry_size = 4,
		.key_kind = FGK_KEY_REL32, .par_offset = PAR, .par_entry_size = 2, .nr_overrides = 2 };
	fx_override(fx, 2, N);	/* the marker at the region's start */
	fx_override(fx, 6, 1);	/* u1's terminator; the marker before it is the walk's NONE */
	for (uint32_t i = 0; i < 8; i++) {
		fx_put32(fx, ORC + 4 * i, marker_ip[i] - (ORC + 4 * i));
		fx->image[PAR + 2 * i] = (uint8_t)(0xa0 + i);
		fx->image[PAR + 2 * i + 1] = (uint8_t)(0x50 + i);
	}
	fx->nr_tables = 1;
	return fx;
}

static struct fgk_override *marker_override(struct fx *fx)
{
	return &fx->overrides[0];
}

static void expect_first_table(const struct fx *fx, const uint8_t *before, const struct fx_run *run)
{
	expect_table(fx, before, run, 0, 0);
}

/* 0x120 is entry 3 inside u0, 0x140 the next where u0 and u1 meet. */
static const struct owner_subject table_owners = {
	"key", FGK_E_TABLE, marker_fx, marker_override, 3, 4, expect_first_table
};

/* Open, swap u0 and u1, re-sort the tables (then apply relocs by base_delta). */
static void resort_swapped(struct fx *fx, int64_t base_delta, uint32_t entries)
{
	static const uint32_t order[] = { 1, 0 };
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan p;

	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&p, &map);
	memcpy(p.order, order, sizeof(order));
	assert_int_equal(fgk_layout_region(&map, 0, p.order, p.delta), FGK_OK);
	assert_int_equal(p.delta[0], 0x40);
	assert_int_equal(p.delta[1], -0x40);
	assert_int_equal(fgk_resort_tables(&p.plan, fx->image, NULL), entries);
	fgk_apply_relocs(&p.plan, fx->image, base_delta);
	fx_plan_free(&p);
	free(buf);
}

static uint32_t rel32_target(const struct fx *fx, uint32_t at)
{
	return at + get32(fx->image, at);
}

/* u0's terminator (key 0x140 == u1's start) goes with u0, after all of u1's entries. */
static void terminators_follow_their_unit(void **state)
{
	/* new entry j is old entry from[j]; its ip */
	static const uint32_t from[] = { 0, 4, 5, 6, 1, 2, 3, 7 };
	static const uint32_t ip[] = { 0x010, 0x100, 0x120, 0x140, 0x140, 0x160, 0x180, 0x300 };
	struct fx *fx = edge_fx();

	(void)state;
	resort_swapped(fx, 0, 8 + 3 + 5);
	for (uint32_t j = 0; j < 8; j++) {
		assert_int_equal(rel32_target(fx, ORC + 4 * j), ip[j]);
		assert_int_equal(fx->image[PAR + 2 * j], 0xa0 + from[j]);
		assert_int_equal(fx->image[PAR + 2 * j + 1], 0x50 + from[j]);
	}
	fx_free(fx);
}

/* Unowned entries keep their index; fixups follow their own unit; data moves along. */
static void fields_follow_their_units(void **state)
{
	static const uint32_t expect[][3] = {	/* insn, fixup, data of new entry j */
		{ 0x010, 0x110, 0xda7a0 }, { 0x110, 0x150, 0xda7a2 }, { 0x148, 0x020, 0xda7a1 },
	};
	struct fx *fx = edge_fx();

	(void)state;
	resort_swapped(fx, 0, 8 + 3 + 5);
	for (uint32_t j = 0; j < 3; j++) {
		assert_int_equal(rel32_target(fx, EX + 12 * j), expect[j][0]);
		assert_int_equal(rel32_target(fx, EX + 12 * j + 4), expect[j][1]);
		assert_int_equal(get32(fx->image, EX + 12 * j + 8), expect[j][2]);
	}
	fx_free(fx);
}

/* ABS64 keys: moved with their owner, re-sorted, then the base delta at every key. */
static void abs64_keys_with_relocs(void **state)
{
	static const uint32_t expect[] = { 0x010, 0x100, 0x110, 0x140, 0x300 };
	struct fx *fx = edge_fx();

	(void)state;
	resort_swapped(fx, 0x1000000, 8 + 3 + 5);
	for (uint32_t j = 0; j < 5; j++)
		assert_int_equal(get64(fx->image, MC + 8 * j), FX_LINK_BASE + expect[j] + 0x1000000);
	fx_free(fx);
}

/*
 * An ABS64 key with a rel32 field beside it (16-byte entries: key, field,
 * padding) at 0x740: the key moves with its owner, the field with its own
 * unit and with the entry's new place.
 */
static void abs64_key_and_field(void **state)
{
	static const uint32_t key[] = { 0x010, 0x108, 0x150 };
	static const uint32_t target[][2] = { { 0x020, N }, { 0x150, 1 }, { 0x110, 0 } };
	static const uint32_t expect[][2] = {	/* key, field target of new entry j */
		{ 0x010, 0x020 }, { 0x110, 0x150 }, { 0x148, 0x110 },
	};
	struct fx *fx = edge_fx();
	const uint32_t at = 0x740;

	(void)state;
	fx->tables[3] = (struct fgk_table){ .offset = at, .nr_entries = 3, .entry_size = 16,
		.key_kind = FGK_KEY_ABS64, .rel32_fields = 1 << 2,
		.first_field_unit = fx->nr_field_units };
	for (uint32_t i = 0; i < 3; i++) {
		fx_put64(fx, at + 16 * i, FX_LINK_BASE + key[i]);
		fx_put32(fx, at + 16 * i + 8, target[i][0] - (at + 16 * i + 8));
		fx->field_units[fx->nr_field_units++] = target[i][1];
	}
	fx->nr_tables = 4;
	resort_swapped(fx, 0, 8 + 3 + 5 + 3);
	for (uint32_t j = 0; j < 3; j++) {
		assert_int_equal(get64(fx->image, at + 16 * j), FX_LINK_BASE + expect[j][0]);
		assert_int_equal(rel32_target(fx, at + 16 * j + 8), expect[j][1]);
	}
	fx_free(fx);
}

/* The start marker goes before the region's runs, the end marker after them. */
static void markers_stay_at_region_edges(void **state)
{
	static const uint32_t from[] = { 0, 2, 4, 6, 1, 3, 5, 7 };
	static const uint32_t ip[] = { 0x010, 0x100, 0x100, 0x140, 0x140, 0x160, 0x180, 0x300 };
	struct fx *fx = marker_fx();

	(void)state;
	resort_swapped(fx, 0, 8);
	for (uint32_t j = 0; j < 8; j++) {
		assert_int_equal(rel32_target(fx, ORC + 4 * j), ip[j]);
		assert_int_equal(fx->image[PAR + 2 * j], 0xa0 + from[j]);
	}
	fx_free(fx);
	owner_fixture_survives_shuffles(&table_owners, 16);
}

/* An unowned key anywhere else in the region is refused before any write. */
static void unowned_inside_region_refused(void **state)
{
	(void)state;
	owner_unowned_inside_region_refused(&table_owners);
}

/* An empty table's offsets are never checked, so nothing may be touched there. */
static void empty_table_untouched(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	uint8_t *before = fx_copy_image(fx);
	struct fx_run run;

	(void)state;
	fx->tables[fx->nr_tables++] = (struct fgk_table){ .offset = 0xfffffff0u, .entry_size = 4,
		.key_kind = FGK_KEY_REL32, .par_offset = 0xffffff00u, .par_entry_size = 2 };
	fx->tables[w.ex].par_offset = 0xffffffffu;	/* no parallel array: ignored */
	assert_int_equal(fx_shuffle(fx, 3, 0, 0, &run), FGK_OK);
	expect_table(fx, before, &run, w.ex, 0);
	free(before);
	fx_free(fx);
}
static int64_t delta_2m(uint64_t seed)
{
	(void)seed;
	return 0x200000;
}

static void expect_tables(const struct fx *fx, const struct world *w, const uint8_t *before,
			  const struct fx_run *run, int64_t delta)
{
	(void)w;
	for (uint32_t t = 0; t < fx->nr_tables; t++)
		expect_table(fx, before, run, t, delta);
}

/* Whole shuffles of the world: every table, every seed. */
static void tables_survive_shuffles(void **state)
{
	static const struct world_shuffles ws = { .seeds = 60, .delta = delta_2m,
						  .expect = expect_tables };

	(void)state;
	world_shuffles(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(terminators_follow_their_unit),
		cmocka_unit_test(fields_follow_their_units),
		cmocka_unit_test(abs64_keys_with_relocs),
		cmocka_unit_test(abs64_key_and_field),
		cmocka_unit_test(markers_stay_at_region_edges),
		cmocka_unit_test(unowned_inside_region_refused),
		cmocka_unit_test(empty_table_untouched),
		cmocka_unit_test(tables_survive_shuffles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
