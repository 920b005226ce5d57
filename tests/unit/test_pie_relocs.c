/* test_pie_relocs.c: fgk_map_use_pie_relocs: a PIE image's RELA/RELR give the same shuffle as the map's list; bad lists are refused. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* The world as a PIE image has it: base relocations are ABS64 only. */
static struct fx *pie_world(struct world *w)
{
	struct fx *fx = world_new(w);

	fx->nr_relocs[FGK_RELOC_ABS32] = 0;
	fx->nr_relocs[FGK_RELOC_INV32] = 0;
	return fx;
}

/* Both lists are used: some sites are odd (RELA), the others packed (RELR, bitmaps too). */
static void lists_cover_both_forms(void **state)
{
	struct world w;
	struct fx *fx = pie_world(&w);
	struct fx_pie_lists l;
	const uint64_t *relr;
	int bitmaps = 0;

	(void)state;
	fx_pie_lists(fx, &l);
	relr = l.relr;
	for (uint64_t i = 0; i < l.relr_size / 8; i++)
		bitmaps += relr[i] & 1;
	assert_true(l.rela_size >= 24);
	assert_true(bitmaps > 0);
	assert_int_equal(fgk_pie_relocs_count(l.rela, l.rela_size, l.relr, l.relr_size, fx->link_base),
			 fx->nr_relocs[FGK_RELOC_ABS64]);
	fx_free(fx);
}

/* Shuffled with the relocations in the map, then from the image's RELA/RELR: the same bytes. */
static void same_as_the_maps(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct world wa, wb;
		struct fx *a = pie_world(&wa), *b = pie_world(&wb);
		struct fx_run ra, rb;

		b->image_relocs = 1;
		b->pie = 1;
		assert_int_equal(fx_shuffle(a, seed, 0x200000, 0, &ra), FGK_OK);
		assert_int_equal(fx_shuffle(b, seed, 0x200000, 0, &rb), FGK_OK);
		assert_true(rb.stats.relocs > 0);
		assert_int_equal(ra.stats.relocs, rb.stats.relocs);
		assert_memory_equal(a->image, b->image, a->image_size);
		fx_free(a);
		fx_free(b);
	}
}

/* An open PIE map that needs the image's lists, and copies of the world's lists. */
struct pie_case {
	struct world w;
	struct fx *fx;
	struct fgk_map map;
	void *buf;
	uint64_t rela[3 * FX_MAX], relr[FX_MAX];
	uint64_t rela_size, relr_size;
	uint32_t sites[FX_MAX];
};

static void pie_case_open(struct pie_case *c)
{
	struct fx_pie_lists l;
	size_t size;

	c->fx = pie_world(&c->w);
	c->fx->image_relocs = 1;
	c->fx->pie = 1;
	c->buf = fx_map(c->fx, &size);
	assert_int_equal(fgk_map_open(&c->map, c->buf, size, c->fx->image, c->fx->image_size,
				      FX_UNITS), FGK_OK);
	fx_pie_lists(c->fx, &l);
	memcpy(c->rela, l.rela, l.rela_size);
	memcpy(c->relr, l.relr, l.relr_size);
	c->rela_size = l.rela_size;
	c->relr_size = l.relr_size;
}

static int pie_case_use(struct pie_case *c, uint64_t sites_size)
{
	return fgk_map_use_pie_relocs(&c->map, c->rela, c->rela_size, c->relr, c->relr_size,
				      c->sites, sites_size);
}

static void pie_case_close(struct pie_case *c)
{
	free(c->buf);
	fx_free(c->fx);
}

static void bad_lists(void **state)
{
	static struct pie_case c;

	(void)state;
	struct { const char *what; int err; } cases[] = {
		{ "another relocation type (R_X86_64_64)", FGK_E_RELOC },
		{ "RELA sites not ascending", FGK_E_RELOC },
		{ "a site in both lists", FGK_E_RELOC },
		{ "a site below the link base", FGK_E_RELOC },
		{ "RELA size not a multiple of 24", FGK_E_RELOC },
		{ "RELR size not a multiple of 8", FGK_E_RELOC },
		{ "sites buffer one short", FGK_E_NOMEM },
		{ "a RELR address word 0 (not the end)", FGK_E_RELOC },
		{ "a RELA site at 0", FGK_E_RELOC },
		{ "RELR starting with a bitmap", FGK_E_RELOC },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t sites_size = sizeof(c.sites);
		int err;

		pie_case_open(&c);
		assert_true(c.rela_size >= 24 && c.relr_size >= 8);
		switch (i) {
		case 0: c.rela[1] = 1; break;
		case 1: c.rela[0] = c.rela[3 * (c.rela_size / 24 - 1)] + 2; break;
		case 2: c.rela[0] = c.relr[0]; break;
		case 3: c.relr[0] = c.fx->link_base - 16; break;
		case 4: c.rela_size -= 8; break;
		case 5: c.relr_size -= 4; break;
		case 6: sites_size = 4ull * c.fx->nr_relocs[FGK_RELOC_ABS64] - 4; break;
		case 7: c.relr[0] = 0; break;
		case 8: c.rela[0] = 0; break;
		case 9: c.relr[0] = 0xd; break;
		}
		err = pie_case_use(&c, sites_size);
		if (err != cases[i].err)
			fail_msg("%s: %s, not %s", cases[i].what, fgk_strerror(err),
				 fgk_strerror(cases[i].err));
		assert_int_equal(c.map.relocs_missing, 1);
		assert_int_equal(c.map.nr_relocs[FGK_RELOC_ABS64], 0);
		pie_case_close(&c);
	}
}

