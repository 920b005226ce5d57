/* check_symtab.c: (fgk_map_check) symtab: names, markers, seqs, order, owners, ranges. */
#include "fgk_internal.h"

/* nr_syms length-prefixed names filling names_size exactly, markers[i] at symbol 256*i. */
static int names_ok(const struct fgk_symtab *st, const uint8_t *image)
{
	uint64_t at = 0;

	for (uint32_t i = 0; i < st->nr_syms; i++) {
		uint32_t size = fgk_name_entry_size(image + st->names + at, st->names_size - at);

		if (!size)
			return 0;
		if (i % 256 == 0 && fgk_rd32(image + st->markers + 4 * (uint64_t)(i / 256)) != at)
			return 0;
		at += size;
	}
	return at == st->names_size;
}

static int seqs_ok(const struct fgk_symtab *st, const uint8_t *image)
{
	if (!(st->flags & FGK_SYMTAB_SEQS))
		return 1;
	for (uint32_t i = 0; i < st->nr_syms; i++)
		if (fgk_rd24be(image + st->seqs + 3 * (uint64_t)i) >= st->nr_syms)
			return 0;
	return 1;
}

/*
 * Can every address of `region` (its end included, for one-past-end
 * symbols) be encoded? RELATIVE stores address - relative_base as a u32;
 * ABS_PERCPU stores relative_base - 1 - address as a negative s32.
 */
static int region_encodable(const struct fgk_map *map, const struct fgk_symtab *st,
			    uint32_t region)
{
	const struct fgk_region *reg = &map->regions[region];
	uint64_t lo = map->hdr->link_base + reg->start, hi = map->hdr->link_base + reg->end;
	uint64_t limit = st->offsets_kind == FGK_SYMOFF_RELATIVE ? UINT32_MAX : INT32_MAX;

	if (hi < map->hdr->link_base)	/* the region's addresses wrap */
		return 0;
	return lo >= st->relative_base && hi - st->relative_base <= limit;
}

struct sym_walk {
	struct fgk_owner_check oc;
	uint32_t region_cursor;
	uint32_t checked_region;	/* last region found encodable */
	uint64_t prev_addr;
};

static int check_sym(struct sym_walk *sw, const struct fgk_map *map,
		     const struct fgk_symtab *st, uint32_t i, uint32_t value)
{
	uint64_t addr = fgk_sym_addr(st, value);
	uint32_t owner, region;

	if (addr < sw->prev_addr ||
	    fgk_owner_check_next(&sw->oc, i, fgk_addr_offset(map, addr), &owner))
		return FGK_E_SYMTAB;
	sw->prev_addr = addr;
	if (owner == FGK_UNIT_NONE)
		return FGK_OK;
	if (st->offsets_kind == FGK_SYMOFF_ABS_PERCPU && (int32_t)value >= 0)
		return FGK_E_SYMTAB;	/* absolute values never move */
	region = fgk_region_of_unit(map, &sw->region_cursor, owner);
	if (region != sw->checked_region && !region_encodable(map, st, region))
		return FGK_E_OVERFLOW;
	sw->checked_region = region;
	return FGK_OK;
}

int fgk_check_symtab(const struct fgk_map *map, const uint8_t *image)
{
	const struct fgk_symtab *st = map->symtab;
	struct sym_walk sw;

	if (!st)
		return FGK_OK;
	if (fgk_check_overrides(map, st->first_override, st->nr_overrides, st->nr_syms) ||
	    !names_ok(st, image) || !seqs_ok(st, image))
		return FGK_E_SYMTAB;
	fgk_owner_check_init(&sw.oc, map, st->first_override, st->nr_overrides);
	sw.region_cursor = 0;
	sw.checked_region = FGK_UNIT_NONE;
	sw.prev_addr = 0;
	for (uint32_t i = 0; i < st->nr_syms; i++) {
		uint32_t raw = fgk_rd32(image + st->offsets + 4 * (uint64_t)i);
		int err = check_sym(&sw, map, st, i, raw);

		if (err)
			return err;
	}
	return FGK_OK;
}
