/* test_image_relocs.c: fgk_map_use_relocs: the image's own relocation list gives the same shuffle as the map's; bad lists are refused (sites by fgk_map_check). */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* The world shuffled with its relocations in the map, then from an image list: the same bytes. */
static void same_as_the_maps(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct world w;
		struct fx *a = world_new(&w), *b = world_new(&w);
		struct fx_run ra, rb;

		b->image_relocs = 1;
		assert_int_equal(fx_shuffle(a, seed, 0x200000, 0, &ra), FGK_OK);
		assert_int_equal(fx_shuffle(b, seed, 0x200000, 0, &rb), FGK_OK);
		assert_int_equal(ra.stats.relocs, rb.stats.relocs);
		assert_true(rb.stats.relocs > 0);
		assert_memory_equal(a->image, b->image, a->image_size);
		fx_free(a);
		fx_free(b);
	}
}

/* A map whose relocations are the image's, opened, and the list of the world as words. */
static void *open_flagged(struct fx *fx, struct fgk_map *map, uint32_t *words, uint32_t *n)
{
	size_t size;
	uint64_t bytes;
	void *buf;
	const uint32_t *list = fx_image_relocs(fx, &bytes);

	fx->image_relocs = 1;
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_OK);
	memcpy(words, list, bytes);
	*n = (uint32_t)(bytes / 4);
	return buf;
}

static void bad_lists(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	uint32_t good[64], list[64], n;
	void *buf = open_flagged(fx, &map, good, &n);
	uint32_t first_abs64 = good[1], zero2;

	(void)state;
	for (zero2 = 1; good[zero2]; zero2++)
		;
	assert_true(zero2 > 2 && n < 64);
	struct { const char *what; int err; } cases[] = {
		{ "no leading zero", FGK_E_RELOC },
		{ "no zeros after the first", FGK_E_RELOC },
		{ "one zero too few", FGK_E_RELOC },
		{ "ABS64 sites not ascending", FGK_E_RELOC },
		{ "a site below the link base", FGK_E_RELOC },
		{ "a site past the image", FGK_E_RELOC },
		{ "a site inside a table", FGK_E_RELOC },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t m = n;

		memcpy(list, good, 4 * n);
		switch (i) {
		case 0: list[0] = first_abs64; break;
		case 1: m = 2; break;
		case 2: m = zero2 + 1; list[zero2] = first_abs64 + 8; break;
		case 3: list[2] = list[1] - 8; break;
		case 4: list[1] = (uint32_t)fx->link_base - 8; break;
		case 5: list[zero2 - 1] = (uint32_t)fx->link_base + fx->image_size - 4; break;
		case 6: list[1] = (uint32_t)fx->link_base + fx->tables[w.ex].offset + 1; break;
		}
		if (i >= 3) {
			/* Well-formed: taken, then refused by the full check, and harmless. */
			assert_int_equal(fgk_map_use_relocs(&map, list, 4ull * m, fx->image), FGK_OK);
			if (fgk_map_check(&map, fx->image) != cases[i].err)
				fail_msg("%s: not refused", cases[i].what);
			/* shuffled anyway: no access outside the image or scratch (ASan) */
			assert_int_equal(fx_shuffle_copy(fx, &map, 1, 0x200000), FGK_OK);
			continue;
		}
		if (fgk_map_use_relocs(&map, list, 4ull * m, fx->image) != cases[i].err)
			fail_msg("%s: not refused", cases[i].what);
		assert_int_equal(map.relocs_missing, 1);
		for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
			assert_int_equal(map.nr_relocs[k], 0);
	}
	assert_int_equal(fgk_map_use_relocs(&map, good, 4ull * n - 2, fx->image), FGK_E_RELOC);
	assert_int_equal(fgk_map_use_relocs(&map, (uint8_t *)good + 2, 8, fx->image), FGK_E_ARG);
	assert_int_equal(fgk_map_use_relocs(&map, NULL, 8, fx->image), FGK_E_ARG);
	assert_int_equal(fgk_map_use_relocs(&map, good, 4ull * n, fx->image), FGK_OK);
	assert_int_equal(map.relocs_missing, 0);
	free(buf);
	fx_free(fx);
}

/* Without the list, fgk_shuffle refuses the map and writes nothing; a map of its own takes none. */
static void list_required(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	uint32_t list[64], n;
	size_t size;
	void *buf = open_flagged(fx, &map, list, &n);
	uint8_t *before = malloc(fx->image_size);
	struct fgk_shuffle_args args = { .seed = 1, .flags = FGK_NO_SHUFFLE };

	(void)state;
	memcpy(before, fx->image, fx->image_size);
	assert_int_equal(fgk_shuffle(&map, fx->image, &args), FGK_E_NORELOCS);
	assert_memory_equal(fx->image, before, fx->image_size);
	free(buf);
	fx->image_relocs = 0;
	buf = fx_map(fx, &size);
	assert_int_equal(fgk_map_open(&map, buf, size, fx->image, fx->image_size, FX_UNITS), FGK_OK);
	assert_int_equal(fgk_map_use_relocs(&map, list, 4ull * n, fx->image), FGK_E_ARG);
	assert_int_equal(fgk_map_use_relocs(NULL, list, 4ull * n, fx->image), FGK_E_ARG);
	free(before);
	free(buf);
	fx_free(fx);
}

/* Three empty lists: nothing to apply. */
static void empty_list(void **state)
{
	static const uint32_t zeros[3] = { 0, 0, 0 };
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	uint32_t list[64], n;
	void *buf = open_flagged(fx, &map, list, &n);

	(void)state;
	assert_int_equal(fgk_map_use_relocs(&map, zeros, sizeof(zeros), fx->image), FGK_OK);
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		assert_int_equal(map.nr_relocs[k], 0);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_the_maps),
		cmocka_unit_test(bad_lists),
		cmocka_unit_test(list_required),
		cmocka_unit_test(empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
