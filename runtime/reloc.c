/* reloc.c: apply the base-KASLR relocations at their sites after the move. */
#include "fgk_internal.h"

/*
 * Sites are listed at their link-time offsets; a site inside a unit has
 * moved with it (pitfall 6), found by the walk cursor as the lists are
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

uint32_t fgk_apply_relocs(const struct fgk_plan *plan, uint8_t *image, int64_t base_delta)
{
	const struct fgk_map *map = plan->map;
	uint32_t applied = 0;

	if (!base_delta)
		return 0;
	for (uint32_t kind = 0; kind < FGK_NR_RELOC_KINDS; kind++) {
		struct fgk_walk walk;

		fgk_walk_init(&walk, map);
		for (uint32_t i = 0; i < map->hdr->nr_relocs[kind]; i++) {
			uint32_t site = map->relocs[kind][i];
			int64_t at = (int64_t)site + fgk_unit_delta(plan, fgk_walk_unit(&walk, site));

			apply_one(image + at, kind, base_delta);
		}
		applied += map->hdr->nr_relocs[kind];
	}
	return applied;
}
