/* scratch.c: how much scratch fgk_shuffle needs, and how it is carved. */
#include "fgk_internal.h"

/*
 *   scratch:  | order[nr_units] u32 | delta[nr_units] s32 | work |
 *
 * The plan lives through all phases; `work` is reused by each phase:
 * XREFS needs the unit index (a few bytes per 256 of each region), MOVE
 * a copy of the largest region, TABLES a copy of one table (and its
 * parallel array) plus its runs, SYMTAB copies of the offsets and names,
 * the names' old positions, the new index of each symbol and its inverse,
 * plus runs.
 */
uint64_t fgk_plan_bytes(const struct fgk_map *map)
{
	return 2 * fgk_align8((uint64_t)map->hdr->nr_units * 4);
}

uint64_t fgk_compute_scratch(const struct fgk_map *map)
{
	uint64_t work = fgk_max64(fgk_move_work_bytes(map), fgk_unit_index_bytes(map));

	for (uint32_t t = 0; t < map->hdr->nr_tables; t++)
		work = fgk_max64(work, fgk_table_work_bytes(map, &map->tables[t]));
	work = fgk_max64(work, fgk_symtab_work_bytes(map));
	return fgk_plan_bytes(map) + work;
}

uint64_t fgk_scratch_size(const struct fgk_map *map)
{
	return map ? map->scratch_size : 0;
}

void fgk_plan_carve(struct fgk_plan *plan, const struct fgk_map *map, void *scratch)
{
	uint8_t *at = scratch;
	uint64_t per_unit = fgk_align8((uint64_t)map->hdr->nr_units * 4);

	plan->map = map;
	plan->order = (uint32_t *)at;
	plan->delta = (int32_t *)(at + per_unit);
	plan->work = at + 2 * per_unit;
	plan->nr_units = map->hdr->nr_units;
}
