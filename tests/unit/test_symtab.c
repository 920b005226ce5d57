/* test_symtab.c: symtab rebuilt in the new order: offsets, names (1- and 2-byte lengths), markers, seqs. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "owner_cases.h"

#define N FGK_UNIT_NONE
#define SYMS 0x400

/* u0 [0x100,0x140), u1 [0x140,0x180) swapped; s4 sits one past u1's end (override). */
static const struct fx_sym edge_syms[] = {
	{ N, 0x010, 3 }, { 0, 0x100, 130 }, { 0, 0x120, 4 }, { 1, 0x140, 5 }, { 1, 0x180, 6 },
	{ N, 0x300, 2 },
};

static struct fx *edge_fx(uint32_t kind, int seqs)
{
	struct fx *fx = fx_new(0x800);

	fx_region(fx, 0x100, 0x200);
	fx_unit(fx, 0x100, 0x40, 16);
	fx_unit(fx, 0x140, 0x40, 16);
	fx_symtab(fx, SYMS, edge_syms, 6, kind, seqs);
	fx->symtab.first_override = fx_override(fx, 4, 1);
	fx->symtab.nr_overrides = 1;
	return fx;
}

static void rebuild_swapped(struct fx *fx, uint32_t nr_syms)
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
	assert_int_equal(fgk_rebuild_symtab(&p.plan, fx->image), nr_syms);
	fx_plan_free(&p);
	free(buf);
}

static uint64_t addr_of(const struct fx *fx, uint32_t j)
{
	uint32_t v = get32(fx->image, fx->symtab.offsets + 4 * j);

	if (fx->symtab.offsets_kind == FGK_SYMOFF_RELATIVE)
		return fx->symtab.relative_base + v;
	return fx->symtab.relative_base - 1 - (int64_t)(int32_t)v;
}

static void swap_by_hand(uint32_t kind)
{
	static const uint32_t from[] = { 0, 3, 4, 1, 2, 5 };	/* new j <- old symbol */
	static const uint32_t addr[] = { 0x010, 0x100, 0x140, 0x140, 0x160, 0x300 };
	struct fx *fx = edge_fx(kind, 1);
	const struct fgk_symtab *st = &fx->symtab;
	uint32_t p = 0, new_index[6];

	rebuild_swapped(fx, 6);
	for (uint32_t j = 0; j < 6; j++) {
		uint32_t len = edge_syms[from[j]].name_len, prefix = len < 0x80 ? 1 : 2;

		new_index[from[j]] = j;
		assert_int_equal(addr_of(fx, j), FX_LINK_BASE + addr[j]);
		for (uint32_t i = 0; i < len; i++)
			assert_int_equal(fx->image[st->names + p + prefix + i], fx_name_byte(from[j], i));
		p += prefix + len;
	}
	assert_int_equal(p, st->names_size);
	assert_int_equal(get32(fx->image, st->markers), 0);
	for (uint32_t k = 0; k < 6; k++)	/* seqs were the reverse of address order */
		assert_int_equal(fx->image[st->seqs + 3 * k + 2], new_index[5 - k]);
	fx_free(fx);
}

/*
 * Equal names: seqs positions 1-3 hold symbols 4, 3, 2 (the fixture's
 * seqs are the reverse of address order). After the swap those are at
 * new indexes 2, 1, 4: the tie pass writes them out as 1, 2, 4, as
 * scripts/kallsyms orders equal names (by address).
 */
static void ties_by_new_address(void **state)
{
	static const uint32_t want[] = { 5, 1, 2, 4, 3, 0 };
	struct fx *fx = edge_fx(FGK_SYMOFF_RELATIVE, 1);

	(void)state;
	fx_sym_tie(fx, 1, 3);
	rebuild_swapped(fx, 6);
	for (uint32_t k = 0; k < 6; k++)
		assert_int_equal(fx->image[fx->symtab.seqs + 3 * k + 2], want[k]);
	fx_free(fx);
}

/*
 * Markers: region [0x100, 0x180) is exactly u0 and u1. kallsyms sorts a
 * linker-script marker after a function at its address, so _stext-like s2
 * sits among u0's symbols; s6 (the region's end) comes before s7, a label
 * one past u1's end (override).
 */
static const struct fx_sym marker_syms[] = {
	{ N, 0x010, 3 }, { 0, 0x100, 4 }, { N, 0x100, 6 }, { 0, 0x100, 5 }, { 0, 0x120, 7 },
	{ 1, 0x140, 8 }, { N, 0x180, 9 }, { 1, 0x180, 2 }, { N, 0x300, 3 },
};

static struct fx *marker_fx(void)
{
	struct fx *fx = fx_new(0x800);

	fx_region(fx, 0x100, 0x180);
	fx_unit(fx, 0x100, 0x40, 16);
	fx_unit(fx, 0x140, 0x40, 16);
	fx_symtab(fx, SYMS, marker_syms, 9, FGK_SYMOFF_RELATIVE, 1);
	fx->symtab.first_override = fx_override(fx, 2, N);
	fx_override(fx, 7, 1);
	fx->symtab.nr_overrides = 2;
	return fx;
}

static struct fgk_override *marker_override(struct fx *fx)
{
	return &fx->overrides[fx->symtab.first_override];
}

/* 0x120 is entry 4 inside u0, 0x140 the next where u0 and u1 meet. */
static const struct owner_subject symtab_owners = {
	"symbol", FGK_E_SYMTAB, marker_fx, marker_override, 4, 5, expect_symtab
};

