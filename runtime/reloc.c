/* reloc.c: apply the base-KASLR relocations at their sites after the move. */
#include "fgk_internal.h"

/*
 * Sites are listed at their link-time offsets; a site inside a unit has
 * moved with it, found by the walk cursor as the lists are
 * sorted. Same arithmetic as handle_relocations() in the decompressor.
 */
static void apply_one(uint8_t *field, uint32_t kind, int64_t base_delta)
{
	if (kind == FGK_RELOC_ABS64)
		fgk_wr64(field, fgk_rd64(field) + (uint64_t)base_delta);
	else if (kind == FGK_RELOC_ABS32)
		fgk_wr32(field, fgk_rd32(field) + (uint32_t)base_delta);
	else
		fgk_wr32(field, fgk_rd32(field) - (uint32_t)base_delta);
}

/*
 * No 32-bit field can take a base delta beyond this; below it, the sums in
 * fits32() and -delta cannot overflow.
 */
#define MAX_DELTA32	(1LL << 33)

/*
 * Does a 32-bit field keep a valid value after adding `add` (|add| <=
 * MAX_DELTA32)? The lists mix zero- and sign-extended fields (R_X86_64_32
 * and 32S), so either reading may hold; `slack` (a region's size, below
 * 2^32) covers an xref at the same site moving the value first.
 */
static int fits32(uint32_t v, int64_t add, int64_t slack)
{
	int64_t as_s32 = (int64_t)(int32_t)v + add, as_u32 = (int64_t)v + add;

	return fgk_fits_s32(as_s32, slack) ||
	       (as_u32 - slack >= 0 && as_u32 + slack <= (int64_t)UINT32_MAX);
}

/*
 * Can every 32-bit relocation take this base delta? Checked before the
 * first write (the map cannot know the delta), so a delta beyond 32-bit
 * reach is refused instead of silently truncated.
 */
int fgk_relocs_fit(const struct fgk_map *map, const uint8_t *image, int64_t base_delta)
{
	int64_t slack = map->max_region_size;

	if (!base_delta)
		return 1;
	for (uint32_t kind = FGK_RELOC_ABS32; kind < FGK_NR_RELOC_KINDS; kind++) {
		int64_t add;

		if (!map->nr_relocs[kind])
			continue;
		if (base_delta > MAX_DELTA32 || base_delta < -MAX_DELTA32)
			return 0;
		add = kind == FGK_RELOC_INV32 ? -base_delta : base_delta;
		for (uint32_t i = 0; i < map->nr_relocs[kind]; i++) {
			uint32_t site = fgk_reloc_site(map, kind, i);

			if ((uint64_t)site + 4 <= map->hdr->image_size &&
			    !fits32(fgk_rd32(image + site), add, slack))
				return 0;
		}
	}
	return 1;
}

uint32_t fgk_apply_relocs(const struct fgk_plan *plan, uint8_t *image, int64_t base_delta)
{
	const struct fgk_map *map = plan->map;
	uint32_t applied = 0;

	if (!base_delta)
		return 0;
	for (uint32_t kind = 0; kind < FGK_NR_RELOC_KINDS; kind++) {
		uint32_t width = fgk_reloc_width(kind);
		struct fgk_walk walk;

		fgk_walk_init(&walk, map);
		for (uint32_t i = 0; i < map->nr_relocs[kind]; i++) {
			uint32_t site = fgk_reloc_site(map, kind, i);
			uint32_t unit = fgk_walk_unit(&walk, site);
			int64_t at = (int64_t)site + fgk_unit_delta(plan, unit);

			/*
			 * a site outside the image, or moved past its end from across
			 * a unit's edge: only in a list fgk_map_check refuses
			 */
			if (at >= 0 && (uint64_t)at + width <= map->hdr->image_size)
				apply_one(image + at, kind, base_delta);
		}
		applied += map->nr_relocs[kind];
	}
	return applied;
}
