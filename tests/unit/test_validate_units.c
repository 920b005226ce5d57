/* test_validate_units.c: every region and unit rule, each with its error and the image untouched. */
#include "mutate.h"

#define M(name) static void name(struct fx *fx, const struct world *w)
#define R (fx->regions)
#define U (fx->units)

M(empty_region) { (void)w; R[0].end = R[0].start; }
M(region_past_image) { (void)w; R[1].end = fx->image_size + 0x10; }
M(regions_overlap) { (void)w; R[1].start = 0x5f0; }
M(regions_unsorted) { (void)w; struct fgk_region t = R[0]; R[0] = R[1]; R[1] = t; }
M(first_unit_gap) { (void)w; R[1].first_unit++; R[1].nr_units--; }
M(units_not_covered) { (void)w; R[1].nr_units--; }
M(units_overcounted) { (void)w; R[1].nr_units++; }
M(unit_empty) { (void)w; U[3].size = 0; }
/* (An alignment that is 0 or not a power of two cannot be written: the map holds its log2.) */
M(unit_align_too_big) { (void)w; U[0].align = 1u << 21; U[0].offset = 0; }
M(unit_misaligned) { (void)w; U[1].offset = 0x148; }
M(units_overlap) { (void)w; U[1].offset = 0x130; }
M(units_unsorted) { (void)w; struct fgk_unit t = U[0]; U[0] = U[1]; U[1] = t; }
M(unit_past_region_end) { (void)w; U[4].offset = 0x5c0; U[4].size = 0x50; }
M(unit_before_region) { (void)w; U[5].offset = 0x6f0; }
M(unit_size_wraps) { (void)w; U[7].size = 0xfffffff0u; }

static const struct mutation mutations[] = {
	{ "region start == end", empty_region, FGK_E_REGION },
	{ "region past the image", region_past_image, FGK_E_REGION },
	{ "regions overlap", regions_overlap, FGK_E_REGION },
	{ "regions unsorted", regions_unsorted, FGK_E_REGION },
	{ "a unit in no region", first_unit_gap, FGK_E_REGION },
	{ "units not all covered", units_not_covered, FGK_E_REGION },
	{ "regions claim too many units", units_overcounted, FGK_E_REGION },
	{ "unit size 0", unit_empty, FGK_E_UNIT },
	{ "alignment above 1 MiB", unit_align_too_big, FGK_E_UNIT },
	{ "unit offset not aligned", unit_misaligned, FGK_E_UNIT },
	{ "units overlap", units_overlap, FGK_E_UNIT },
	{ "units unsorted", units_unsorted, FGK_E_UNIT },
	{ "unit past its region's end", unit_past_region_end, FGK_E_UNIT },
	{ "unit before its region", unit_before_region, FGK_E_UNIT },
	{ "unit end wraps 32 bits", unit_size_wraps, FGK_E_UNIT },
};

static void rules(void **state)
{
	(void)state;
	RUN_MUTATIONS(mutations);
}

/* Deltas are s32: a region over 2 GiB is refused (the image is never read here). */
static void region_over_2g(void **state)
{
	struct fx *fx = fx_new(0x100);
	struct fgk_map map;
	size_t size;
	void *buf;

	(void)state;
	fx_region(fx, 0x10, 0x20);
	fx_unit(fx, 0x10, 8, 8);
	fx->image_size = 0x90000000u;
	fx->regions[0].end = 0x80000011u;
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_E_REGION);
	fx->regions[0].end = 0x80000010u;	/* exactly INT32_MAX + 1 bytes... */
	free(buf);
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_E_REGION);
	fx->regions[0].end = 0x8000000fu;	/* ...and INT32_MAX is fine */
	free(buf);
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_OK);
	assert_int_equal(map.max_region_size, INT32_MAX);
	free(buf);
	fx->image_size = 0x100;
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(region_over_2g),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
