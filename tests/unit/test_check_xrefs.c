/* test_check_xrefs.c: every xref rule and the layout-independent overflow bounds. */
#include "mutate.h"

#define M(name) static void name(struct fx *fx, const struct world *w)
#define X (fx->xrefs)
#define KIND_UNIT(i, k, u) (X[i].info = FGK_XREF_INFO(k, u))

/* World xrefs: 0 fixed->u2 PC32 @0x10, 1 u0->u3 PC32 @0x110, 2 u0->fixed PC32 @0x120,
 * 3 u0->u4 ABS64 @0x128, 4 u1->u1 ABS32S @0x150, 5 u2->u7 PC64 @0x190,
 * 6 u4->u6 PC32 @0x220, 7 u5->u0 PC32 @0x704, 8 u6->u5 ABS32 @0x728,
 * 9 data->u1 ABS64 @0x3000, 10 data->u7 PC32 @0x3008, 11 data->u2 ABS32S @0x3010 */

M(kind_zero) { (void)w; KIND_UNIT(1, 0, 3); }
M(kind_six) { (void)w; KIND_UNIT(1, 6, 3); }
M(kind_fifteen) { (void)w; KIND_UNIT(1, 15, 3); }
M(unsorted) { (void)w; struct fgk_xref t = X[1]; X[1] = X[2]; X[2] = t; }
M(overlap) { (void)w; X[2].site = 0x113; }
M(overlap_wide) { (void)w; X[3].site = 0x122; }	/* ABS64 over the PC32 at 0x120 */
M(duplicate) { (void)w; X[2] = X[1]; }
M(past_image) { (void)w; X[11].site = fx->image_size - 2; }
M(pc64_past_image) { (void)w; X[11].site = fx->image_size - 4; KIND_UNIT(11, FGK_XREF_PC64, 2); }
M(target_out_of_range) { (void)w; KIND_UNIT(1, FGK_XREF_PC32, fx->nr_units); }
M(straddles_units) { (void)w; X[1].site = 0x13e; }
M(straddles_in) { (void)w; X[0].site = 0xfe; }
M(in_padding) { (void)w; X[4].site = 0x170; }
M(none_to_none) { (void)w; KIND_UNIT(9, FGK_XREF_ABS64, FGK_UNIT_NONE); }
M(pc32_same_unit) { (void)w; KIND_UNIT(1, FGK_XREF_PC32, 0); }
M(pc64_same_unit) { (void)w; KIND_UNIT(5, FGK_XREF_PC64, 2); }
M(in_table) { (void)w; X[9].site = 0x1004; }
M(in_parallel) { (void)w; X[9].site = 0x1210; }
M(in_symtab_names) { (void)w; X[9].site = fx->symtab.names + 8; }
M(in_symtab_seqs) { (void)w; X[9].site = fx->symtab.seqs; }
/*
 * Exact reach (unit_reach): u0 [0x100,+0x40) and u3 [0x200,+0x10) in region 0
 * [0x100,0x600), u1 [0x140,+0x30), u2 [0x180,+0x80); u5 [0x700,+0x20) and
 * u7 [0x740,+0x40) in region 1 [0x700,0x900).
 *   0x3008 data -> u7 PC32: up by 0x900 - 0x40 - 0x740 = 0x180
 *   0x110 u0 -> u3 PC32: down by (0x200 - 0x100) + (0x600 - 0x40 - 0x100) = 0x5c0
 *   0x3010 data -> u2 ABS32S: up by 0x600 - 0x80 - 0x180 = 0x400
 *   0x150 u1 -> u1 ABS32S: down by 0x140 - 0x100 = 0x40
 *   0x728 u6 -> u5 ABS32: up by 0x900 - 0x20 - 0x700 = 0x1e0; made u6 -> u7: down by 0x40
 */
M(pc32_too_high) { (void)w; fx_put32(fx, 0x3008, 0x7fffffff - 0x17f); }
M(pc32_too_low) { (void)w; fx_put32(fx, 0x110, (uint32_t)(-0x7fffffff - 1 + 0x5bf)); }
M(abs32s_too_high) { (void)w; fx_put32(fx, 0x3010, 0x7fffffff - 0x3ff); }
M(abs32s_too_low) { (void)w; fx_put32(fx, 0x150, 0x80000000u + 0x3f); }
M(abs32_too_high) { (void)w; fx_put32(fx, 0x728, 0xffffffffu - 0x1df); }
M(abs32_too_low) { (void)w; KIND_UNIT(8, FGK_XREF_ABS32, 7); fx_put32(fx, 0x728, 0x3f); }

