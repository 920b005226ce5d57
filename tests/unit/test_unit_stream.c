/* test_unit_stream.c: the unit stream's words (fgk_map.h's example), the memory fgk_map_open asks for, and malformed streams. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

struct stream_map {
	struct fgk_map_header hdr;
	struct fgk_map map;
};

static void stream_of(struct stream_map *s, uint32_t n, uint32_t count)
{
	memset(s, 0, sizeof(*s));
	s->hdr.magic = FGK_MAP_MAGIC;
	s->hdr.version = FGK_MAP_VERSION;
	s->hdr.unit_bytes = n;
	s->hdr.nr_units = count;
	s->map.hdr = &s->hdr;
}

/* [0x1000, +0x4c) align 16, [0x1050, +0x1e) align 16, as fgk_map.h shows them */
static const uint8_t example[] = { 0x84, 0x80, 0x08, 0x4c, 0x84, 0x01, 0x1e };

static void documented_example(void **state)
{
	static const struct fgk_unit want[] = { { 0x1000, 0x4c, 16 }, { 0x1050, 0x1e, 16 } };
	struct stream_map s;
	struct fgk_unit out[2];
	size_t bytes;
	uint8_t *enc = fgk_units_encode(want, 2, &bytes);

	(void)state;
	stream_of(&s, sizeof(example), 2);
	assert_int_equal(fgk_decode_units(&s.map, example, out), FGK_OK);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(bytes, sizeof(example));	/* and the host writes just these */
	assert_memory_equal(enc, example, bytes);
	assert_int_equal(fgk_map_units_bytes(&s.hdr, sizeof(s.hdr)), 24);
	assert_int_equal(fgk_map_units_bytes(&s.hdr, sizeof(s.hdr) - 1), 0);
	assert_int_equal(fgk_map_units_bytes(NULL, 0), 0);
	s.hdr.version = 2;
	assert_int_equal(fgk_map_units_bytes(&s.hdr, sizeof(s.hdr)), 0);
	free(enc);
}

static void malformed(void **state)
{
	static const struct { const char *what; uint8_t bytes[8]; uint32_t n, count; } cases[] = {
		{ "size missing", { 0x84 }, 1, 1 },
		{ "word cut short", { 0x84, 0x80 }, 2, 1 },
		{ "word past 2^40", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00 }, 8, 1 },
		{ "offset past 4 GiB", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x04, 0x00 }, 7, 1 },
		{ "size past 4 GiB", { 0x00, 0x80, 0x80, 0x80, 0x80, 0x10 }, 6, 1 },
		{ "bytes left over", { 0x00, 0x01, 0x00 }, 3, 1 },
	};
	struct stream_map s;
	struct fgk_unit out[2];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stream_of(&s, cases[i].n, cases[i].count);
		if (fgk_decode_units(&s.map, cases[i].bytes, out) != FGK_E_UNIT)
			fail_msg("accepted: %s", cases[i].what);
	}
	/* A count that unit indexes cannot hold: refused before any write. */
	stream_of(&s, sizeof(example), FGK_UNIT_NONE);
	assert_int_equal(fgk_decode_units(&s.map, example, NULL), FGK_E_UNIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documented_example),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
