/* test_walk.c: the unit and region cursors: lookups in order, fields straddling edges, padding. */
#include <stdlib.h>

#include "fixture.h"

/*
 *   region 0 [0x10, 0x60): u0 [0x10,0x20) u1 [0x20,0x30)  pad  u2 [0x40,0x50) pad
 *   region 1 [0x80, 0x90): u3 [0x80,0x90)
 */
static struct fx *small(void)
{
	struct fx *fx = fx_new(0x100);

	fx_region(fx, 0x10, 0x60);
	fx_unit(fx, 0x10, 0x10, 16);
	fx_unit(fx, 0x20, 0x10, 16);
	fx_unit(fx, 0x40, 0x10, 16);
	fx_region(fx, 0x80, 0x90);
	fx_unit(fx, 0x80, 0x10, 16);
	return fx;
}

static int open_small(struct fx **fx, void **buf, struct fgk_map *map)
{
	size_t size;

	*fx = small();
	*buf = fx_map(*fx, &size);
	return fx_open(*fx, *buf, size, map);
}

static void unit_lookups(void **state)
{
	static const struct { int64_t off; uint32_t unit; } cases[] = {
		{ -5, FGK_UNIT_NONE }, { 0, FGK_UNIT_NONE }, { 0x10, 0 }, { 0x1f, 0 },
		{ 0x20, 1 }, { 0x20, 1 }, { 0x2f, 1 }, { 0x30, FGK_UNIT_NONE },
		{ 0x40, 2 }, { 0x50, FGK_UNIT_NONE }, { 0x8f, 3 }, { 0x90, FGK_UNIT_NONE },
		{ INT64_MAX, FGK_UNIT_NONE },
	};
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fgk_walk w;

	(void)state;
	assert_int_equal(open_small(&fx, &buf, &map), FGK_OK);
	fgk_walk_init(&w, &map);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fgk_walk_unit(&w, cases[i].off), cases[i].unit);
	free(buf);
	fx_free(fx);
}

static void fields(void **state)
{
	static const struct { int64_t off; uint32_t width, unit; } cases[] = {
		{ 0x08, 8, FGK_UNIT_NONE },	/* ends right at u0 */
		{ 0x0c, 8, FGK_WALK_BAD },	/* runs into u0 */
		{ 0x18, 8, 0 },			/* ends right at u0's end */
		{ 0x1c, 8, FGK_WALK_BAD },	/* u0 into u1 */
		{ 0x2c, 4, 1 },
		{ 0x2e, 4, FGK_WALK_BAD },	/* u1 into padding */
		{ 0x30, 8, FGK_UNIT_NONE },	/* padding: the unit walk alone says NONE */
		{ 0x88, 8, 3 },
	};
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fgk_walk w;

	(void)state;
	assert_int_equal(open_small(&fx, &buf, &map), FGK_OK);
	fgk_walk_init(&w, &map);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fgk_walk_field(&w, cases[i].off, cases[i].width), cases[i].unit);
	free(buf);
	fx_free(fx);
}

/* The locator also refuses region padding, which the move overwrites. */
static void located_fields(void **state)
{
	static const struct { uint32_t off, width, unit; } cases[] = {
		{ 0x00, 8, FGK_UNIT_NONE },
		{ 0x0c, 4, FGK_UNIT_NONE },	/* ends at the region's start */
		{ 0x0e, 4, FGK_WALK_BAD },
		{ 0x10, 4, 0 },
		{ 0x30, 4, FGK_WALK_BAD },	/* padding */
		{ 0x44, 8, 2 },
		{ 0x5c, 8, FGK_WALK_BAD },	/* padding into outside */
		{ 0x60, 8, FGK_UNIT_NONE },
		{ 0x7c, 8, FGK_WALK_BAD },	/* into u3 */
		{ 0x90, 4, FGK_UNIT_NONE },
	};
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fgk_locator loc;

	(void)state;
	assert_int_equal(open_small(&fx, &buf, &map), FGK_OK);
	fgk_locator_init(&loc, &map);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fgk_locate_field(&loc, cases[i].off, cases[i].width), cases[i].unit);
	free(buf);
	fx_free(fx);
}

static void regions(void **state)
{
	static const struct { int64_t off; uint32_t region; } cases[] = {
		{ -1, FGK_UNIT_NONE }, { 0x10, 0 }, { 0x35, 0 }, { 0x5f, 0 },
		{ 0x60, FGK_UNIT_NONE }, { 0x80, 1 }, { 0x90, FGK_UNIT_NONE },
	};
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fgk_region_walk rw;
	uint32_t cursor = 0;

	(void)state;
	assert_int_equal(open_small(&fx, &buf, &map), FGK_OK);
	fgk_region_walk_init(&rw, &map);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fgk_region_at(&rw, cases[i].off), cases[i].region);
	fgk_region_walk_init(&rw, &map);
	assert_false(fgk_region_overlaps(&rw, 0, 0x10));
	assert_true(fgk_region_overlaps(&rw, 0, 0x11));
	assert_false(fgk_region_overlaps(&rw, 0x60, 0x80));
	assert_true(fgk_region_overlaps(&rw, 0x70, 0x100));
	assert_int_equal(fgk_region_of_unit(&map, &cursor, 0), 0);
	assert_int_equal(fgk_region_of_unit(&map, &cursor, 2), 0);
	assert_int_equal(fgk_region_of_unit(&map, &cursor, 3), 1);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unit_lookups),
		cmocka_unit_test(fields),
		cmocka_unit_test(located_fields),
		cmocka_unit_test(regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
