/* fuzz_map.c: libFuzzer harness: any map, its checksum recomputed, against a real image: fgk_map_open and fgk_shuffle keep their promises. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "elfimg.h"
#include "fgk_internal.h"

/*
 * The image is a real ELF (FGK_FUZZ_IMAGE, an e2e test image); the input
 * is a map for it, mutated by libFuzzer and resealed here so that
 * mutations get past the checksum. The promises checked:
 *   - fgk_map_open and fgk_map_check never write the image;
 *   - a refused map or shuffle leaves the image byte-identical;
 *   - any map fgk_map_open takes is shuffled without a read or write
 *     outside the image and the scratch;
 *   - for a map fgk_map_check takes too: no byte changed outside the
 *     regions and the fields the map names (xrefs, tables, symtab arrays,
 *     relocations), and every table and the symtab are sorted by address
 *     again;
 * all with buffers of exactly the sizes asked for, under ASan and UBSan.
 */

static struct elfimg img;
static uint8_t *pristine;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("FGK_FUZZ_IMAGE");

	(void)argc;
	(void)argv;
	host_tool = "fuzz_map";
	if (!path)
		die("set FGK_FUZZ_IMAGE to the ELF image the maps are for");
	elfimg_load(&img, path);
	pristine = malloc(img.size);
	memcpy(pristine, img.image, img.size);
	return 0;
}

/* Recompute the payload checksum when the header's payload fits the input. */
static void reseal(uint8_t *buf, size_t size)
{
	struct fgk_map_header *h = (struct fgk_map_header *)buf;

	if (h->header_size == sizeof(*h) && h->payload_size <= size - sizeof(*h))
		h->payload_xxh64 = XXH64(buf + sizeof(*h), h->payload_size, 0);
}

static void allow(uint8_t *mask, uint64_t start, uint64_t len)
{
	if (start < img.size)
		memset(mask + start, 1, len < img.size - start ? len : img.size - start);
}

/* Bytes a shuffle may change: regions, named fields, tables, symtab arrays. */
static uint8_t *changeable(const struct fgk_map *map)
{
	const struct fgk_map_header *h = map->hdr;
	uint8_t *mask = calloc(1, img.size);

	for (uint32_t r = 0; r < h->nr_regions; r++)
		allow(mask, map->regions[r].start, map->regions[r].end - map->regions[r].start);
	struct fgk_xref_cursor c;
	struct fgk_ref ref;

	fgk_xref_cursor_init(&c, map);
	for (uint32_t i = 0; i < h->nr_xrefs && fgk_xref_next(&c, &ref); i++)
		allow(mask, ref.site, fgk_xref_width(ref.kind));
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < map->nr_relocs[k]; i++)
			allow(mask, fgk_reloc_site(map, k, i), fgk_reloc_width(k));
	for (uint32_t id = 0; id < 2 * h->nr_tables + (map->symtab ? FGK_NR_SYM_SPANS : 0); id++) {
		struct fgk_span s;

		fgk_span_of(map, id, &s);
		if (s.end > s.start)
			allow(mask, s.start, s.end - s.start);
	}
	return mask;
}

static void expect_untouched_outside(const uint8_t *image, const uint8_t *mask)
{
	for (uint64_t i = 0; i < img.size; i++)
		if (!mask[i] && image[i] != pristine[i]) {
			fprintf(stderr, "fuzz_map: byte %#lx changed outside regions and fields\n",
				(unsigned long)i);
			abort();
		}
}

static void expect_sorted(const struct fgk_map *map, const uint8_t *image)
{
	for (uint32_t t = 0; t < map->hdr->nr_tables; t++) {
		const struct fgk_table *tb = &map->tables[t];
		int64_t prev = INT64_MIN;

		for (uint32_t i = 0; i < tb->nr_entries; i++) {
			int64_t key = fgk_table_key(map, tb, image + tb->offset +
						    (uint64_t)i * tb->entry_size, i);
			if (key < prev) {
				fprintf(stderr, "fuzz_map: table %u unsorted at entry %u\n", t, i);
				abort();
			}
			prev = key;
		}
	}
	if (map->symtab) {
		const struct fgk_symtab *st = map->symtab;
		uint64_t prev = 0;

		for (uint32_t i = 0; i < st->nr_syms; i++) {
			uint64_t a = fgk_sym_addr(st, fgk_rd32(image + st->offsets + 4 * (uint64_t)i));

			if (a < prev) {
				fprintf(stderr, "fuzz_map: symtab unsorted at symbol %u\n", i);
				abort();
			}
			prev = a;
		}
	}
}

static void shuffle_once(const struct fgk_map *map, uint8_t *image, uint64_t seed,
			 int64_t base_delta, const uint8_t *mask, int checked)
{
	uint64_t need = fgk_scratch_size(map);
	void *scratch = malloc(need ? need : 1);	/* exactly what it asked for */
	struct fgk_shuffle_args args = { .seed = seed, .base_delta = base_delta,
					 .scratch = scratch, .scratch_size = need };
	int err;

	memcpy(image, pristine, img.size);
	err = fgk_shuffle(map, image, &args);
	if (err && memcmp(image, pristine, img.size)) {
		fprintf(stderr, "fuzz_map: refused shuffle (%s) wrote the image\n", fgk_strerror(err));
		abort();
	}
	if (!err && checked) {
		expect_untouched_outside(image, mask);
		if (!base_delta)
			expect_sorted(map, image);
	}
	free(scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf, *image, *mask;
	struct fgk_map map;
	uint64_t units_size;
	void *units;

	if (size < sizeof(struct fgk_map_header))
		return 0;
	buf = malloc(size);		/* malloc is 16-byte aligned, the map needs 8 */
	memcpy(buf, data, size);
	reseal(buf, size);
	image = malloc(img.size);
	memcpy(image, pristine, img.size);
	/* Exactly the size asked for, up to 64 MiB (beyond: too little, FGK_E_NOMEM). */
	units_size = fgk_map_units_bytes(buf, size);
	if (units_size > (1u << 26))
		units_size = 1u << 26;
	units = malloc(units_size ? units_size : 1);
	if (fgk_map_open(&map, buf, size, image, img.size, units, units_size) == FGK_OK) {
		int checked = fgk_map_check(&map, image) == FGK_OK;

		if (memcmp(image, pristine, img.size))
			abort();	/* open or the check wrote the image */
		mask = changeable(&map);
		shuffle_once(&map, image, size, 0, mask, checked);
		shuffle_once(&map, image, size ^ 0x5eed, 0x200000, mask, checked);
		free(mask);
	} else if (memcmp(image, pristine, img.size)) {
		abort();
	}
	free(units);
	free(image);
	free(buf);
	return 0;
}