/* The start marker goes before the region's symbols, the end marker after them. */
static void markers_stay_at_region_edges(void **state)
{
	static const uint32_t from[] = { 0, 2, 5, 7, 1, 3, 4, 6, 8 };
	static const uint32_t addr[] = { 0x010, 0x100, 0x100, 0x140, 0x140, 0x140, 0x160, 0x180, 0x300 };
	struct fx *fx = marker_fx();

	(void)state;
	rebuild_swapped(fx, 9);
	for (uint32_t j = 0, p = 0; j < 9; j++) {
		assert_int_equal(addr_of(fx, j), FX_LINK_BASE + addr[j]);
		assert_int_equal(fx->image[fx->symtab.names + p + 1], fx_name_byte(from[j], 0));
		p += 1 + marker_syms[from[j]].name_len;
	}
	fx_free(fx);
	owner_fixture_survives_shuffles(&symtab_owners, 16);
}

/* An unowned symbol anywhere else in the region is refused before any write. */
static void unowned_inside_region_refused(void **state)
{
	(void)state;
	owner_unowned_inside_region_refused(&symtab_owners);
}

static void relative_by_hand(void **state)
{
	(void)state;
	swap_by_hand(FGK_SYMOFF_RELATIVE);
}

static void abs_percpu_by_hand(void **state)
{
	(void)state;
	swap_by_hand(FGK_SYMOFF_ABS_PERCPU);
}

/* Every other seed without seqs, so without ties. */
static void drop_seqs_on_odd(struct fx *fx, uint64_t seed)
{
	if (seed & 1) {
		fx->symtab.flags = 0;
		fx->nr_sym_ties = 0;
	}
}

static void expect_world_symtab(const struct fx *fx, const struct world *w,
				const uint8_t *before, const struct fx_run *run, int64_t delta)
{
	(void)w;
	(void)delta;
	expect_symtab(fx, before, run);
}

static void world_symtab_survives_shuffles(void **state)
{
	static const struct world_shuffles ws = { .seeds = 40, .prepare = drop_seqs_on_odd,
						  .expect = expect_world_symtab };

	(void)state;
	world_shuffles(&ws);
}

/* An empty symtab (no seqs) may name any offsets: none is touched. */
static void empty_symtab_untouched(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fx_run run;

	(void)state;
	fx->symtab = (struct fgk_symtab){ .offsets = 0xfffffff0u, .names = 0xfffffff8u,
		.markers = 0xffffff00u, .seqs = 0xfffff000u, .offsets_kind = FGK_SYMOFF_RELATIVE };
	fx->nr_sym_ties = 0;
	assert_int_equal(fx_shuffle(fx, 3, 0, 0, &run), FGK_OK);
	assert_int_equal(run.stats.syms, 0);
	fx_free(fx);
}

/*
 * 40 units, 20 symbols each (800 > 3 * 256: four markers), names of 1 to
 * 299 bytes, per-CPU absolute symbols first when ABS_PERCPU.
 */
static struct fx *big_fx(uint32_t kind)
{
	static struct fx_sym syms[900];
	struct fx *fx = fx_new(0x40000);
	uint32_t n = 0;

	if (kind == FGK_SYMOFF_ABS_PERCPU)
		for (uint32_t i = 0; i < 30; i++)
			syms[n++] = (struct fx_sym){ FX_SYM_PERCPU, 0x40 * i, 3 + i % 7 };
	fx_region(fx, 0x1000, 0x4000);
	for (uint32_t u = 0; u < 40; u++) {
		fx_unit(fx, 0x1000 + 0x100 * u, 0x40 + 8 * (u % 8), u % 3 ? 16 : 64);
		for (uint32_t k = 0; k < 20; k++)
			syms[n++] = (struct fx_sym){ u, 0x1000 + 0x100 * u + 2 * k, 2 + (u * 20 + k) * 37 % 298 };
	}
	syms[n++] = (struct fx_sym){ N, 0x8000, 9 };
	fx_symtab(fx, 0x10000, syms, n, kind, 1);
	for (uint32_t k = 0; k < 16; k++)	/* ties of 2 to 17 names, spread out */
		fx_sym_tie(fx, 50 * k, 2 + k);
	return fx;
}

static void many_symbols(void **state)
{
	static const uint32_t kinds[] = { FGK_SYMOFF_RELATIVE, FGK_SYMOFF_ABS_PERCPU };

	(void)state;
	for (size_t k = 0; k < 2; k++)
		for (uint64_t seed = 0; seed < 8; seed++) {
			struct fx *fx = big_fx(kinds[k]);
			uint8_t *before = fx_copy_image(fx);
			struct fx_run run;

			assert_true(fx->symtab.nr_syms > 3 * 256);
			assert_int_equal(fx_shuffle(fx, seed, 0, 0, &run), FGK_OK);
			assert_true(run.stats.units_moved > 30);
			expect_symtab(fx, before, &run);
			expect_units(fx, before, &run);
			free(before);
			fx_free(fx);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(relative_by_hand),
		cmocka_unit_test(abs_percpu_by_hand),
		cmocka_unit_test(ties_by_new_address),
		cmocka_unit_test(markers_stay_at_region_edges),
		cmocka_unit_test(unowned_inside_region_refused),
		cmocka_unit_test(world_symtab_survives_shuffles),
		cmocka_unit_test(empty_symtab_untouched),
		cmocka_unit_test(many_symbols),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
