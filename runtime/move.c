/* move.c: copy each region aside, write its units at their new offsets, int3 elsewhere. */
#include "fgk_internal.h"

#define INT3 0xcc

uint64_t fgk_move_work_bytes(const struct fgk_map *map)
{
	return fgk_align8(map->max_region_size);
}

/*
 * One pass over the region in new address order: fill the gap before each
 * unit with int3 (gaps never hold stale code), copy the unit from the saved copy, then fill
 * the tail. Each byte of the region is written once.
 */
static void move_region(const struct fgk_plan *plan, uint8_t *image, uint32_t region)
{
	const struct fgk_map *map = plan->map;
	const struct fgk_region *reg = &map->regions[region];
	uint8_t *saved = plan->work;
	uint64_t pos = reg->start;

	fgk_copy_bulk(saved, image + reg->start, reg->end - reg->start);
	for (uint32_t k = reg->first_unit; k < reg->first_unit + reg->nr_units; k++) {
		const struct fgk_unit *u = &map->units[plan->order[k]];
		uint64_t to = (uint64_t)((int64_t)u->offset + plan->delta[plan->order[k]]);

		fgk_fill(image + pos, INT3, to - pos);
		fgk_copy_bulk(image + to, saved + (u->offset - reg->start), u->size);
		pos = to + u->size;
	}
	fgk_fill(image + pos, INT3, reg->end - pos);
}

void fgk_move_units(const struct fgk_plan *plan, uint8_t *image)
{
	for (uint32_t r = 0; r < plan->map->hdr->nr_regions; r++)
		move_region(plan, image, r);
}
