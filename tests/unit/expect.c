/* expect.c: independent checks of a shuffled image against its original (used by several tests). */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/*
 * These checks recompute what the runtime should have done from the map's
 * arrays by plain, slow means (linear scans, qsort), never through the
 * runtime's own helpers, so a shared mistake cannot hide.
 */

uint8_t *fx_copy_image(const struct fx *fx)
{
	uint8_t *copy = malloc(fx->image_size);

	memcpy(copy, fx->image, fx->image_size);
	return copy;
}

uint32_t fx_unit_at(const struct fx *fx, int64_t off)
{
	for (uint32_t u = 0; u < fx->nr_units; u++)
		if (off >= fx->units[u].offset && off < (int64_t)fx->units[u].offset + fx->units[u].size)
			return u;
	return FGK_UNIT_NONE;
}

int32_t fx_delta(const struct fx_run *run, uint32_t unit)
{
	return unit == FGK_UNIT_NONE ? 0 : run->delta[unit];
}

/* Bytes some phase may legitimately rewrite in place: xref and reloc fields. */
static uint8_t *patched_mask(const struct fx *fx)
{
	uint8_t *mask = calloc(1, fx->image_size);

	for (uint32_t i = 0; i < fx->nr_xrefs; i++) {
		uint32_t kind = FGK_XREF_KIND(fx->xrefs[i].info);
		uint32_t w = kind == FGK_XREF_PC64 || kind == FGK_XREF_ABS64 ? 8 : 4;

		memset(mask + fx->xrefs[i].site, 1, w);
	}
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < fx->nr_relocs[k]; i++)
			memset(mask + fx->relocs[k][i], 1, k == FGK_RELOC_ABS64 ? 8 : 4);
	return mask;
}

static void expect_unit(const struct fx *fx, const uint8_t *before, const uint8_t *mask,
			uint32_t u, int64_t to)
{
	const struct fgk_unit *unit = &fx->units[u];

	assert_int_equal(to % unit->align, 0);
	for (uint32_t i = 0; i < unit->size; i++)
		if (!mask[unit->offset + i])
			assert_int_equal(fx->image[to + i], before[unit->offset + i]);
}

void expect_units(const struct fx *fx, const uint8_t *before, const struct fx_run *run)
{
	uint8_t *mask = patched_mask(fx);

	for (uint32_t r = 0; r < fx->nr_regions; r++) {
		const struct fgk_region *reg = &fx->regions[r];
		uint8_t *covered = calloc(1, reg->end - reg->start);

		for (uint32_t u = reg->first_unit; u < reg->first_unit + reg->nr_units; u++) {
			int64_t to = (int64_t)fx->units[u].offset + run->delta[u];

			assert_true(to >= reg->start && to + fx->units[u].size <= reg->end);
			for (uint32_t i = 0; i < fx->units[u].size; i++) {
				assert_int_equal(covered[to - reg->start + i], 0);	/* no overlap */
				covered[to - reg->start + i] = 1;
			}
			expect_unit(fx, before, mask, u, to);
		}
		for (uint32_t i = 0; i < reg->end - reg->start; i++)
			if (!covered[i])
				assert_int_equal(fx->image[reg->start + i], 0xcc);
		free(covered);
	}
	free(mask);
}

static void mark(uint8_t *mask, uint64_t start, uint64_t bytes)
{
	memset(mask + start, 1, bytes);
}

