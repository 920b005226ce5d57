/* test_reloc.c: base relocations applied at their moved sites, per kind; none when base_delta is 0. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/* region [0x100, 0x200): u0 [0x100,0x120) u1 [0x120,0x140); moves: u0 +0x40, u1 -0x20 */
static struct fx *moved(void)
{
	struct fx *fx = fx_new(0x400);

	fx_region(fx, 0x100, 0x200);
	fx_unit(fx, 0x100, 0x20, 16);
	fx_unit(fx, 0x120, 0x20, 16);
	fx_reloc(fx, FGK_RELOC_ABS64, 0x010);	/* fixed */
	fx_reloc(fx, FGK_RELOC_ABS64, 0x108);	/* in u0 */
	fx_reloc(fx, FGK_RELOC_ABS32, 0x128);	/* in u1 */
	fx_reloc(fx, FGK_RELOC_ABS32, 0x300);
	fx_reloc(fx, FGK_RELOC_INV32, 0x104);	/* in u0 */
	fx_reloc(fx, FGK_RELOC_INV32, 0x304);
	return fx;
}

static void apply(struct fx *fx, int64_t base_delta, uint32_t expect_count)
{
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan p;

	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&p, &map);
	p.delta[0] = 0x40;
	p.delta[1] = -0x20;
	/* As after the move: the fields sit at their new sites. */
	fx_put64(fx, 0x148, 0x1111);
	fx_put32(fx, 0x108, 0x2222);
	fx_put32(fx, 0x144, 0x3333);
	assert_int_equal(fgk_apply_relocs(&p.plan, fx->image, base_delta), expect_count);
	fx_plan_free(&p);
	free(buf);
}

static void kinds_at_moved_sites(void **state)
{
	static const int64_t deltas[] = { 0x200000, -0x1000000, 0x7fffffff00LL };

	(void)state;
	for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		int64_t d = deltas[i];
		struct fx *fx = moved();

		fx_put64(fx, 0x010, FX_LINK_BASE);
		fx_put32(fx, 0x300, 0x81000000);
		fx_put32(fx, 0x304, 0x5000);
		apply(fx, d, 6);
		assert_int_equal(get64(fx->image, 0x010), FX_LINK_BASE + d);
		assert_int_equal(get64(fx->image, 0x148), 0x1111 + d);		/* 0x108 + 0x40 */
		assert_int_equal(get32(fx->image, 0x108), (uint32_t)(0x2222 + d));	/* 0x128 - 0x20 */
		assert_int_equal(get32(fx->image, 0x300), (uint32_t)(0x81000000 + d));
		assert_int_equal(get32(fx->image, 0x144), (uint32_t)(0x3333 - d));	/* 0x104 + 0x40 */
		assert_int_equal(get32(fx->image, 0x304), (uint32_t)(0x5000 - d));
		fx_free(fx);
	}
}

static void zero_delta_writes_nothing(void **state)
{
	struct fx *fx = moved();
	uint8_t *before;

	(void)state;
	apply(fx, 0, 0);	/* puts its fields first, then applies nothing */
	before = fx_copy_image(fx);
	apply(fx, 0, 0);
	assert_memory_equal(fx->image, before, fx->image_size);
	free(before);
	fx_free(fx);
}

/*
 * A base delta a 32-bit field cannot take is refused before any write:
 * either reading (zero- or sign-extended) must still fit, with room for the
 * largest region (an xref at the same site may move the value first).
 */
static void delta_beyond_32_bits(void **state)
{
	static const struct { uint32_t kind, value; int64_t delta; int err; } cases[] = {
		{ FGK_RELOC_ABS32, 0x81000000, 0x200000000000LL, FGK_E_ARG },
		{ FGK_RELOC_ABS32, 0x81000000, 0x7e000000, FGK_OK },
		/* s32 reading -0x7f000000: up to INT32_MAX - 0x100 */
		{ FGK_RELOC_ABS32, 0x81000000, 0xfefffeffLL, FGK_OK },
		{ FGK_RELOC_ABS32, 0x81000000, 0xfeffff00LL, FGK_E_ARG },
		/* u32 reading 0x81000000: down to 0x100 */
		{ FGK_RELOC_ABS32, 0x81000000, -0x80ffff00LL, FGK_OK },
		{ FGK_RELOC_ABS32, 0x81000000, -0x80ffff01LL, FGK_E_ARG },
		{ FGK_RELOC_ABS32, 0x00400000, -0x400000 + 0x100, FGK_OK },	/* u32: 0x100 */
		{ FGK_RELOC_ABS32, 0x00400000, 0x100000000LL, FGK_E_ARG },
		{ FGK_RELOC_INV32, 0x00001000, 0x100000000LL, FGK_E_ARG },
		{ FGK_RELOC_INV32, 0x00001000, 0x7fffe000, FGK_OK },	/* s32: -0x7fffd000 */
		{ FGK_RELOC_ABS64, 0, 0x200000000000LL, FGK_OK },	/* 64-bit: any delta */
		/* the extremes: refused without overflowing on the way (UBSan) */
		{ FGK_RELOC_ABS32, 0x81000000, INT64_MIN, FGK_E_ARG },
		{ FGK_RELOC_INV32, 0x00001000, INT64_MIN, FGK_E_ARG },
		{ FGK_RELOC_ABS32, 0xffffffff, INT64_MAX, FGK_E_ARG },
		{ FGK_RELOC_ABS64, 0, INT64_MIN, FGK_OK },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct fx *fx = fx_new(0x400);
		uint8_t *before;

		fx_region(fx, 0x100, 0x200);	/* the largest region: 0x100 bytes */
		fx_unit(fx, 0x100, 0x20, 16);
		fx_reloc(fx, cases[c].kind, 0x300);
		fx_put32(fx, 0x300, cases[c].value);
		before = fx_copy_image(fx);
		assert_int_equal(fx_shuffle(fx, 1, cases[c].delta, 0, NULL), cases[c].err);
		if (cases[c].err)
			assert_memory_equal(fx->image, before, fx->image_size);
		memcpy(fx->image, before, fx->image_size);	/* the same without shuffling */
		assert_int_equal(fx_shuffle(fx, 1, cases[c].delta, FGK_NO_SHUFFLE, NULL), cases[c].err);
		free(before);
		fx_free(fx);
	}
}
/* Base moves of -1, 0 and +1 GiB in turn. */
static int64_t gib_delta(uint64_t seed)
{
	return (int64_t)(seed % 3) * 0x40000000 - 0x40000000;
}

static void expect_relocs(const struct fx *fx, const struct world *w, const uint8_t *before,
			  const struct fx_run *run, int64_t delta)
{
	expect_fields(fx, before, run, delta);
	expect_table(fx, before, run, w->mcount, delta);
}

/* Through fgk_shuffle: relocs in moved units and at ABS64 table keys. */
static void relocs_survive_shuffles(void **state)
{
	static const struct world_shuffles ws = { .seeds = 30, .delta = gib_delta,
						  .expect = expect_relocs };

	(void)state;
	world_shuffles(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds_at_moved_sites),
		cmocka_unit_test(zero_delta_writes_nothing),
		cmocka_unit_test(delta_beyond_32_bits),
		cmocka_unit_test(relocs_survive_shuffles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
