/* test_override_stream.c: the override stream's words (fgk_map.h's example), skipping to an index, and malformed streams. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

struct stream_map {
	struct fgk_map_header hdr;
	struct fgk_map map;
};

static void stream_of(struct stream_map *s, const uint8_t *bytes, uint32_t n, uint32_t count)
{
	memset(s, 0, sizeof(*s));
	s->hdr.override_bytes = n;
	s->hdr.nr_overrides = count;
	s->map.hdr = &s->hdr;
	s->map.overrides = bytes;
}

/* entries 5 -> u3, 9 -> u4, 2 -> none, as fgk_map.h shows them; then 3 -> u4 again */
static const uint8_t example[] = { 0x0a, 0x07, 0x08, 0x03, 0x0d, 0x00, 0x02, 0x01 };

static void documented_example(void **state)
{
	static const struct fgk_override want[] = {
		{ 5, 3 }, { 9, 4 }, { 2, FGK_UNIT_NONE }, { 3, 4 },
	};
	struct stream_map s;
	struct fgk_override_cursor c;
	struct fgk_override o;

	(void)state;
	stream_of(&s, example, sizeof(example), 4);
	assert_int_equal(fgk_check_override_stream(&s.map), 0);
	fgk_override_cursor_init(&c, &s.map);
	for (int i = 0; i < 4; i++) {
		assert_true(fgk_override_next(&c, &o));
		assert_int_equal(o.entry, want[i].entry);
		assert_int_equal(o.unit, want[i].unit);
	}
	assert_false(fgk_override_next(&c, &o));
	fgk_override_cursor_at(&c, &s.map, 2);
	assert_true(fgk_override_next(&c, &o));
	assert_int_equal(o.entry, 2);
	assert_int_equal(o.unit, FGK_UNIT_NONE);
}

/* The host encoder writes exactly these bytes, and reads them back. */
static void host_codec(void **state)
{
	static const struct fgk_override ov[] = {
		{ 5, 3 }, { 9, 4 }, { 2, FGK_UNIT_NONE }, { 3, 4 },
	};
	size_t bytes;
	uint8_t *buf = fgk_overrides_encode(ov, 4, &bytes);

	(void)state;
	assert_int_equal(bytes, sizeof(example));
	assert_memory_equal(buf, example, bytes);
	free(buf);
}

static void malformed(void **state)
{
	static const struct { const char *what; uint8_t bytes[8]; uint32_t n, count; } cases[] = {
		{ "second word missing", { 0x02 }, 1, 1 },
		{ "word cut short", { 0x82 }, 1, 1 },
		{ "word past 2^35", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00 }, 7, 1 },
		{ "entry below 0", { 0x01, 0x00 }, 2, 1 },
		{ "entry past 2^32", { 0x80, 0x80, 0x80, 0x80, 0x20, 0x00 }, 6, 1 },
		{ "unit below 0", { 0x00, 0x02 }, 2, 1 },
		{ "unit FGK_UNIT_NONE", { 0x00, 0xff, 0xff, 0xff, 0xff, 0x01 }, 6, 1 },
		{ "bytes left over", { 0x00, 0x00, 0x00 }, 3, 1 },
		{ "fewer than counted", { 0x00, 0x00 }, 2, 2 },
	};
	struct stream_map s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stream_of(&s, cases[i].bytes, cases[i].n, cases[i].count);
		if (!fgk_check_override_stream(&s.map))
			fail_msg("accepted: %s", cases[i].what);
	}
}

/* In a whole map: a stream that does not decode is refused, and the image stays untouched. */
static void refused_in_a_map(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	uint8_t *buf = fx_map(fx, &size);
	struct fgk_map_header *h = (struct fgk_map_header *)buf;
	uint8_t *ov = (uint8_t *)fgk_map_section(buf, FGK_MAP_OVERRIDES);

	(void)state;
	assert_true(h->override_bytes >= 2);
	memset(ov, 0x80, h->override_bytes);	/* one word that never ends */
	fgk_map_reseal(buf);
	fx_expect_error_buf(fx, buf, size, FGK_E_TABLE, "override stream that does not decode");
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documented_example),
		cmocka_unit_test(host_codec),
		cmocka_unit_test(malformed),
		cmocka_unit_test(refused_in_a_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
