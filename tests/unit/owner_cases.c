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

/* One broken world: refused with r->err, the image untouched. */
static void refused(const struct owner_rules *r, int kind, const char *what)
{
	struct world w;
	struct fx *fx = world_new(&w);

	switch (kind) {
	case 0:
		r->move(fx, r->moved_entry, 0x170);
		break;
	case 1:
		r->override(fx, r->owned_entry, r->wrong_unit);
		break;
	case 2:
		r->override(fx, r->inside_entry, FGK_UNIT_NONE);
		break;
	default:
		r->override(fx, r->edge_entry, FGK_UNIT_NONE);
		break;
	}
	fx_expect_error(fx, r->err, what);
	fx_free(fx);
}

void owner_rules_refused(const struct owner_rules *r)
{
	static const char *const cases[] = {
		"unowned %s in region padding",
		"override's unit does not hold the %s",
		"override to NONE inside a region (%s)",
		"override to NONE where two units meet (%s)",
	};

	for (int k = 0; k < 4; k++) {
		char what[96];

		snprintf(what, sizeof(what), cases[k], r->what);
		refused(r, k, what);
	}
}
