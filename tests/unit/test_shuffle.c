/* test_shuffle.c: fgk_shuffle orchestration: args, scratch, phases, stats, unit deltas, NO_SHUFFLE, determinism. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static void world_shuffles(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fx_run run;

	(void)state;
	assert_int_equal(fx_shuffle(fx, 42, 0x200000, 0, &run), FGK_OK);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(world_shuffles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
