/* test_map.c: fgk_map_open's header checks (arguments, size, magic, version, counts, checksum, image) and array layout. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

typedef void (*mutate_fn)(struct fgk_map_header *h, size_t *size);

static void short_header(struct fgk_map_header *h, size_t *size) { (void)h; *size = sizeof(*h) - 1; }
static void short_payload(struct fgk_map_header *h, size_t *size) { (void)h; *size -= 1; }
static void bad_magic(struct fgk_map_header *h, size_t *size) { (void)size; h->magic ^= 1; }
static void version_1(struct fgk_map_header *h, size_t *size) { (void)size; h->version = 1; }
static void version_2(struct fgk_map_header *h, size_t *size) { (void)size; h->version = 2; }
static void version_4(struct fgk_map_header *h, size_t *size) { (void)size; h->version = 4; }
static void bad_header_size(struct fgk_map_header *h, size_t *size) { (void)size; h->header_size += 8; }
static void unknown_flag(struct fgk_map_header *h, size_t *size) { (void)size; h->flags |= 4; }
/* The world has base relocations of its own: a second list would be ambiguous. */
static void image_relocs_too(struct fgk_map_header *h, size_t *size) { (void)size; h->flags |= FGK_MAP_IMAGE_RELOCS; }
static void more_ties(struct fgk_map_header *h, size_t *size) { (void)size; h->nr_sym_ties += 1; }
static void more_xrefs(struct fgk_map_header *h, size_t *size) { (void)size; h->xref_bytes += 8; }
static void more_override_bytes(struct fgk_map_header *h, size_t *size) { (void)size; h->override_bytes += 8; }
static void fewer_units(struct fgk_map_header *h, size_t *size) { (void)size; h->nr_units -= 2; }
static void smaller_unit_stream(struct fgk_map_header *h, size_t *size) { (void)size; h->unit_bytes -= 8; }
static void reserved_set(struct fgk_map_header *h, size_t *size) { (void)size; h->reserved = 1; }
static void more_relocs(struct fgk_map_header *h, size_t *size) { (void)size; h->nr_relocs[FGK_RELOC_INV32] += 2; }
static void payload_grown(struct fgk_map_header *h, size_t *size) { (void)size; h->payload_size += 8; }
static void huge_count(struct fgk_map_header *h, size_t *size) { (void)size; h->nr_tables = UINT32_MAX; }
static void huge_unit_count(struct fgk_map_header *h, size_t *size) { (void)size; h->nr_units = UINT32_MAX; }
static void flipped_byte(struct fgk_map_header *h, size_t *size) { (void)size; ((uint8_t *)h)[sizeof(*h) + 5] ^= 0x40; }
static void bad_checksum(struct fgk_map_header *h, size_t *size) { (void)size; h->payload_xxh64++; }
static void image_grown(struct fgk_map_header *h, size_t *size) { (void)size; h->image_size += 1; }
static void image_past_4g(struct fgk_map_header *h, size_t *size) { (void)size; h->image_size = (1ULL << 32) + 8; }
/* The world's map names its image by the 20 bytes at 0x40 (see image_id_world). */
static void id_differs(struct fgk_map_header *h, size_t *size) { (void)size; h->image_id[19] ^= 1; }
static void id_too_long(struct fgk_map_header *h, size_t *size) { (void)size; h->image_id_size = FGK_IMAGE_ID_MAX + 1; }
static void id_past_image(struct fgk_map_header *h, size_t *size) { (void)size; h->image_id_offset = (uint32_t)h->image_size - 4; }
static void id_offset_wraps(struct fgk_map_header *h, size_t *size) { (void)size; h->image_id_offset = UINT32_MAX; }

static const struct {
	const char *what;
	mutate_fn mutate;
	int err;
} cases[] = {
	{ "shorter than a header", short_header, FGK_E_TRUNCATED },
	{ "shorter than the payload", short_payload, FGK_E_TRUNCATED },
	{ "magic", bad_magic, FGK_E_MAGIC },
	{ "version 1 (no image id)", version_1, FGK_E_VERSION },
	{ "version 2 (xrefs as an array)", version_2, FGK_E_VERSION },
	{ "version 4", version_4, FGK_E_VERSION },
	{ "header_size", bad_header_size, FGK_E_VERSION },
	{ "unknown flag", unknown_flag, FGK_E_VERSION },
	{ "image relocations and the map's own", image_relocs_too, FGK_E_RELOC },
	{ "tie count", more_ties, FGK_E_TRUNCATED },
	{ "counts larger than the payload", more_xrefs, FGK_E_TRUNCATED },
	{ "override stream larger than the payload", more_override_bytes, FGK_E_TRUNCATED },
	{ "counts smaller than the payload", smaller_unit_stream, FGK_E_TRUNCATED },
	{ "fewer units than the stream holds", fewer_units, FGK_E_UNIT },
	{ "reserved header field set", reserved_set, FGK_E_VERSION },
	{ "reloc counts", more_relocs, FGK_E_TRUNCATED },
	{ "payload_size", payload_grown, FGK_E_TRUNCATED },
	{ "count near 2^32", huge_count, FGK_E_TRUNCATED },
	{ "more units than the memory given", huge_unit_count, FGK_E_NOMEM },
	{ "payload byte", flipped_byte, FGK_E_CHECKSUM },
	{ "checksum", bad_checksum, FGK_E_CHECKSUM },
	{ "image larger than passed", image_grown, FGK_E_IMAGE },
	{ "image beyond 4 GiB", image_past_4g, FGK_E_IMAGE },
	{ "another image's build id", id_differs, FGK_E_IMAGE_ID },
	{ "an image id longer than the header holds", id_too_long, FGK_E_VERSION },
	{ "an image id past the image", id_past_image, FGK_E_VERSION },
	{ "an image id offset that wraps", id_offset_wraps, FGK_E_VERSION },
};

