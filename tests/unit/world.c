/* world.c: the "world" fixture: a small image using every feature of the map, valid as built. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/*
 *   0x0000  fixed code (outside regions)
 *   0x0100  region 0: u0 u1 u2 u3 u4, padding up to 0x0600
 *   0x0600  fixed code
 *   0x0700  region 1: u5 u6 u7, padding up to 0x0900
 *   0x1000  ex table (12-byte entries: insn key, fixup rel32 field, data)
 *   0x1100  ORC-like ip table (4 bytes), 0x1200 its 6-byte parallel array
 *   0x1300  mcount-like ABS64 table, a base reloc at every key
 *   0x1800  symtab arrays
 *   0x3000  data with xrefs and relocs
 */

#define A(off) (FX_LINK_BASE + (off))

static void world_units(struct fx *fx)
{
	fx_region(fx, 0x100, 0x600);
	fx_unit(fx, 0x100, 0x40, 16);	/* u0 */
	fx_unit(fx, 0x140, 0x30, 16);	/* u1 */
	fx_unit(fx, 0x180, 0x80, 64);	/* u2 */
	fx_unit(fx, 0x200, 0x10, 8);	/* u3 */
	fx_unit(fx, 0x210, 0x50, 16);	/* u4 */
	fx_region(fx, 0x700, 0x900);
	fx_unit(fx, 0x700, 0x20, 16);	/* u5 */
	fx_unit(fx, 0x720, 0x20, 16);	/* u6 */
	fx_unit(fx, 0x740, 0x40, 32);	/* u7 */
}

/* Instruction-style PC32: value = target - (site + 4). */
static void pc32(struct fx *fx, uint32_t site, uint32_t unit, uint32_t target)
{
	fx_xref(fx, site, FGK_XREF_PC32, unit, (uint64_t)(int64_t)target - site - 4);
}

static void world_xrefs(struct fx *fx)
{
	pc32(fx, 0x010, 2, 0x188);				/* fixed -> u2 */
	pc32(fx, 0x110, 3, 0x200);				/* u0 -> u3 */
	pc32(fx, 0x120, FGK_UNIT_NONE, 0x620);			/* u0 -> fixed */
	fx_xref(fx, 0x128, FGK_XREF_ABS64, 4, A(0x220));	/* u0 -> u4 */
	fx_xref(fx, 0x150, FGK_XREF_ABS32S, 1, (uint32_t)A(0x144));	/* u1 -> u1 */
	fx_xref(fx, 0x190, FGK_XREF_PC64, 7, 0x740 - 0x190);	/* u2 -> u7 */
	pc32(fx, 0x220, 6, 0x720);				/* u4 -> u6 */
	pc32(fx, 0x704, 0, 0x100);				/* u5 -> u0 */
	fx_xref(fx, 0x728, FGK_XREF_ABS32, 5, 0x10000 + 0x700);	/* u6 -> u5 */
	fx_xref(fx, 0x3000, FGK_XREF_ABS64, 1, A(0x140));	/* data -> u1 */
	fx_xref(fx, 0x3008, FGK_XREF_PC32, 7, 0x740 - 0x3008);	/* .long u7 - . */
	fx_xref(fx, 0x3010, FGK_XREF_ABS32S, 2, (uint32_t)A(0x180));	/* data -> u2 */
}

/* Sorted lists: the mcount keys (0x1300...) come between 0x128 and 0x3000. */
static void world_relocs(struct fx *fx, const struct fgk_table *mcount)
{
	fx_reloc(fx, FGK_RELOC_ABS64, 0x128);
	for (uint32_t i = 0; i < mcount->nr_entries; i++)
		fx_reloc(fx, FGK_RELOC_ABS64, mcount->offset + 8 * i);
	fx_reloc(fx, FGK_RELOC_ABS64, 0x3000);
	fx_reloc(fx, FGK_RELOC_ABS32, 0x150);
	fx_reloc(fx, FGK_RELOC_ABS32, 0x3010);
	fx_reloc(fx, FGK_RELOC_INV32, 0x238);
	fx_reloc(fx, FGK_RELOC_INV32, 0x3020);
}

/* __ex_table-like: {insn, fixup} self-relative; fixup's unit in field_units. */
static uint32_t world_ex(struct fx *fx)
{
	static const uint32_t ex[][4] = {	/* insn, insn unit, fixup, fixup unit */
		{ 0x010, FGK_UNIT_NONE, 0x620, FGK_UNIT_NONE },
		{ 0x108, 0, 0x250, 4 },
		{ 0x120, 0, 0x640, FGK_UNIT_NONE },
		{ 0x190, 2, 0x1f0, 2 },
		{ 0x214, 4, 0x130, 0 },
		{ 0x610, FGK_UNIT_NONE, 0x700, 5 },
		{ 0x710, 5, 0x740, 7 },
		{ 0x748, 7, 0x650, FGK_UNIT_NONE },
	};
	uint32_t n = sizeof(ex) / sizeof(ex[0]), base = 0x1000;
	uint32_t t = fx->nr_tables++;

	fx->tables[t] = (struct fgk_table){
		.offset = base, .nr_entries = n, .entry_size = 12, .key_offset = 0,
		.key_kind = FGK_KEY_REL32, .rel32_fields = 1 << 1,
		.first_field_unit = fx->nr_field_units,
	};
	for (uint32_t i = 0; i < n; i++) {
		uint32_t e = base + 12 * i;

		fx_put32(fx, e, ex[i][0] - e);
		fx_put32(fx, e + 4, ex[i][2] - (e + 4));
		fx_put32(fx, e + 8, 0xd0d0 + i);
		fx->field_units[fx->nr_field_units++] = ex[i][3];
	}
	return t;
}