static const struct mutation mutations[] = {
	{ "kind 0", kind_zero, FGK_E_XREF },
	{ "kind 6", kind_six, FGK_E_XREF },
	{ "kind 15", kind_fifteen, FGK_E_XREF },
	{ "sites unsorted", unsorted, FGK_E_XREF },
	{ "fields overlap", overlap, FGK_E_XREF },
	{ "8-byte field over the previous", overlap_wide, FGK_E_XREF },
	{ "same site twice", duplicate, FGK_E_XREF },
	{ "field past the image", past_image, FGK_E_XREF },
	{ "PC64 field past the image", pc64_past_image, FGK_E_XREF },
	{ "target unit out of range", target_out_of_range, FGK_E_XREF },
	{ "field across two units", straddles_units, FGK_E_XREF },
	{ "field from outside into a unit", straddles_in, FGK_E_XREF },
	{ "field in region padding", in_padding, FGK_E_XREF },
	{ "site and target both fixed", none_to_none, FGK_E_XREF },
	{ "PC32 within one unit", pc32_same_unit, FGK_E_XREF },
	{ "PC64 within one unit", pc64_same_unit, FGK_E_XREF },
	{ "field in a table", in_table, FGK_E_XREF },
	{ "field in a parallel array", in_parallel, FGK_E_XREF },
	{ "field in the symtab names", in_symtab_names, FGK_E_XREF },
	{ "field in the symtab seqs", in_symtab_seqs, FGK_E_XREF },
	{ "PC32 + target reach overflows", pc32_too_high, FGK_E_OVERFLOW },
	{ "PC32 - target and site reach overflows", pc32_too_low, FGK_E_OVERFLOW },
	{ "ABS32S + target reach overflows", abs32s_too_high, FGK_E_OVERFLOW },
	{ "ABS32S - target reach overflows", abs32s_too_low, FGK_E_OVERFLOW },
	{ "ABS32 + target reach overflows", abs32_too_high, FGK_E_OVERFLOW },
	{ "ABS32 - target reach underflows", abs32_too_low, FGK_E_OVERFLOW },
};

static void rules(void **state)
{
	(void)state;
	RUN_MUTATIONS(mutations);
}

static int open_world(struct fx *fx, struct fgk_map *map)
{
	size_t size;
	void *buf = fx_map(fx, &size);
	int err = fx_open(fx, buf, size, map);

	free(buf);	/* the map points into buf: only the scalars are read after */
	return err;
}

/* Values exactly at each field's reach pass, and the values seen are reported. */
static void bounds(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;

	(void)state;
	fx_put32(fx, 0x3008, 0x7fffffff - 0x180);
	fx_put32(fx, 0x110, (uint32_t)(-0x7fffffff - 1 + 0x5c0));
	fx_put32(fx, 0x3010, 0x7fffffff - 0x400);
	fx_put32(fx, 0x150, 0x80000000u + 0x40);
	fx_put32(fx, 0x728, 0);
	assert_int_equal(open_world(fx, &map), FGK_OK);
	assert_int_equal(map.max_region_size, 0x500);
	assert_int_equal(map.pc32_max, 0x7fffffff - 0x180);
	assert_int_equal(map.pc32_min, -0x7fffffffLL - 1 + 0x5c0);
	assert_int_equal(map.abs32s_max, 0x7fffffff - 0x400);
	assert_int_equal(map.abs32s_min, -0x7fffffffLL - 1 + 0x40);
	assert_int_equal(map.abs32_max, 0);	/* u5 cannot move down */
	fx_put32(fx, 0x728, 0xffffffffu - 0x1e0);
	assert_int_equal(open_world(fx, &map), FGK_OK);
	assert_int_equal(map.abs32_max, 0xffffffffu - 0x1e0);
	fx_free(fx);
}

/*
 * A PC32 near 2^31 from a site in a region that is large next to 2^31 - v:
 * twice the region's size would overflow, but the site only moves within
 * the region. The kernel's text -> per-CPU references are like this.
 */
