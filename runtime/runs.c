/* runs.c: where each entry of an owned table goes, from per-unit runs: no sort. */
#include "fgk_internal.h"

/*
 * Entries owned by one unit form a run, and the runs of one region's units
 * form a block (validate_owner.c). After the move a block holds the same
 * runs in the units' new address order; unowned entries keep their index:
 *
 *   old:  [n n][a a a][b][c c][n]     region R = {a, b, c}, new order c a b
 *   new:  [n n][c c][a a a][b][n]
 *
 * So each run just shifts by a constant, found by one pass over the new
 * order. Callers then read the old entries in order and write each at
 * first + shift: sequential reads, runs written whole. Linear in entries
 * + units.
 */
uint64_t fgk_runs_bytes(const struct fgk_map *map)
{
	return 3 * fgk_align8((uint64_t)map->hdr->nr_units * 4) +
	       2 * fgk_align8((uint64_t)map->hdr->nr_regions * 4);
}

/* Carve the run arrays from `mem`, all empty; returns the memory after them. */
uint8_t *fgk_runs_init(struct fgk_runs *r, const struct fgk_plan *plan, uint8_t *mem)
{
	const struct fgk_map *map = plan->map;
	uint64_t per_unit = fgk_align8((uint64_t)map->hdr->nr_units * 4);
	uint64_t per_region = fgk_align8((uint64_t)map->hdr->nr_regions * 4);

	r->map = map;
	r->order = plan->order;
	r->first = (uint32_t *)mem;
	r->len = (uint32_t *)(mem + per_unit);
	r->shift = (uint32_t *)(mem + 2 * per_unit);
	r->block_first = (uint32_t *)(mem + 3 * per_unit);
	r->block_len = (uint32_t *)(mem + 3 * per_unit + per_region);
	r->region_cursor = 0;
	fgk_fill(r->len, 0, per_unit);
	fgk_fill(r->block_len, 0, per_region);
	return mem + fgk_runs_bytes(map);
}

/* Record entry `entry`'s owner; call for every entry in order. */
void fgk_runs_add(struct fgk_runs *r, uint32_t entry, uint32_t unit)
{
	uint32_t region;

	if (unit == FGK_UNIT_NONE)
		return;
	if (r->len[unit]++ == 0)
		r->first[unit] = entry;
	region = fgk_region_of_unit(r->map, &r->region_cursor, unit);
	if (r->block_len[region]++ == 0)
		r->block_first[region] = entry;
}

/* Lay each block's runs out again in its region's new unit order. */
void fgk_runs_place(struct fgk_runs *r)
{
	const struct fgk_map *map = r->map;

	for (uint32_t i = 0; i < map->hdr->nr_regions; i++) {
		const struct fgk_region *reg = &map->regions[i];
		uint32_t to = r->block_first[i];

		if (!r->block_len[i])
			continue;
		for (uint32_t k = reg->first_unit; k < reg->first_unit + reg->nr_units; k++) {
			uint32_t unit = r->order[k];

			r->shift[unit] = to - r->first[unit];	/* unused when len is 0 */
			to += r->len[unit];
		}
	}
}
