/* validate_units.c: regions and units sorted, disjoint, in the image, each in one region. */
#include "fgk_internal.h"

/*
 * Regions are sorted and disjoint, and their unit ranges follow each other
 * so that units[] is covered exactly once, in order:
 *
 *   regions:  [ r0: first 0, n 3 ][ r1: first 3, n 2 ] ... sum n == nr_units
 *
 * A region may not exceed INT32_MAX bytes: unit deltas are s32.
 */
int fgk_check_regions(struct fgk_map *map)
{
	const struct fgk_map_header *h = map->hdr;
	uint64_t next_unit = 0, prev_end = 0;

	map->max_region_size = 0;
	for (uint32_t r = 0; r < h->nr_regions; r++) {
		const struct fgk_region *reg = &map->regions[r];
		uint32_t size = reg->end - reg->start;

		if (reg->start >= reg->end || reg->end > h->image_size ||
		    reg->start < prev_end || size > INT32_MAX)
			return FGK_E_REGION;
		if (reg->first_unit != next_unit)
			return FGK_E_REGION;
		next_unit += reg->nr_units;
		prev_end = reg->end;
		if (size > map->max_region_size)
			map->max_region_size = size;
	}
	return next_unit == h->nr_units ? FGK_OK : FGK_E_REGION;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int unit_ok(const struct fgk_unit *u, const struct fgk_region *reg, uint64_t prev_end)
{
	uint64_t end = (uint64_t)u->offset + u->size;

	return u->size && is_pow2(u->align) && u->align <= FGK_MAX_UNIT_ALIGN &&
	       u->offset % u->align == 0 && u->offset >= prev_end &&
	       u->offset >= reg->start && end <= reg->end;
}

/* Units: non-empty, aligned, sorted, disjoint, inside their region. */
int fgk_check_units(const struct fgk_map *map)
{
	uint64_t prev_end = 0;

	for (uint32_t r = 0; r < map->hdr->nr_regions; r++) {
		const struct fgk_region *reg = &map->regions[r];

		for (uint32_t i = 0; i < reg->nr_units; i++) {
			const struct fgk_unit *u = &map->units[reg->first_unit + i];

			if (!unit_ok(u, reg, prev_end))
				return FGK_E_UNIT;
			prev_end = (uint64_t)u->offset + u->size;
		}
	}
	return FGK_OK;
}