/* ORC-like: ip keys with terminators one past a unit's end (overrides). */
static uint32_t world_orc(struct fx *fx)
{
	static const uint32_t ip[] = {
		0x000, 0x100, 0x120, 0x140, 0x140, 0x170, 0x180, 0x200,
		0x210, 0x260, 0x600, 0x700, 0x740, 0x780, 0x3000,
	};
	uint32_t n = sizeof(ip) / sizeof(ip[0]), base = 0x1100, par = 0x1200;
	uint32_t t = fx->nr_tables++;

	fx->tables[t] = (struct fgk_table){
		.offset = base, .nr_entries = n, .entry_size = 4, .key_offset = 0,
		.key_kind = FGK_KEY_REL32, .par_offset = par, .par_entry_size = 6,
		.first_override = fx->nr_overrides,
	};
	fx_override(fx, 3, 0);		/* u0's terminator (0x140 starts u1) */
	fx_override(fx, 5, 1);		/* u1's terminator, in padding */
	fx_override(fx, 9, 4);		/* u4's terminator */
	fx_override(fx, 13, 7);		/* u7's terminator */
	fx->tables[t].nr_overrides = 4;
	for (uint32_t i = 0; i < n; i++) {
		fx_put32(fx, base + 4 * i, ip[i] - (base + 4 * i));
		for (uint32_t b = 0; b < 6; b++)
			fx->image[par + 6 * i + b] = (uint8_t)(0xa0 + i + 16 * b);
	}
	return t;
}

/* __mcount_loc-like: absolute addresses (world_relocs puts a base reloc at each). */
static uint32_t world_mcount(struct fx *fx)
{
	static const uint32_t at[] = { 0x10, 0x100, 0x140, 0x180, 0x210, 0x600, 0x700, 0x720, 0x740 };
	uint32_t n = sizeof(at) / sizeof(at[0]), base = 0x1300;
	uint32_t t = fx->nr_tables++;

	fx->tables[t] = (struct fgk_table){
		.offset = base, .nr_entries = n, .entry_size = 8, .key_offset = 0,
		.key_kind = FGK_KEY_ABS64,
	};
	for (uint32_t i = 0; i < n; i++)
		fx_put64(fx, base + 8 * i, A(at[i]));
	return t;
}

/* fx_symtab's seqs run backwards: turn this run of them around. */
static void tie_in_address_order(struct fx *fx, uint32_t first, uint32_t count)
{
	uint8_t *seqs = fx->image + fx->symtab.seqs;

	for (uint32_t a = first, b = first + count - 1; a < b; a++, b--)
		for (uint32_t k = 0; k < 3; k++) {
			uint8_t t = seqs[3 * a + k];

			seqs[3 * a + k] = seqs[3 * b + k];
			seqs[3 * b + k] = t;
		}
	fx_sym_tie(fx, first, count);
}

static uint32_t world_symtab(struct fx *fx)
{
	static const struct fx_sym syms[] = {
		{ FGK_UNIT_NONE, 0x000, 5 }, { 0, 0x100, 3 }, { 0, 0x120, 200 },
		{ 1, 0x140, 4 }, { 2, 0x180, 130 }, { 3, 0x200, 2 }, { 4, 0x210, 7 },
		{ FGK_UNIT_NONE, 0x600, 6 }, { 5, 0x700, 9 }, { 6, 0x720, 300 },
		{ 7, 0x740, 8 }, { FGK_UNIT_NONE, 0x3000, 4 },
	};
	uint32_t n = sizeof(syms) / sizeof(syms[0]);

	fx_symtab(fx, 0x1800, syms, n, FGK_SYMOFF_RELATIVE, 1);
	/*
	 * Equal names: seqs positions 1-3 and 6-8, in address order as
	 * scripts/kallsyms writes them (symbols 8, 9, 10 and 3, 4, 5).
	 */
	tie_in_address_order(fx, 1, 3);
	tie_in_address_order(fx, 6, 3);
	return n;
}

struct fx *world_new(struct world *w)
{
	struct fx *fx = fx_new(0x4000);

	memset(fx->image, 0x90, 0x100);
	memset(fx->image + 0x600, 0x90, 0x100);
	world_units(fx);
	world_xrefs(fx);
	w->ex = world_ex(fx);
	w->orc = world_orc(fx);
	w->mcount = world_mcount(fx);
	world_relocs(fx, &fx->tables[w->mcount]);
	w->nr_syms = world_symtab(fx);
	return fx;
}

void world_shuffles(const struct world_shuffles *ws)
{
	for (uint64_t seed = ws->first_seed; seed < ws->first_seed + ws->seeds; seed++) {
		struct world w;
		struct fx *fx = world_new(&w);
		int64_t delta = ws->delta ? ws->delta(seed) : 0;
		uint8_t *before;
		struct fx_run run;

		if (ws->prepare)
			ws->prepare(fx, seed);
		before = fx_copy_image(fx);
		assert_int_equal(fx_shuffle(fx, seed, delta, 0, &run), FGK_OK);
		ws->expect(fx, &w, before, &run, delta);
		free(before);
		fx_free(fx);
	}
}
