/* test_check_owner.c: override lists and the ownership rules that make runs re-emittable. */
#include <stdlib.h>

#include "owners_fixture.h"

#define END 0x7fffffff	/* ends a key list */

/* Key sequences (entry i has key keys[i]) with the entry index expected to fail, or -1. */
static const struct {
	const char *what;
	uint32_t first_ov, nr_ov;
	int64_t keys[12];
	int bad;
} cases[] = {
	{ "walk owners, unowned keys outside regions", 0, 0,
	  { 0x00, 0x10, 0x1f, 0x20, 0x40, 0x60, 0x80, 0x90, 0xa0, 0x100, END }, -1 },
	{ "unowned key in a region's padding", 0, 0, { 0x10, 0x30, END }, 1 },
	{ "unowned key in the padding at a region's end", 0, 0, { 0x50, END }, 0 },
	{ "override to the previous unit at its end (terminator)", 0, 1,
	  { 0x10, 0x18, 0x20, 0x20, END }, -1 },
	{ "override owner must hold the key (end inclusive)", 0, 1, { 0x10, 0x18, 0x21, END }, 2 },
	{ "NONE strictly inside a region", 1, 1, { 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, END }, 5 },
	{ "NONE where two units touch inside a region", 1, 1,
	  { 0x10, 0x10, 0x10, 0x10, 0x10, 0x20, 0x20, END }, 5 },
	{ "NONE at a region's start, among its first unit's entries", 1, 1,
	  { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x18, END }, -1 },
	{ "owners must not go back", 0, 1, { 0x20, 0x20, 0x20, END }, 2 },
	{ "NONE at a region's end, among its last unit's entries", 2, 1,
	  { 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0xa0, 0xa0, END }, -1 },
	{ "NONE at a region's end, between two of its units' entries", 2, 1,
	  { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xa0, 0xa0, END }, -1 },
};

static void rules(void **state)
{
	struct fx *fx = owners_fx();
	size_t size;
	void *buf = fx_map(fx, &size);
	struct fgk_map map;

	(void)state;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct fgk_owner_check oc;
		int bad = -1;
		uint32_t owner;

		fgk_owner_check_init(&oc, &map, cases[c].first_ov, cases[c].nr_ov);
		for (int i = 0; cases[c].keys[i] != END && bad < 0; i++)
			if (fgk_owner_check_next(&oc, i, cases[c].keys[i], &owner))
				bad = i;
		if (bad != cases[c].bad)
			fail_msg("%s: failed at entry %d, expected %d", cases[c].what, bad, cases[c].bad);
	}
	free(buf);
	fx_free(fx);
}

static void override_lists(void **state)
{
	struct fx *fx = owners_fx();
	size_t size;
	void *buf;
	struct fgk_map map;

	(void)state;
	fx_override(fx, 1, 3);		/* overrides[3]: entry 1 */
	fx_override(fx, 1, 3);		/* overrides[4]: not ascending */
	fx_override(fx, 4, 77);		/* overrides[5]: no such unit */
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_int_equal(fgk_check_overrides(&map, 0, 3, 10), 0);
	assert_int_equal(fgk_check_overrides(&map, 0, 3, 9), -1);	/* entry 9 >= 9 entries */
	assert_int_equal(fgk_check_overrides(&map, 3, 1, 2), 0);
	assert_int_equal(fgk_check_overrides(&map, 3, 2, 10), -1);
	assert_int_equal(fgk_check_overrides(&map, 5, 1, 10), -1);
	assert_int_equal(fgk_check_overrides(&map, 6, 0, 10), 0);
	assert_int_equal(fgk_check_overrides(&map, 6, 1, 10), -1);	/* past the array */
	assert_int_equal(fgk_check_overrides(&map, 0xffffffffu, 2, 10), -1);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(override_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
