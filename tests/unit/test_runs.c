/* test_runs.c: each run shifted to its place in its region's block, in the units' new order. */
#include <stdlib.h>

#include "owners_fixture.h"

#define N FGK_UNIT_NONE

static struct fgk_map *open_owners(struct fx **fx, void **buf, struct fgk_map *map)
{
	size_t size;

	*fx = owners_fx();
	*buf = fx_map(*fx, &size);
	assert_int_equal(fx_open(*fx, *buf, size, map), FGK_OK);
	return map;
}

/* Add n entries (owners, keys), place them with the new unit order, expect `to`. */
static void expect_runs(const uint32_t *owner, const int64_t *key, uint32_t n,
			const uint32_t *order, const uint32_t *to)
{
	uint32_t hit[16] = { 0 };
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fx_plan p;
	struct fgk_runs runs;

	assert_true(n <= 16);
	fx_plan_init(&p, open_owners(&fx, &buf, &map));
	for (uint32_t k = 0; k < 5; k++)
		p.order[k] = order[k];
	fgk_runs_init(&runs, &p.plan, p.work);
	for (uint32_t i = 0; i < n; i++)
		fgk_runs_add(&runs, i, owner[i], key[i]);
	fgk_runs_place(&runs);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(fgk_runs_to(&runs, i, owner[i], key[i]), to[i]);
		hit[to[i]]++;
	}
	for (uint32_t j = 0; j < n; j++)
		assert_int_equal(hit[j], 1);	/* a permutation */
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

/* region 0 new order: u2 u1 u0; region 1: u4 u3 */
static const uint32_t new_order[] = { 2, 1, 0, 4, 3 };

static void runs_move_as_blocks(void **state)
{
	/* owners and keys of entries 0..10; u1 owns nothing */
	static const uint32_t owner[] = { N, 0, 0, 2, 2, 2, N, 3, 4, 4, N };
	static const int64_t key[] = { 0, 0x10, 0x18, 0x40, 0x48, 0x50, 0x60, 0x80, 0x90, 0xa0, 0xb0 };
	/* new index of each old entry */
	static const uint32_t to[] = { 0, 4, 5, 1, 2, 3, 6, 9, 7, 8, 10 };

	(void)state;
	expect_runs(owner, key, sizeof(owner) / sizeof(owner[0]), new_order, to);
}

/*
 * The same entries given run by run (fgk_runs_add_run, fgk_runs_to_run,
 * as table.c does) land where entry-by-entry calls put them.
 */
static void runs_in_batches(void **state)
{
	static const uint32_t owner[] = { N, 0, 0, 2, 2, 2, N, 3, 4, 4, N };
	static const int64_t key[] = { 0, 0x10, 0x18, 0x40, 0x48, 0x50, 0x60, 0x80, 0x90, 0xa0, 0xb0 };
	static const uint32_t to[] = { 0, 4, 5, 1, 2, 3, 6, 9, 7, 8, 10 };
	uint32_t n = sizeof(owner) / sizeof(owner[0]), count;
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fx_plan p;
	struct fgk_runs runs;

	(void)state;
	fx_plan_init(&p, open_owners(&fx, &buf, &map));
	for (uint32_t k = 0; k < 5; k++)
		p.order[k] = new_order[k];
	fgk_runs_init(&runs, &p.plan, p.work);
	for (uint32_t i = 0; i < n; i += count) {
		for (count = 1; i + count < n && owner[i] != N && owner[i + count] == owner[i];)
			count++;
		if (owner[i] == N)
			fgk_runs_add(&runs, i, N, key[i]);
		else
			fgk_runs_add_run(&runs, i, count, owner[i]);
	}
	fgk_runs_place(&runs);
	for (uint32_t i = 0; i < n; i += count) {
		for (count = 1; i + count < n && owner[i] != N && owner[i + count] == owner[i];)
			count++;
		if (owner[i] == N) {
			assert_int_equal(fgk_runs_to(&runs, i, N, key[i]), to[i]);
			continue;
		}
		uint32_t first = fgk_runs_to_run(&runs, count, owner[i]);
		for (uint32_t k = 0; k < count; k++)
			assert_int_equal(first + k, to[i + k]);
	}
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

/*
 * Unowned entries inside a region's block, keyed at its start (lead) or
 * end (tail, here region 1's: u4 ends there), go before or after its runs;
 * unowned entries before or after a block keep their index.
 */
static void markers_at_region_edges(void **state)
{
	static const uint32_t owner[] = { N, 0, N, 0, 0, 2, 2, N, 3, N, 4, N, 4, N };
	static const int64_t key[] = { 0, 0x10, 0x10, 0x10, 0x18, 0x40, 0x48,
				       0x80, 0x80, 0x80, 0x90, 0xa0, 0xa0, 0xa0 };
	static const uint32_t to[] = { 0, 4, 1, 5, 6, 2, 3, 7, 11, 8, 9, 12, 10, 13 };

	(void)state;
	expect_runs(owner, key, sizeof(owner) / sizeof(owner[0]), new_order, to);
}

/*
 * A marker at region 0's start after the region's last owned entry (u0,
 * at that start too): it is below every moved key, so it goes before the
 * runs like any lead entry, not after them. Kept at its index, it left
 * the keys unsorted: [0x10, 0x10 + u0's move, 0x10].
 */
static void lead_after_last_owned(void **state)
{
	static const uint32_t owner[] = { N, 0, N, N };
	static const int64_t key[] = { 0x10, 0x10, 0x10, 0xb0 };
	static const uint32_t to[] = { 0, 2, 1, 3 };

	(void)state;
	expect_runs(owner, key, 4, new_order, to);
}

/* Runs memory is reused between tables: a second init starts empty. */
static void init_resets(void **state)
{
	struct fx *fx;
	void *buf;
	struct fgk_map map;
	struct fx_plan p;
	struct fgk_runs runs;

	(void)state;
	fx_plan_init(&p, open_owners(&fx, &buf, &map));
	p.order[0] = 1;
	p.order[1] = 0;
	fgk_runs_init(&runs, &p.plan, p.work);
	fgk_runs_add(&runs, 0, 0, 0x10);
	fgk_runs_add(&runs, 1, N, 0x10);
	fgk_runs_add(&runs, 2, 0, 0x18);
	fgk_runs_add(&runs, 3, 1, 0x20);
	assert_ptr_equal(fgk_runs_init(&runs, &p.plan, p.work), p.work + fgk_runs_bytes(&map));
	fgk_runs_add(&runs, 0, 0, 0x10);
	fgk_runs_add(&runs, 1, 1, 0x20);
	fgk_runs_add(&runs, 7, N, 0x70);
	fgk_runs_place(&runs);
	assert_int_equal(fgk_runs_to(&runs, 0, 0, 0x10), 1);
	assert_int_equal(fgk_runs_to(&runs, 1, 1, 0x20), 0);
	assert_int_equal(fgk_runs_to(&runs, 7, N, 0x70), 7);
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_move_as_blocks),
		cmocka_unit_test(runs_in_batches),
		cmocka_unit_test(markers_at_region_edges),
		cmocka_unit_test(lead_after_last_owned),
		cmocka_unit_test(init_resets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