static void pc32_near_limit_big_region(void **state)
{
	struct fx *fx = fx_new(0x100000);
	struct fgk_map map;
	uint32_t site = 0x1000;

	(void)state;
	fx_region(fx, 0x1000, 0x81000);		/* 0x80000 bytes */
	fx_unit(fx, 0x1000, 0x10, 16);		/* u0: down by 0, up by 0x7fff0 */
	fx_unit(fx, 0x1010, 0x10, 16);		/* u1 */
	/* new value = v - dS, dS in [0, 0x7fff0]: up to v, never more */
	fx_xref(fx, site, FGK_XREF_PC32, FGK_UNIT_NONE, 0x7fffffff - 4);
	assert_int_equal(open_world(fx, &map), FGK_OK);
	fx_free(fx);
	/* the same value at a site that can move down overflows */
	fx = fx_new(0x100000);
	fx_region(fx, 0x1000, 0x81000);
	fx_unit(fx, 0x1000, 0x10, 16);
	fx_unit(fx, 0x1010, 0x10, 16);
	fx_xref(fx, 0x1014, FGK_XREF_PC32, FGK_UNIT_NONE, 0x7fffffff - 4);
	assert_int_equal(open_world(fx, &map), FGK_E_OVERFLOW);
	fx_free(fx);
}

/*
 * A target found from the field moves as far as the byte it points at can
 * within its region: in [0x1000, 0x2000), 0x1010 moves by at most
 * 0x2000 - 1 - 0x1010 = 0xfef. An ABS32S found at 0x1010 with a link base
 * just under 2^31 holds a value that is then exactly at, or one past, the
 * limit.
 */
static int derived_abs32s(uint64_t link_base)
{
	struct fx *fx = fx_new(0x4000);
	struct fgk_map map;
	int err;

	fx->derive = 1;
	fx->link_base = link_base;
	fx_region(fx, 0x1000, 0x2000);
	fx_unit(fx, 0x1000, 0x10, 16);
	fx_unit(fx, 0x1010, 0x10, 16);
	fx_xref(fx, 0x3000, FGK_XREF_ABS32S, 1, link_base + 0x1010);
	err = open_world(fx, &map);
	fx_free(fx);
	return err;
}

static void derived_reach(void **state)
{
	struct fx *fx = fx_new(0x4000);
	struct fgk_map map;

	(void)state;
	assert_int_equal(derived_abs32s(0x7fffffffu - 0xfef - 0x1010), FGK_OK);
	assert_int_equal(derived_abs32s(0x7fffffffu - 0xfef - 0x1010 + 1), FGK_E_OVERFLOW);
	/* INT32_MAX found at 0x3000, outside the region: it never moves, so it fits */
	fx->derive = 1;
	fx->link_base = 0x7fffffffu - 0x3000;
	fx_region(fx, 0x1000, 0x2000);
	fx_unit(fx, 0x1000, 0x10, 16);
	fx_xref(fx, 0x1004, FGK_XREF_ABS32S, FGK_UNIT_NONE, 0x7fffffffu);
	assert_int_equal(open_world(fx, &map), FGK_OK);
	fx_free(fx);
}

/* The header's count and the stream must agree. */
static void count_mismatch(void **state)
{
	for (int more = -1; more <= 1; more += 2) {
		struct world w;
		struct fx *fx = world_new(&w);
		size_t size;
		struct fgk_map_header *buf = fx_map(fx, &size);

		(void)state;
		buf->nr_xrefs += more;	/* header fields are not in the checksum */
		fx_expect_error_buf(fx, buf, size, FGK_E_XREF, more < 0 ? "bytes left" : "past the end");
		free(buf);
		fx_free(fx);
	}
}

/* No xrefs of a kind: bounds read [0, 0], and a huge region does not matter. */
static void empty_bounds(void **state)
{
	struct fx *fx = fx_new(0x100);
	struct fgk_map map;

	(void)state;
	fx_region(fx, 0x10, 0x80);
	fx_unit(fx, 0x10, 8, 8);
	assert_int_equal(open_world(fx, &map), FGK_OK);
	assert_int_equal(map.pc32_min, 0);
	assert_int_equal(map.pc32_max, 0);
	assert_int_equal(map.abs32s_min, 0);
	assert_int_equal(map.abs32s_max, 0);
	assert_int_equal(map.abs32_max, 0);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(bounds),
		cmocka_unit_test(empty_bounds),
		cmocka_unit_test(pc32_near_limit_big_region),
		cmocka_unit_test(derived_reach),
		cmocka_unit_test(count_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
