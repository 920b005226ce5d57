/* test_scratch.c: the scratch formula, and how the plan is carved from it. */
#include <stdlib.h>

#include "fixture.h"

static uint64_t a8(uint64_t n)
{
	return (n + 7) & ~7ULL;
}

/*
 * scratch = order + delta (4 bytes per unit each, 8-aligned) + the largest
 * phase area: a region copy, one table with its parallel array plus runs
 * (3 words per unit, 2 per region), or the symtab's copies and indexes.
 */
static void world_formula(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	uint64_t units = fx->nr_units, regions = fx->nr_regions, work = 0x500;
	uint64_t runs = 3 * a8(4 * units) + 2 * a8(4 * regions);

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	for (uint32_t t = 0; t < fx->nr_tables; t++) {
		uint64_t n = fx->tables[t].nr_entries;
		uint64_t bytes = runs + a8(n * fx->tables[t].entry_size) +
				 a8(n * fx->tables[t].par_entry_size);

		work = bytes > work ? bytes : work;
	}
	uint64_t n = fx->symtab.nr_syms;
	uint64_t sym = runs + a8(4 * n) + a8(fx->symtab.names_size) + a8(4 * (n + 1)) + 2 * a8(4 * n);
	work = sym > work ? sym : work;
	assert_int_equal(map.max_region_size, 0x500);
	assert_int_equal(fgk_scratch_size(&map), 2 * a8(4 * units) + work);
	/* Here the largest region dominates. */
	assert_int_equal(work, 0x500);
	free(buf);
	fx_free(fx);
}

/* A tiny region: the largest table, then the symtab, sets the work area. */
static void tables_and_symtab_dominate(void **state)
{
	static const struct fx_sym syms[] = { { 0, 0x10, 100 }, { FGK_UNIT_NONE, 0x40, 200 } };
	struct fx *fx = fx_new(0x10000);
	uint64_t runs = 2 * 8 + sizeof(struct fgk_block);	/* len, next; one region */
	size_t size;
	void *buf;
	struct fgk_map map;

	(void)state;
	fx_region(fx, 0x10, 0x20);
	fx_unit(fx, 0x10, 0x10, 16);
	fx->tables[0] = (struct fgk_table){ .offset = 0x1000, .nr_entries = 1001, .entry_size = 8,
					    .key_kind = FGK_KEY_ABS64, .par_offset = 0x4000,
					    .par_entry_size = 3 };
	fx->nr_tables = 1;
	for (uint32_t i = 0; i < 1001; i++)
		fx_put64(fx, 0x1000 + 8 * i, FX_LINK_BASE + 0x100);
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_int_equal(fgk_scratch_size(&map), 2 * 8 + runs + 8008 + a8(3003) + a8(4 * 1001));
	free(buf);
	fx->nr_tables = 0;
	fx_symtab(fx, 0x8000, syms, 2, FGK_SYMOFF_RELATIVE, 1);
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_int_equal(fgk_scratch_size(&map), 2 * 8 + runs + 8 + a8(1 + 100 + 2 + 200) + 16 + 2 * 8);
	free(buf);
	fx_free(fx);
}

static void carve(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fgk_plan plan;
	uint8_t *scratch = malloc(4096);

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fgk_plan_carve(&plan, &map, scratch);
	assert_ptr_equal(plan.order, scratch);
	assert_ptr_equal(plan.delta, scratch + 32);	/* 8 units: 32 bytes */
	assert_ptr_equal(plan.work, scratch + 64);
	assert_int_equal(fgk_plan_bytes(&map), 64);
	free(scratch);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(world_formula),
		cmocka_unit_test(tables_and_symtab_dominate),
		cmocka_unit_test(carve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