/* A site past the image decodes, and the full check refuses it; the shuffle stays inside. */
static void site_past_the_image(void **state)
{
	static struct pie_case c;

	(void)state;
	pie_case_open(&c);
	c.relr[c.relr_size / 8] = c.fx->link_base + c.fx->image_size + 64;
	c.relr_size += 8;
	assert_int_equal(pie_case_use(&c, sizeof(c.sites)), FGK_OK);
	assert_int_equal(fgk_map_check(&c.map, c.fx->image), FGK_E_RELOC);
	assert_int_equal(fx_shuffle_copy(c.fx, &c.map, 1, 0x200000), FGK_OK);
	pie_case_close(&c);
}

/* The call's own refusals: no list taken. */
static void wrong_calls(void **state)
{
	static struct pie_case c;
	uint64_t words;
	const uint32_t *list;
	size_t size;

	(void)state;
	pie_case_open(&c);
	assert_int_equal(fgk_map_use_pie_relocs(NULL, c.rela, c.rela_size, c.relr, c.relr_size,
						c.sites, sizeof(c.sites)), FGK_E_ARG);
	/* a refused call drops the list an earlier one gave */
	assert_int_equal(pie_case_use(&c, sizeof(c.sites)), FGK_OK);
	assert_int_equal(fgk_map_use_pie_relocs(&c.map, c.rela, c.rela_size, c.relr, c.relr_size,
						NULL, 4), FGK_E_ARG);
	assert_int_equal(c.map.relocs_missing, 1);
	assert_int_equal(c.map.nr_relocs[FGK_RELOC_ABS64], 0);
	/* the vmlinux.relocs form is not a PIE image's list */
	list = fx_image_relocs(c.fx, &words);
	assert_int_equal(fgk_map_use_relocs(&c.map, list, words, c.fx->image), FGK_E_ARG);
	assert_int_equal(fgk_pie_relocs_count(c.rela, 25, c.relr, c.relr_size, c.fx->link_base), -1);
	assert_int_equal(pie_case_use(&c, sizeof(c.sites)), FGK_OK);
	assert_int_equal(fgk_map_check(&c.map, c.fx->image), FGK_OK);
	free(c.buf);
	/* a map that is not a PIE image's takes no RELA/RELR */
	c.fx->pie = 0;
	c.buf = fx_map(c.fx, &size);
	assert_int_equal(fgk_map_open(&c.map, c.buf, size, c.fx->image, c.fx->image_size, FX_UNITS),
			 FGK_OK);
	assert_int_equal(pie_case_use(&c, sizeof(c.sites)), FGK_E_ARG);
	pie_case_close(&c);
}

/* An R_X86_64_NONE entry in .rela.dyn is no site. */
static void none_entries_skipped(void **state)
{
	static struct pie_case c;
	uint64_t n = 0;

	(void)state;
	pie_case_open(&c);
	n = c.rela_size / 24;
	c.rela[3 * n] = c.rela[3 * (n - 1)] + 1;	/* an address in order, type NONE */
	c.rela[3 * n + 1] = 0;
	c.rela[3 * n + 2] = 0;
	c.rela_size += 24;
	assert_int_equal(pie_case_use(&c, sizeof(c.sites)), FGK_OK);
	assert_int_equal(c.map.nr_relocs[FGK_RELOC_ABS64], c.fx->nr_relocs[FGK_RELOC_ABS64]);
	assert_int_equal(fgk_map_check(&c.map, c.fx->image), FGK_OK);
	pie_case_close(&c);
}

/* No relocations at all: an empty list, nothing to apply. */
static void empty_lists(void **state)
{
	static struct pie_case c;

	(void)state;
	pie_case_open(&c);
	assert_int_equal(fgk_map_use_pie_relocs(&c.map, NULL, 0, NULL, 0, c.sites, 0), FGK_OK);
	assert_int_equal(c.map.nr_relocs[FGK_RELOC_ABS64], 0);
	assert_int_equal(c.map.relocs_missing, 0);
	pie_case_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_cover_both_forms),
		cmocka_unit_test(same_as_the_maps),
		cmocka_unit_test(bad_lists),
		cmocka_unit_test(site_past_the_image),
		cmocka_unit_test(wrong_calls),
		cmocka_unit_test(none_entries_skipped),
		cmocka_unit_test(empty_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
