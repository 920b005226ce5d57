/* owner_cases.c: the owner-rule cases shared by test_table.c and test_symtab.c. */
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"
#include "owner_cases.h"

void owner_unowned_inside_region_refused(const struct owner_subject *s)
{
	const uint32_t entry[] = { s->inside_entry, s->edge_entry };
	char what[64];

	snprintf(what, sizeof(what), "an unowned %s inside a region", s->what);
	for (uint32_t k = 0; k < 2; k++) {
		struct fx *fx = s->make();

		s->marker_override(fx)->entry = entry[k];
		fx_expect_error(fx, s->err, what);
		fx_free(fx);
	}
}

void owner_fixture_survives_shuffles(const struct owner_subject *s, uint64_t seeds)
{
	for (uint64_t seed = 0; seed < seeds; seed++) {
		struct fx *fx = s->make();
		uint8_t *before = fx_copy_image(fx);
		struct fx_run run;

		assert_int_equal(fx_shuffle(fx, seed, 0, 0, &run), FGK_OK);
		s->expect(fx, before, &run);
		free(before);
		fx_free(fx);
	}
}
