/* test_xref.c: the xref formulas for every kind, with fixed sites and NONE targets, at the original sites, targets stored or found. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/*
 * region [0x100, 0x400): u0 [0x100,0x140) u1 [0x140,0x180) u2 [0x200,0x240)
 * u3 [0x250,0x268) u4 [0x270,0x280): u3 ends inside the 32-byte bucket
 * where u4 starts; fixed elsewhere
 */
static struct fx *three_units(void)
{
	struct fx *fx = fx_new(0x1000);

	fx_region(fx, 0x100, 0x400);
	fx_unit(fx, 0x100, 0x40, 16);
	fx_unit(fx, 0x140, 0x40, 16);
	fx_unit(fx, 0x200, 0x40, 16);
	fx_unit(fx, 0x250, 0x18, 8);
	fx_unit(fx, 0x270, 0x10, 16);
	return fx;
}

#define N FGK_UNIT_NONE

/* Hand-chosen moves: dS and dT are read from here (the formula does not care about layouts). */
static const int32_t deltas[] = { 0x100, -0x40, -0x100, 0x20, -0x20 };

static const struct {
	uint32_t site, kind, target;
	uint64_t old, new;
} cases[] = {
	/* sorted by site; PC: += dT - dS, ABS: += dT (the site's move is irrelevant) */
	{ 0x010, FGK_XREF_PC32, 2, 0x50, (uint32_t)(0x50 - 0x100) },		/* fixed -> u2 */
	{ 0x020, FGK_XREF_PC64, 1, 0x120, 0x120 - 0x40 },			/* fixed -> u1 */
	{ 0x104, FGK_XREF_PC32, 1, 0x1000, 0x1000 - 0x40 - 0x100 },		/* u0 -> u1 */
	{ 0x110, FGK_XREF_ABS64, 1, FX_LINK_BASE + 0x140, FX_LINK_BASE + 0x100 },
	{ 0x118, FGK_XREF_ABS64, N, 0x1234, 0x1234 },				/* u0 -> fixed */
	{ 0x124, FGK_XREF_PC32, 4, 0x274 - 0x128, 0x274 - 0x128 - 0x20 - 0x100 },	/* u0 -> u4 */
	{ 0x144, FGK_XREF_PC32, N, 5, 5 + 0x40 },				/* u1 -> fixed */
	{ 0x148, FGK_XREF_PC32, 0, (uint32_t)-0x48, (uint32_t)(-0x48 + 0x100 + 0x40) },
	{ 0x14c, FGK_XREF_PC32, N, (uint32_t)-0xd0, (uint32_t)(-0xd0 + 0x40) },	/* u1 -> 0x80 */
	{ 0x150, FGK_XREF_ABS32, 2, 0x10000, 0x10000 - 0x100 },
	{ 0x154, FGK_XREF_PC32, N, 0x800 - 0x158, 0x800 - 0x158 + 0x40 },	/* u1 -> 0x800 */
	{ 0x208, FGK_XREF_PC64, 0, (uint64_t)-0x108, (uint64_t)(-0x108 + 0x100 + 0x100) },
	{ 0x210, FGK_XREF_ABS32S, 0, 0x81000100, 0x81000200 },
	{ 0x800, FGK_XREF_ABS64, 2, FX_LINK_BASE + 0x210, FX_LINK_BASE + 0x110 },
	{ 0x810, FGK_XREF_ABS32, 0, 0x10100, 0x10200 },
	{ 0x814, FGK_XREF_ABS32S, 1, 0x81000140, 0x81000100 },
};

static uint64_t field(const uint8_t *image, uint32_t site, uint32_t kind)
{
	return kind == FGK_XREF_PC64 || kind == FGK_XREF_ABS64 ? get64(image, site) : get32(image, site);
}

/* References whose target the map leaves for the runtime to find. */
static uint32_t count_derived(const struct fgk_map *map)
{
	struct fgk_xref_cursor c;
	struct fgk_ref r;
	uint32_t n = 0;

	fgk_xref_cursor_init(&c, map);
	while (fgk_xref_next(&c, &r))
		n += r.code != FGK_CODE_STORED;
	return n;
}

