/* test_xref_stream.c: the xref codes and words (fgk_map.h's example), every malformed one, and each code's pointee. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* A map whose `count` xrefs are `bytes` (codes, then words), `n` bytes in all. */
struct stream_map {
	struct fgk_map_header hdr;
	struct fgk_map map;
};

static void stream_of(struct stream_map *s, const uint8_t *bytes, uint32_t n, uint32_t count)
{
	memset(s, 0, sizeof(*s));
	s->hdr.nr_xrefs = count;
	s->hdr.xref_bytes = n - (count + 1) / 2;
	s->hdr.link_base = FX_LINK_BASE;
	s->map.hdr = &s->hdr;
	s->map.xrefs = bytes;
}

/* The example of fgk_map.h: a call at 0x1005, then a stored pointer to unit 41. */
static void documented_example(void **state)
{
	static const uint8_t bytes[] = { 0x70, 0x85, 0x20, 0x0b, 0xd3, 0x02 };
	struct stream_map s;
	struct fgk_xref_cursor c;
	struct fgk_ref r;

	(void)state;
	stream_of(&s, bytes, sizeof(bytes), 2);
	fgk_xref_cursor_init(&c, &s.map);
	assert_true(fgk_xref_next(&c, &r));
	assert_int_equal(r.site, 0x1005);
	assert_int_equal(r.code, FGK_CODE_PC32_INSN);
	assert_int_equal(r.kind, FGK_XREF_PC32);
	assert_int_equal(r.target, FGK_UNIT_NONE);
	assert_true(fgk_xref_next(&c, &r));
	assert_int_equal(r.site, 0x1010);
	assert_int_equal(r.code, FGK_CODE_STORED);
	assert_int_equal(r.kind, FGK_XREF_ABS64);
	assert_int_equal(r.target, 41);
	assert_ptr_equal(c.at, c.end);
	assert_false(fgk_xref_next(&c, &r));	/* nothing left */
}

static void codes_and_kinds(void **state)
{
	/* 1 PC32_SELF, 2 ABS64, 3 ABS32S, stored ABS32 to none, stored PC64 to u0 */
	static const uint8_t bytes[] = { 0x21, 0x73, 0x07, 0x01, 0x01, 0x01, 0x01, 0x04, 0x01,
					 0x0a };
	static const uint32_t want[][4] = {	/* site, code, kind, target */
		{ 1, FGK_CODE_PC32_SELF, FGK_XREF_PC32, FGK_UNIT_NONE },
		{ 2, FGK_CODE_ABS64, FGK_XREF_ABS64, FGK_UNIT_NONE },
		{ 3, FGK_CODE_ABS32S, FGK_XREF_ABS32S, FGK_UNIT_NONE },
		{ 4, FGK_CODE_STORED, FGK_XREF_ABS32, FGK_UNIT_NONE },
		{ 5, FGK_CODE_STORED, FGK_XREF_PC64, 0 },
	};
	struct stream_map s;
	struct fgk_xref_cursor c;
	struct fgk_ref r;

	(void)state;
	stream_of(&s, bytes, sizeof(bytes), 5);
	fgk_xref_cursor_init(&c, &s.map);
	for (int i = 0; i < 5; i++) {
		assert_true(fgk_xref_next(&c, &r));
		assert_int_equal(r.site, want[i][0]);
		assert_int_equal(r.code, want[i][1]);
		assert_int_equal(r.kind, want[i][2]);
		assert_int_equal(r.target, want[i][3]);
	}
}

/* Each is refused at its only reference (its code byte first). */
static void malformed(void **state)
{
	static const struct { const char *what; uint8_t bytes[12]; uint32_t n, count; } cases[] = {
		{ "no words", { 0x00 }, 1, 1 },
		{ "word cut short", { 0x00, 0x80 }, 2, 1 },
		{ "word of 11 bytes", { 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					0x80, 0x00 }, 12, 1 },
		{ "code 4", { 0x04, 0x00 }, 2, 1 },
		{ "code 6", { 0x06, 0x00 }, 2, 1 },
		{ "code 8", { 0x08, 0x00 }, 2, 1 },
		{ "site past 4 GiB", { 0x00, 0x80, 0x80, 0x80, 0x80, 0x10 }, 6, 1 },
		{ "stored, second word missing", { 0x07, 0x00 }, 2, 1 },
		{ "stored kind 0", { 0x07, 0x00, 0x08 }, 3, 1 },
		{ "stored kind 6", { 0x07, 0x00, 0x0e }, 3, 1 },
		{ "stored target past FGK_UNIT_NONE", { 0x07, 0x00, 0x83, 0x80, 0x80, 0x80, 0x08 },
		  7, 1 },
		{ "past the count", { 0x00, 0x00 }, 2, 0 },
	};
	struct stream_map s;
	struct fgk_xref_cursor c;
	struct fgk_ref r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stream_of(&s, cases[i].bytes, cases[i].n, cases[i].count);
		if (!cases[i].count)
			s.hdr.xref_bytes = 2;
		fgk_xref_cursor_init(&c, &s.map);
		if (fgk_xref_next(&c, &r))
			fail_msg("accepted: %s", cases[i].what);
	}
}

/* The largest encodable site, 2^32 - 1, in a 10-byte word with high zero groups. */
static void largest_site(void **state)
{
	static const uint8_t bytes[] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0x8f, 0x80, 0x80, 0x80,
					 0x80, 0x00 };
	struct stream_map s;
	struct fgk_xref_cursor c;
	struct fgk_ref r;

	(void)state;
	stream_of(&s, bytes, sizeof(bytes), 1);
	fgk_xref_cursor_init(&c, &s.map);
	assert_true(fgk_xref_next(&c, &r));
	assert_int_equal(r.site, 0xffffffffu);
	assert_int_equal(r.code, FGK_CODE_PC32_INSN);
}

static void pointees(void **state)
{
	struct stream_map s;
	uint8_t f[8];

	(void)state;
	stream_of(&s, NULL, 0, 0);
	memcpy(f, &(int32_t){ -0x20 }, 4);
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_PC32_INSN, 0x100, f), 0x100 + 4 - 0x20);
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_PC32_SELF, 0x100, f), 0x100 - 0x20);
	memcpy(f, &(uint64_t){ FX_LINK_BASE + 0x1234 }, 8);
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_ABS64, 0, f), 0x1234);
	memcpy(f, &(uint64_t){ 0x10 }, 8);
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_ABS64, 0, f), -1);
	memcpy(f, &(uint64_t){ UINT64_MAX }, 8);
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_ABS64, 0, f), 0x7effffff);
	s.hdr.link_base = 0;	/* far past any image: clamped */
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_ABS64, 0, f), FGK_OFF_FAR);
	s.hdr.link_base = FX_LINK_BASE;
	memcpy(f, &(uint32_t){ 0x81001234u }, 4);	/* sign-extends to the link base */
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_ABS32S, 0, f), 0x1234);
	memcpy(f, &(uint32_t){ 0x1234 }, 4);
	assert_int_equal(fgk_xref_pointee(&s.map, FGK_CODE_ABS32S, 0, f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documented_example),
		cmocka_unit_test(codes_and_kinds),
		cmocka_unit_test(malformed),
		cmocka_unit_test(largest_site),
		cmocka_unit_test(pointees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
