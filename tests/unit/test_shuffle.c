/* test_shuffle.c: fgk_shuffle orchestration: args, scratch, phase and table callbacks, stats, unit deltas, NO_SHUFFLE, determinism. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define BASE_DELTA 0x1400000LL

/* A full shuffle of the world is correct for several seeds and base deltas. */
static void world_is_shuffled_correctly(void **state)
{
	static const struct { uint64_t seed; int64_t base_delta; } cases[] = {
		{ 1, 0 }, { 2, BASE_DELTA }, { 3, -BASE_DELTA }, { 0xdeadbeef, 0x200000 },
		{ 12345, 0 }, { 99, 0x7fe00000 },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct world w;
		struct fx *fx = world_new(&w);
		uint8_t *before = fx_copy_image(fx);
		struct fx_run run;

		assert_int_equal(fx_shuffle(fx, cases[c].seed, cases[c].base_delta, 0, &run), FGK_OK);
		expect_all(fx, before, &run, cases[c].base_delta);
		free(before);
		fx_free(fx);
	}
}

static void same_seed_same_bytes(void **state)
{
	struct world w;
	struct fx *a = world_new(&w), *b = world_new(&w);

	(void)state;
	assert_int_equal(fx_shuffle(a, 7, BASE_DELTA, 0, NULL), FGK_OK);
	assert_int_equal(fx_shuffle(b, 7, BASE_DELTA, 0, NULL), FGK_OK);
	assert_memory_equal(a->image, b->image, a->image_size);
	fx_free(a);
	fx_free(b);
}

/* Different seeds give different layouts (8 units: 5! * 3! orders). */
static void different_seeds_different_orders(void **state)
{
	struct world w;
	int32_t first[FX_MAX];
	int differing = 0;

	(void)state;
	for (uint64_t seed = 0; seed < 20; seed++) {
		struct fx *fx = world_new(&w);
		struct fx_run run;

		assert_int_equal(fx_shuffle(fx, seed, 0, 0, &run), FGK_OK);
		if (seed == 0)
			memcpy(first, run.delta, sizeof(first));
		else
			differing += memcmp(first, run.delta, fx->nr_units * 4) != 0;
		fx_free(fx);
	}
	assert_true(differing >= 17);
}

static int in_reloc_field(const struct fx *fx, uint32_t off)
{
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < fx->nr_relocs[k]; i++)
			if (off >= fx->relocs[k][i] &&
			    off < fx->relocs[k][i] + (k == FGK_RELOC_ABS64 ? 8u : 4u))
				return 1;
	return 0;
}

/* NO_SHUFFLE: regions untouched, only base relocations applied. */
static void no_shuffle_applies_relocs_only(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	uint8_t *before = fx_copy_image(fx);
	struct fx_run run;

	(void)state;
	assert_int_equal(fx_shuffle(fx, 5, BASE_DELTA, FGK_NO_SHUFFLE, &run), FGK_OK);
	for (uint32_t u = 0; u < fx->nr_units; u++)
		assert_int_equal(run.delta[u], 0);
	assert_int_equal(run.stats.units_moved, 0);
	assert_int_equal(run.stats.xrefs, 0);
	assert_int_equal(run.stats.relocs, 6 + fx->tables[w.mcount].nr_entries);
	expect_fixed_bytes(fx, before);
	expect_fields(fx, before, &run, BASE_DELTA);
	for (uint32_t t = 0; t < fx->nr_tables; t++)
		expect_table(fx, before, &run, t, BASE_DELTA);
	expect_symtab(fx, before, &run);
	/* Regions keep every byte, padding included, but their reloc fields. */
	for (uint32_t r = 0; r < fx->nr_regions; r++)
		for (uint32_t i = fx->regions[r].start; i < fx->regions[r].end; i++)
			if (!in_reloc_field(fx, i))
				assert_int_equal(fx->image[i], before[i]);
	/* Without a base delta nothing changes at all. */
	memcpy(before, fx->image, fx->image_size);
	assert_int_equal(fx_shuffle(fx, 5, 0, FGK_NO_SHUFFLE, &run), FGK_OK);
	assert_memory_equal(fx->image, before, fx->image_size);
	free(before);
	fx_free(fx);
}