/*
 * With targets stored, and with them found from the fields (as fgk-mkmap
 * writes maps): the same results. Found: each field that points into its
 * target, or, target none, at no unit (0x118's 0x1234 lies past the
 * region, 0x14c's 0x80 before it, 0x154's 0x800 after it); 0x124's target is one step into its
 * bucket; stored: ABS32 and PC64, and the PC32s at 0x010, 0x104 and 0x144,
 * whose fields point elsewhere (0x64, 0x1108, 0x14d).
 */
static void check_formulas(int derive, uint32_t derived)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), size;
	struct fx *fx = three_units();
	struct fgk_map map;
	struct fx_plan p;
	void *buf;

	fx->derive = derive;
	for (size_t i = 0; i < n; i++)
		fx_xref(fx, cases[i].site, cases[i].kind, cases[i].target, cases[i].old);
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_int_equal(count_derived(&map), derived);
	fx_plan_init(&p, &map);
	memcpy(p.delta, deltas, sizeof(deltas));
	uint8_t *before = fx_copy_image(fx);
	assert_int_equal(fgk_fix_xrefs(&p.plan, fx->image), n);
	for (size_t i = 0; i < n; i++) {
		uint32_t w = cases[i].kind == FGK_XREF_PC64 || cases[i].kind == FGK_XREF_ABS64 ? 8 : 4;

		assert_int_equal(field(fx->image, cases[i].site, cases[i].kind), cases[i].new);
		memset(before + cases[i].site, 0, w);	/* everything else unchanged */
		memset(fx->image + cases[i].site, 0, w);
	}
	assert_memory_equal(fx->image, before, fx->image_size);
	free(before);
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

static void formulas(void **state)
{
	(void)state;
	check_formulas(0, 0);
	check_formulas(1, 9);
}

/*
 * A call whose target moved up 2^30 and whose site moved down 2^30: the
 * two moves differ by 2^31, past an int (the field itself takes it modulo
 * 2^32, as the layout check's bounds say).
 */
static void moves_far_apart(void **state)
{
	struct fx *fx = three_units();
	struct fgk_map map;
	struct fx_plan p;
	size_t size;
	void *buf;

	(void)state;
	fx->derive = 1;
	/* the first one's site is more than a byte's gap from 0; the second's is not */
	fx_xref(fx, 0x100, FGK_XREF_PC32, 1, 0x140 - 0x104);	/* u0 -> u1 */
	fx_xref(fx, 0x108, FGK_XREF_PC32, 2, 0x200 - 0x10c);	/* u0 -> u2 */
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_OK);
	fx_plan_init(&p, &map);
	p.delta[0] = -0x40000000;
	p.delta[2] = 0x40000000;
	assert_int_equal(fgk_fix_xrefs(&p.plan, fx->image), 2);
	assert_int_equal(get32(fx->image, 0x100), (uint32_t)(0x140 - 0x104) + 0x40000000u);
	assert_int_equal(get32(fx->image, 0x108), (uint32_t)(0x200 - 0x10c) + 0x80000000u);
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}
/* Targets stored on even seeds, found from the fields on odd ones. */
static void derive_on_odd(struct fx *fx, uint64_t seed)
{
	fx->derive = seed % 2;
}

static void expect_references(const struct fx *fx, const struct world *w, const uint8_t *before,
			      const struct fx_run *run, int64_t delta)
{
	(void)w;
	expect_fields(fx, before, run, delta);
}

/* Through fgk_shuffle, for many layouts: each reference still reaches its target. */
static void references_survive_shuffles(void **state)
{
	static const struct world_shuffles ws = { .first_seed = 100, .seeds = 40,
						  .prepare = derive_on_odd,
						  .expect = expect_references };

	(void)state;
	world_shuffles(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formulas),
		cmocka_unit_test(moves_far_apart),
		cmocka_unit_test(references_survive_shuffles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