void expect_fixed_bytes(const struct fx *fx, const uint8_t *before)
{
	uint8_t *mask = patched_mask(fx);
	const struct fgk_symtab *st = &fx->symtab;

	for (uint32_t r = 0; r < fx->nr_regions; r++)
		mark(mask, fx->regions[r].start, fx->regions[r].end - fx->regions[r].start);
	for (uint32_t t = 0; t < fx->nr_tables; t++) {
		const struct fgk_table *tab = &fx->tables[t];

		mark(mask, tab->offset, (uint64_t)tab->nr_entries * tab->entry_size);
		mark(mask, tab->par_offset, (uint64_t)tab->nr_entries * tab->par_entry_size);
	}
	if (fx->nr_symtabs) {
		mark(mask, st->offsets, 4 * (uint64_t)st->nr_syms);
		mark(mask, st->names, st->names_size);
		mark(mask, st->markers, 4 * (((uint64_t)st->nr_syms + 255) / 256));
		if (st->flags & FGK_SYMTAB_SEQS)
			mark(mask, st->seqs, 3 * (uint64_t)st->nr_syms);
	}
	for (uint32_t i = 0; i < fx->image_size; i++)
		if (!mask[i])
			assert_int_equal(fx->image[i], before[i]);
	free(mask);
}

/* What the base relocations add to the field at `site`, per width. */
static uint64_t reloc_add(const struct fx *fx, uint32_t site, int64_t base_delta)
{
	uint64_t add = 0;

	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < fx->nr_relocs[k]; i++)
			if (fx->relocs[k][i] == site)
				add += k == FGK_RELOC_INV32 ? -(uint64_t)base_delta : (uint64_t)base_delta;
	return add;
}

static int is_table_byte(const struct fx *fx, uint32_t off)
{
	for (uint32_t t = 0; t < fx->nr_tables; t++) {
		const struct fgk_table *tab = &fx->tables[t];

		if (off >= tab->offset && off < tab->offset + tab->nr_entries * tab->entry_size)
			return 1;
	}
	return 0;
}

static void expect_xref(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
			const struct fgk_xref *x, int64_t base_delta)
{
	uint32_t kind = FGK_XREF_KIND(x->info);
	int64_t ds = fx_delta(run, fx_unit_at(fx, x->site));
	int64_t dt = fx_delta(run, FGK_XREF_UNIT(x->info));
	int64_t to = x->site + ds;
	uint64_t add = reloc_add(fx, x->site, base_delta);

	if (kind == FGK_XREF_PC32) {	/* site + value still reaches the moved target */
		int64_t v = (int32_t)get32(before, x->site), nv = (int32_t)get32(fx->image, to);

		assert_int_equal(to + nv, x->site + v + dt);
	} else if (kind == FGK_XREF_PC64) {
		assert_int_equal(to + (int64_t)get64(fx->image, to),
				 x->site + (int64_t)get64(before, x->site) + dt);
	} else if (kind == FGK_XREF_ABS64) {
		assert_int_equal(get64(fx->image, to), get64(before, x->site) + dt + add);
	} else {
		assert_int_equal(get32(fx->image, to), (uint32_t)(get32(before, x->site) + dt + add));
	}
}

void expect_fields(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
		   int64_t base_delta)
{
	for (uint32_t i = 0; i < fx->nr_xrefs; i++)
		expect_xref(fx, before, run, &fx->xrefs[i], base_delta);
	/* Relocs alone on their field (table keys are checked by expect_table). */
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < fx->nr_relocs[k]; i++) {
			uint32_t site = fx->relocs[k][i];
			int64_t to = site + fx_delta(run, fx_unit_at(fx, site));
			int xref = 0;

			for (uint32_t j = 0; j < fx->nr_xrefs; j++)
				xref |= fx->xrefs[j].site == site;
			if (xref || is_table_byte(fx, site))
				continue;
			if (k == FGK_RELOC_ABS64)
				assert_int_equal(get64(fx->image, to), get64(before, site) + base_delta);
			else
				assert_int_equal(get32(fx->image, to),
						 (uint32_t)(get32(before, site) + reloc_add(fx, site, base_delta)));
		}
}

void expect_all(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
		int64_t base_delta)
{
	expect_units(fx, before, run);
	expect_fixed_bytes(fx, before);
	expect_fields(fx, before, run, base_delta);
	for (uint32_t t = 0; t < fx->nr_tables; t++)
		expect_table(fx, before, run, t, base_delta);
	if (fx->nr_symtabs)
		expect_symtab(fx, before, run);
}
