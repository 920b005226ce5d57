/* test_strerror.c: a distinct message for every fgk_error, and one for unknown codes. */
#include <string.h>

#include "fixture.h"

static void every_code_has_its_message(void **state)
{
	static const struct { int err; const char *text; } cases[] = {
		{ FGK_OK, "success" },
		{ FGK_E_ARG, "bad argument" },
		{ FGK_E_TRUNCATED, "map truncated" },
		{ FGK_E_MAGIC, "not an fgkaslr map (bad magic)" },
		{ FGK_E_VERSION, "unsupported map version or header" },
		{ FGK_E_CHECKSUM, "map checksum mismatch" },
		{ FGK_E_IMAGE, "image smaller than the map describes" },
		{ FGK_E_REGION, "invalid region" },
		{ FGK_E_UNIT, "invalid unit" },
		{ FGK_E_XREF, "invalid xref" },
		{ FGK_E_TABLE, "invalid table" },
		{ FGK_E_SYMTAB, "invalid symtab" },
		{ FGK_E_RELOC, "invalid relocation" },
		{ FGK_E_OVERFLOW, "a fixed field would overflow after the move" },
		{ FGK_E_NOSPACE, "a region's new layout does not fit" },
		{ FGK_E_NOMEM, "scratch memory too small" },
		{ FGK_E_IMAGE_ID, "map made for another image (build id differs)" },
		{ FGK_E_NORELOCS, "the map needs the image's relocation list" },
	};

	(void)state;
	assert_int_equal(sizeof(cases) / sizeof(cases[0]), FGK_NR_ERRORS);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(fgk_strerror(cases[i].err), cases[i].text);
}

static void unknown_codes(void **state)
{
	(void)state;
	assert_string_equal(fgk_strerror(-1), "unknown error");
	assert_string_equal(fgk_strerror(FGK_NR_ERRORS), "unknown error");
	assert_string_equal(fgk_strerror(1000), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_its_message),
		cmocka_unit_test(unknown_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