/* NO_SHUFFLE needs no scratch at all. */
static void no_shuffle_needs_no_scratch(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_shuffle_args args = { .flags = FGK_NO_SHUFFLE, .base_delta = 0x1000 };

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_OK);
	free(buf);
	fx_free(fx);
}

struct phase_log {
	int n;
	enum fgk_phase seen[16];
};

static void log_phase(void *ctx, enum fgk_phase phase)
{
	struct phase_log *log = ctx;

	log->seen[log->n++] = phase;
}

static void phases_stats_and_deltas(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	size_t size;
	void *buf = fx_map(fx, &size);
	struct phase_log log = { 0 };
	struct fgk_stats stats;
	int32_t delta[FX_MAX];

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	void *scratch = malloc(fgk_scratch_size(&map));
	struct fgk_shuffle_args args = {
		.seed = 11, .base_delta = 0x1000, .scratch = scratch,
		.scratch_size = fgk_scratch_size(&map), .phase = log_phase,
		.phase_ctx = &log, .stats = &stats, .unit_delta = delta,
	};
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_OK);
	assert_int_equal(log.n, FGK_NR_PHASES);
	for (int i = 0; i < FGK_NR_PHASES; i++)
		assert_int_equal(log.seen[i], i);
	uint32_t moved = 0;
	uint64_t bytes = 0;
	for (uint32_t u = 0; u < fx->nr_units; u++)
		if (delta[u]) {
			moved++;
			bytes += fx->units[u].size;
		}
	assert_int_equal(stats.units, fx->nr_units);
	assert_int_equal(stats.units_moved, moved);
	assert_int_equal(stats.bytes_moved, bytes);
	assert_true(moved > 0);
	assert_int_equal(stats.xrefs, fx->nr_xrefs);
	assert_int_equal(stats.table_entries, fx->tables[0].nr_entries +
			 fx->tables[1].nr_entries + fx->tables[2].nr_entries);
	assert_int_equal(stats.syms, w.nr_syms);
	assert_int_equal(stats.relocs, 6 + fx->tables[w.mcount].nr_entries);
	free(scratch);
	free(buf);
	fx_free(fx);
}

/* Phase and table callbacks in one sequence: tables as 0.., phases as PHASE_EV + phase. */
#define PHASE_EV 100

struct event_log {
	int n;
	int seen[32];
};

static void log_event_phase(void *ctx, enum fgk_phase phase)
{
	struct event_log *log = ctx;

	log->seen[log->n++] = PHASE_EV + phase;
}

static void log_event_table(void *ctx, uint32_t index)
{
	struct event_log *log = ctx;

	log->seen[log->n++] = (int)index;
}

static void run_logged(struct fx *fx, uint32_t flags, struct event_log *log)
{
	struct fgk_map map;
	size_t size;
	void *buf = fx_map(fx, &size);

	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	void *scratch = malloc(fgk_scratch_size(&map));
	struct fgk_shuffle_args args = {
		.seed = 3, .base_delta = 0x1000, .scratch = scratch,
		.scratch_size = fgk_scratch_size(&map), .flags = flags,
		.phase = log_event_phase, .table = log_event_table, .phase_ctx = log,
	};
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_OK);
	free(scratch);
	free(buf);
}

/*
 * The table callback sees every table index in order inside TABLES, then
 * nr_tables once; an empty table is announced too. With FGK_NO_SHUFFLE
 * no table is re-sorted and the callback is never called.
 */
static void table_callback_sees_each_table(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct event_log log = { 0 };
	int want[32], n = 0;

	(void)state;
	fx->tables[fx->nr_tables++] = (struct fgk_table){ .offset = 0, .nr_entries = 0,
							  .entry_size = 4, .key_kind = FGK_KEY_REL32 };
	for (int p = FGK_PHASE_PLAN; p <= FGK_PHASE_TABLES; p++)
		want[n++] = PHASE_EV + p;
	for (uint32_t t = 0; t <= fx->nr_tables; t++)
		want[n++] = (int)t;
	for (int p = FGK_PHASE_SYMTAB; p < FGK_NR_PHASES; p++)
		want[n++] = PHASE_EV + p;
	run_logged(fx, 0, &log);
	assert_int_equal(log.n, n);
	assert_memory_equal(log.seen, want, n * sizeof(int));
	fx_free(fx);

	fx = world_new(&w);
	log.n = 0;
	run_logged(fx, FGK_NO_SHUFFLE, &log);
	assert_int_equal(log.n, FGK_NR_PHASES);
	for (int i = 0; i < FGK_NR_PHASES; i++)
		assert_int_equal(log.seen[i], PHASE_EV + i);
	fx_free(fx);
}

