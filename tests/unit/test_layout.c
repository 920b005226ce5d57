/* test_layout.c: new offsets from an order (alignment, fit), and the seeded plan over all regions. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* region [0x08, 0x40): u0 8@8, u1 16@16 (align 16), u2 8@8; 0x38 bytes. */
static struct fx *tight(uint32_t end)
{
	struct fx *fx = fx_new(0x100);

	fx_region(fx, 0x08, end);
	fx_unit(fx, 0x08, 8, 8);
	fx_unit(fx, 0x10, 16, 16);
	fx_unit(fx, 0x20, 8, 8);
	return fx;
}

static void layouts(void **state)
{
	static const struct {
		uint32_t end, order[3];
		int err;
		int32_t delta[3];
	} cases[] = {
		{ 0x28, { 0, 1, 2 }, FGK_OK, { 0, 0, 0 } },
		{ 0x28, { 2, 1, 0 }, FGK_OK, { 0x18, 0, -0x18 } },	/* u2@8 u1@16 u0@32 */
		{ 0x28, { 1, 0, 2 }, FGK_E_NOSPACE, { 0 } },		/* u1@16 u0@32 u2@40 > end */
		{ 0x30, { 1, 0, 2 }, FGK_OK, { 0x18, 0x0, 0x8 } },	/* fits exactly at end */
		{ 0x28, { 0, 2, 1 }, FGK_E_NOSPACE, { 0 } },		/* u0@8 u2@16 u1@32..48 */
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct fx *fx = tight(cases[c].end);
		size_t size;
		void *buf = fx_map(fx, &size);
		struct fgk_map map;
		int32_t delta[3];

		assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
		assert_int_equal(fgk_layout_region(&map, 0, cases[c].order, delta), cases[c].err);
		if (cases[c].err == FGK_OK)
			assert_memory_equal(delta, cases[c].delta, sizeof(delta));
		free(buf);
		fx_free(fx);
	}
}

/* Two regions of 6 and 4 units: each slice of order a permutation, offsets ascending. */
static struct fx *two_regions(void)
{
	struct fx *fx = fx_new(0x1000);

	fx_region(fx, 0x100, 0x400);
	for (uint32_t i = 0; i < 6; i++)
		fx_unit(fx, 0x100 + 0x40 * i, 0x20 + 8 * i, i % 2 ? 16 : 64);
	fx_region(fx, 0x800, 0x900);
	for (uint32_t i = 0; i < 4; i++)
		fx_unit(fx, 0x800 + 0x20 * i, 0x10, 8);
	return fx;
}

static void plan_checks(const struct fx *fx, const struct fx_plan *p)
{
	for (uint32_t r = 0; r < fx->nr_regions; r++) {
		const struct fgk_region *reg = &fx->regions[r];
		uint32_t seen[FX_MAX] = { 0 };
		int64_t prev_end = reg->start;

		for (uint32_t k = reg->first_unit; k < reg->first_unit + reg->nr_units; k++) {
			uint32_t u = p->order[k];
			const struct fgk_unit *unit = &fx->units[u];
			int64_t at = (int64_t)unit->offset + p->delta[u];

			assert_true(u >= reg->first_unit && u < reg->first_unit + reg->nr_units);
			assert_int_equal(seen[u]++, 0);
			assert_int_equal(at % unit->align, 0);
			/* placed at the first aligned offset after the previous unit */
			assert_true(at >= prev_end && at < prev_end + unit->align);
			prev_end = at + unit->size;
		}
		assert_true(prev_end <= reg->end);
	}
}

static int plan_seed(struct fx_plan *p, uint64_t seed)
{
	struct fgk_shuffle_args args = { .seed = seed };

	return fgk_plan_layout(&p->plan, &args);
}

static int plan_key(struct fx_plan *p, uint8_t first)
{
	uint8_t key[32];
	struct fgk_shuffle_args args = { .key = key, .seed = 1 };	/* the key wins */

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(first + 7 * i);
	return fgk_plan_layout(&p->plan, &args);
}

static void plans(void **state)
{
	struct fx *fx = two_regions();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan a, b;
	int differ = 0;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&a, &map);
	fx_plan_init(&b, &map);
	for (uint64_t seed = 0; seed < 50; seed++) {
		assert_int_equal(plan_seed(&a, seed), FGK_OK);
		plan_checks(fx, &a);
		assert_int_equal(plan_seed(&b, seed), FGK_OK);
		assert_memory_equal(a.order, b.order, fx->nr_units * 4);	/* same seed */
		assert_int_equal(plan_seed(&b, seed + 1000), FGK_OK);
		differ += memcmp(a.order, b.order, fx->nr_units * 4) != 0;
		/* a key: same key, same layout; another key, another */
		assert_int_equal(plan_key(&a, (uint8_t)seed), FGK_OK);
		plan_checks(fx, &a);
		assert_int_equal(plan_key(&b, (uint8_t)seed), FGK_OK);
		assert_memory_equal(a.order, b.order, fx->nr_units * 4);
		assert_int_equal(plan_key(&b, (uint8_t)(seed + 100)), FGK_OK);
		differ += memcmp(a.order, b.order, fx->nr_units * 4) != 0;
	}
	assert_true(differ >= 96);
	fx_plan_free(&a);
	fx_plan_free(&b);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layouts),
		cmocka_unit_test(plans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
