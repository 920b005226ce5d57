/* test_runs.c: entries re-emitted region block by block, runs in the units' new order. */
#include <stdlib.h>

#include "owners_fixture.h"

#define N FGK_UNIT_NONE

static void emits_runs_in_new_order(void **state)
{
	/* owners of entries 0..10; u1 owns nothing */
	static const uint32_t owner[] = { N, 0, 0, 2, 2, 2, N, 3, 4, 4, N };
	/* region 0 new order: u2 u1 u0; region 1: u4 u3 */
	static const uint32_t order[] = { 2, 1, 0, 4, 3 };
	static const uint32_t from[] = { 0, 3, 4, 5, 1, 2, 6, 8, 9, 7, 10 };
	uint32_t n = sizeof(owner) / sizeof(owner[0]);
	struct fx *fx = owners_fx();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan p;
	struct fgk_runs runs;
	struct fgk_runs_iter it;
	struct fgk_entry_move m;
	uint32_t to = 0;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&p, &map);
	for (uint32_t k = 0; k < 5; k++)
		p.order[k] = order[k];
	fgk_runs_init(&runs, &p.plan, p.work, n);
	for (uint32_t i = 0; i < n; i++)
		fgk_runs_add(&runs, i, owner[i]);
	for (fgk_runs_iter_init(&it, &runs); fgk_runs_next(&it, &m); to++) {
		assert_int_equal(m.to, to);
		assert_int_equal(m.from, from[to]);
		assert_int_equal(m.unit, owner[from[to]]);
	}
	assert_int_equal(to, n);
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

/* Runs memory is reused between tables: a second init starts empty. */
static void init_resets(void **state)
{
	struct fx *fx = owners_fx();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;
	struct fx_plan p;
	struct fgk_runs runs;
	struct fgk_runs_iter it;
	struct fgk_entry_move m;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	fx_plan_init(&p, &map);
	fgk_runs_init(&runs, &p.plan, p.work, 3);
	fgk_runs_add(&runs, 0, 1);
	fgk_runs_add(&runs, 1, 1);
	fgk_runs_add(&runs, 2, 4);
	assert_ptr_equal(fgk_runs_init(&runs, &p.plan, p.work, 2),
			 p.work + fgk_runs_bytes(&map));
	fgk_runs_add(&runs, 0, N);
	fgk_runs_add(&runs, 1, N);
	fgk_runs_iter_init(&it, &runs);
	for (uint32_t i = 0; i < 2; i++) {
		assert_true(fgk_runs_next(&it, &m));
		assert_int_equal(m.from, i);
		assert_int_equal(m.unit, N);
	}
	assert_false(fgk_runs_next(&it, &m));
	fx_plan_free(&p);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(emits_runs_in_new_order),
		cmocka_unit_test(init_resets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