/* Scratch one byte short: FGK_E_NOMEM; misaligned or missing: FGK_E_ARG. Image untouched. */
static void bad_scratch_and_args(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	uint8_t *before = fx_copy_image(fx);
	struct fgk_map map;
	size_t size;
	void *buf = fx_map(fx, &size);

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	uint64_t need = fgk_scratch_size(&map);
	uint8_t *scratch = malloc(need + 8);
	struct fgk_shuffle_args args = { .seed = 1, .scratch = scratch, .scratch_size = need - 1 };

	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_E_NOMEM);
	args.scratch_size = need;
	args.scratch = scratch + 4;
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_E_ARG);
	args.scratch = NULL;
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_E_ARG);
	args.scratch = scratch;
	args.flags = 0x80;
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_E_ARG);
	args.flags = 0;
	assert_int_equal(fgk_shuffle(NULL, fx->image, &args), FGK_E_ARG);
	assert_int_equal(fgk_shuffle(&map, NULL, &args), FGK_E_ARG);
	assert_int_equal(fgk_shuffle(&map, fx->image, NULL), FGK_E_ARG);
	assert_memory_equal(fx->image, before, fx->image_size);
	/* A map that failed to open is refused too. */
	struct fgk_map bad;
	assert_int_equal(fgk_map_open(&bad, buf, 8, fx->image, fx->image_size, FX_UNITS), FGK_E_TRUNCATED);
	assert_int_equal(fgk_shuffle(&bad, fx->image, &args), FGK_E_ARG);
	assert_int_equal(fgk_scratch_size(NULL), 0);
	assert_memory_equal(fx->image, before, fx->image_size);
	free(scratch);
	free(buf);
	free(before);
	fx_free(fx);
}

/* A region just big enough for its link order: some seeds do not fit. */
static void nospace_leaves_image_untouched(void **state)
{
	int nospace = 0, ok = 0;

	(void)state;
	for (uint64_t seed = 0; seed < 64; seed++) {
		struct fx *fx = fx_new(0x100);

		fx_region(fx, 0x08, 0x28);
		fx_unit(fx, 0x08, 8, 8);
		fx_unit(fx, 0x10, 16, 16);
		fx_unit(fx, 0x20, 8, 8);
		uint8_t *before = fx_copy_image(fx);
		int err = fx_shuffle(fx, seed, 0, 0, NULL);

		assert_true(err == FGK_OK || err == FGK_E_NOSPACE);
		if (err == FGK_E_NOSPACE) {
			nospace++;
			assert_memory_equal(fx->image, before, fx->image_size);
		} else {
			ok++;
		}
		free(before);
		fx_free(fx);
	}
	assert_true(nospace > 0 && ok > 0);
}

/* A map with no units, tables or symtab needs no scratch and shuffles. */
static void empty_map(void **state)
{
	struct fx *fx = fx_new(64);
	struct fx_run run;

	(void)state;
	fx_reloc(fx, FGK_RELOC_ABS64, 8);
	fx_put64(fx, 8, 100);
	assert_int_equal(fx_shuffle(fx, 1, 5, 0, &run), FGK_OK);
	assert_int_equal(run.scratch_size, 0);
	assert_int_equal(get64(fx->image, 8), 105);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(world_is_shuffled_correctly),
		cmocka_unit_test(same_seed_same_bytes),
		cmocka_unit_test(different_seeds_different_orders),
		cmocka_unit_test(no_shuffle_applies_relocs_only),
		cmocka_unit_test(no_shuffle_needs_no_scratch),
		cmocka_unit_test(phases_stats_and_deltas),
		cmocka_unit_test(table_callback_sees_each_table),
		cmocka_unit_test(bad_scratch_and_args),
		cmocka_unit_test(nospace_leaves_image_untouched),
		cmocka_unit_test(empty_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
