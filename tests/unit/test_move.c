/* test_move.c: units copied to their new offsets, every other byte of a region int3, nothing else touched. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/* region 0 [0x100, 0x200): u0 16@0x100, u1 32@0x110, u2 8@0x140 (align 8); region 1 [0x300, 0x340): u3, u4 */
static struct fx *two_regions(void)
{
	struct fx *fx = fx_new(0x400);

	fx_region(fx, 0x100, 0x200);
	fx_unit(fx, 0x100, 0x10, 16);
	fx_unit(fx, 0x110, 0x20, 16);
	fx_unit(fx, 0x140, 0x08, 8);
	fx_region(fx, 0x300, 0x340);
	fx_unit(fx, 0x300, 0x10, 16);
	fx_unit(fx, 0x310, 0x10, 16);
	return fx;
}

static void expect_unit_at(const struct fx *fx, uint32_t u, uint32_t at)
{
	for (uint32_t i = 0; i < fx->units[u].size; i++)
		assert_int_equal(fx->image[at + i], fx_pattern(u, i));
}

static void expect_int3(const struct fx *fx, uint32_t start, uint32_t end)
{
	for (uint32_t i = start; i < end; i++)
		assert_int_equal(fx->image[i], 0xcc);
}

static void moves_in_new_order(void **state)
{
	static const uint32_t order[] = { 2, 0, 1, 4, 3 };
	struct fx *fx = two_regions();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan p;
	uint8_t *before = fx_copy_image(fx);

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&p, &map);
	memcpy(p.order, order, sizeof(order));
	assert_int_equal(fgk_layout_region(&map, 0, p.order, p.delta), FGK_OK);
	assert_int_equal(fgk_layout_region(&map, 1, p.order, p.delta), FGK_OK);
	fgk_move_units(&p.plan, fx->image);
	/* u2 @0x100, pad to 0x110, u0 @0x110, u1 @0x120..0x140, int3 to 0x200 */
	expect_unit_at(fx, 2, 0x100);
	expect_int3(fx, 0x108, 0x110);
	expect_unit_at(fx, 0, 0x110);
	expect_unit_at(fx, 1, 0x120);
	expect_int3(fx, 0x140, 0x200);
	expect_unit_at(fx, 4, 0x300);
	expect_unit_at(fx, 3, 0x310);
	expect_int3(fx, 0x320, 0x340);
	assert_memory_equal(fx->image, before, 0x100);			/* outside regions */
	assert_memory_equal(fx->image + 0x200, before + 0x200, 0x100);
	assert_memory_equal(fx->image + 0x340, before + 0x340, 0xc0);
	free(before);
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

/* The identity order keeps units in place; gaps and slack still become int3. */
static void identity_fills_padding(void **state)
{
	struct fx *fx = two_regions();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan p;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&p, &map);
	fgk_move_units(&p.plan, fx->image);
	expect_unit_at(fx, 0, 0x100);
	expect_unit_at(fx, 1, 0x110);
	expect_int3(fx, 0x130, 0x140);
	expect_unit_at(fx, 2, 0x140);
	expect_int3(fx, 0x148, 0x200);
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}
static void expect_units_moved(const struct fx *fx, const struct world *w, const uint8_t *before,
			       const struct fx_run *run, int64_t delta)
{
	(void)w;
	(void)delta;
	expect_units(fx, before, run);
	expect_fixed_bytes(fx, before);
}

/* Whole shuffles: every unit intact at an aligned, disjoint new place. */
static void units_survive_shuffles(void **state)
{
	static const struct world_shuffles ws = { .seeds = 40, .expect = expect_units_moved };

	(void)state;
	world_shuffles(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(moves_in_new_order),
		cmocka_unit_test(identity_fills_padding),
		cmocka_unit_test(units_survive_shuffles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