/* The world, named by 20 bytes of its fixed code (as a build id note would be). */
static struct fx *image_id_world(struct world *w)
{
	struct fx *fx = world_new(w);

	fx->image_id_offset = 0x40;
	fx->image_id_size = 20;
	memcpy(fx->image_id, fx->image + 0x40, 20);
	return fx;
}

static void header_errors(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct world w;
		struct fx *fx = image_id_world(&w);
		size_t size;
		void *buf = fx_map(fx, &size);

		cases[c].mutate(buf, &size);
		fx_expect_error_buf(fx, buf, size, cases[c].err, cases[c].what);
		free(buf);
		fx_free(fx);
	}
}

static void bad_arguments(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	void *buf = fx_map(fx, &size);
	uint8_t *shifted = malloc(size + 8);
	struct fgk_map map;

	(void)state;
	assert_int_equal(fgk_map_open(NULL, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_E_ARG);
	assert_int_equal(fgk_map_open(&map, NULL, size, fx->image, fx->image_size, FX_UNITS), FGK_E_ARG);
	assert_int_equal(fgk_map_open(&map, buf, size, NULL, fx->image_size, FX_UNITS), FGK_E_ARG);
	memcpy(shifted + 4, buf, size);		/* not 8-byte aligned */
	assert_int_equal(fgk_map_open(&map, shifted + 4, size, fx->image, fx->image_size, FX_UNITS), FGK_E_ARG);
	/* memory for the units: given if sized, 8-byte aligned, large enough */
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, NULL, 64), FGK_E_ARG);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size,
				      (uint8_t *)fx_units_mem() + 4, 64), FGK_E_ARG);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, fx_units_mem(),
				      fgk_map_units_bytes(buf, size) - 8), FGK_E_NOMEM);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, fx_units_mem(),
				      fgk_map_units_bytes(buf, size)), FGK_OK);
	free(shifted);
	free(buf);
	fx_free(fx);
}

/* Two symtabs: the format allows 0 or 1. */
static void two_symtabs(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_symtab two[2] = { fx->symtab, fx->symtab };
	struct fgk_map_parts p = {
		.link_base = fx->link_base, .image_size = fx->image_size,
		.regions = fx->regions, .nr_regions = fx->nr_regions,
		.units = fx->units, .nr_units = fx->nr_units,
		.symtabs = two, .nr_symtabs = 2,
	};
	size_t size;
	void *buf = fgk_map_build(&p, &size);

	(void)state;
	fx_expect_error_buf(fx, buf, size, FGK_E_SYMTAB, "two symtabs");
	free(buf);
	fx_free(fx);
}

static void arrays_located(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	uint8_t *buf;
	struct fgk_map map;

	(void)state;
	fx->image_size -= 0x100;	/* the image passed may be larger than described */
	buf = fx_map(fx, &size);
	buf = realloc(buf, size + 64);	/* and the buffer larger than the map */
	void *units = fx_units_mem();
	assert_int_equal(fgk_map_open(&map, buf, size + 64, fx->image, fx->image_size + 0x100,
				      units, FX_UNITS_BYTES), FGK_OK);
	const uint8_t *at = buf + sizeof(struct fgk_map_header);
	assert_ptr_equal(map.hdr, buf);
	assert_ptr_equal(map.regions, at);
	at += (fx->nr_regions * sizeof(struct fgk_region) + 7) & ~7ul;
	assert_ptr_equal(map.units, units);	/* decoded from the unit stream at `at` */
	assert_memory_equal(map.units, fx->units, fx->nr_units * sizeof(struct fgk_unit));
	at += (map.hdr->unit_bytes + 7) & ~7ul;
	assert_ptr_equal(map.xrefs, at);
	at += ((map.hdr->nr_xrefs + 1) / 2 + map.hdr->xref_bytes + 7) & ~7ul;
	assert_ptr_equal(map.tables, at);
	assert_int_equal(map.units[3].offset, fx->units[3].offset);
	assert_int_equal(map.tables[w.orc].par_offset, fx->tables[w.orc].par_offset);
	at += (map.hdr->nr_tables * sizeof(struct fgk_table) + 7) & ~7ul;
	assert_ptr_equal(map.overrides, at);
	assert_int_equal(map.hdr->nr_overrides, fx->nr_overrides);
	assert_int_equal(map.field_units[1], fx->field_units[1]);
	assert_int_equal(map.symtab->names, fx->symtab.names);
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		assert_int_equal(map.relocs[k][fx->nr_relocs[k] - 1], fx->relocs[k][fx->nr_relocs[k] - 1]);
	free(buf);
	fx_free(fx);
}

static void no_symtab_and_pie_flag(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	struct fgk_map_header *buf;
	struct fgk_map map;

	(void)state;
	fx->nr_symtabs = 0;
	fx->nr_sym_ties = 0;
	buf = fx_map(fx, &size);
	buf->flags = FGK_MAP_PIE;	/* header fields are not in the checksum */
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	assert_null(map.symtab);
	free(buf);
	fx_free(fx);
}

/* A failed open leaves a zeroed map that fgk_shuffle refuses. */
static void failed_open_zeroes_map(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	struct fgk_map_header *buf;
	struct fgk_map map;

	(void)state;
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	buf->magic = 0;
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_E_MAGIC);
	assert_null(map.hdr);
	assert_int_equal(map.scratch_size, 0);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_errors),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(two_symtabs),
		cmocka_unit_test(arrays_located),
		cmocka_unit_test(no_symtab_and_pie_flag),
		cmocka_unit_test(failed_open_zeroes_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
