/* walk.c: the one "which unit holds this offset" cursor, and its twin for regions. */
#include "fgk_internal.h"

/*
 * Lookups by image offset go through these cursors; only the targets that
 * xref fields point at, which come in any order, use fgk_region_find or
 * the unit index of unit_index.c. Callers ask in non-decreasing offset
 * order (xrefs by site, table keys, symbol addresses, reloc sites), so a
 * cursor only moves forward and a whole pass costs O(units + queries):
 * no search, no sort.
 *
 *   units:   [u0)   [u1 )  [u2)      queries:  a  b    c  d
 *   next:     ^ stays until a query lies at or past the unit's end
 */

static int64_t unit_end(const struct fgk_unit *u)
{
	return (int64_t)u->offset + u->size;
}

void fgk_walk_init(struct fgk_walk *w, const struct fgk_map *map)
{
	w->units = map->units;
	w->nr_units = map->hdr->nr_units;
	w->next = 0;
}

/*
 * The unit holding all of [off, off + width), FGK_UNIT_NONE if the field
 * touches no unit, FGK_WALK_BAD if it crosses a unit's edge.
 */
uint32_t fgk_walk_field(struct fgk_walk *w, int64_t off, uint32_t width)
{
	uint32_t u = fgk_walk_unit(w, off);

	if (u != FGK_UNIT_NONE)
		return off + width <= unit_end(&w->units[u]) ? u : FGK_WALK_BAD;
	if (w->next < w->nr_units && w->units[w->next].offset < off + width)
		return FGK_WALK_BAD;
	return FGK_UNIT_NONE;
}

void fgk_region_walk_init(struct fgk_region_walk *rw, const struct fgk_map *map)
{
	rw->regions = map->regions;
	rw->nr_regions = map->hdr->nr_regions;
	rw->next = 0;
}

/* Does [start, end) meet a region? `start` must not decrease between calls. */
int fgk_region_overlaps(struct fgk_region_walk *rw, int64_t start, int64_t end)
{
	while (rw->next < rw->nr_regions && rw->regions[rw->next].end <= start)
		rw->next++;
	return rw->next < rw->nr_regions && rw->regions[rw->next].start < end;
}

/* The region holding `off`, or FGK_UNIT_NONE. */
uint32_t fgk_region_at(struct fgk_region_walk *rw, int64_t off)
{
	return fgk_region_overlaps(rw, off, off + 1) ? rw->next : FGK_UNIT_NONE;
}

/* The region holding `off`, for offsets in any order (a binary search), or FGK_UNIT_NONE. */
uint32_t fgk_region_find(const struct fgk_map *map, int64_t off)
{
	const struct fgk_region *regions = map->regions;
	uint32_t a = 0, b = map->hdr->nr_regions;

	while (a < b) {		/* the first region ending after `off` */
		uint32_t mid = a + (b - a) / 2;

		if (regions[mid].end <= off)
			a = mid + 1;
		else
			b = mid;
	}
	return a < map->hdr->nr_regions && regions[a].start <= off ? a : FGK_UNIT_NONE;
}

/* The region whose unit range holds `unit`; units must not decrease. */
uint32_t fgk_region_of_unit(const struct fgk_map *map, uint32_t *cursor, uint32_t unit)
{
	const struct fgk_region *r = map->regions;
	uint32_t last = map->hdr->nr_regions - 1;

	while (*cursor < last && unit - r[*cursor].first_unit >= r[*cursor].nr_units)
		++*cursor;
	return *cursor;
}

void fgk_locator_init(struct fgk_locator *loc, const struct fgk_map *map)
{
	fgk_walk_init(&loc->units, map);
	fgk_region_walk_init(&loc->regions, map);
}

/*
 * Where a field to be patched lies: its unit, FGK_UNIT_NONE if it stays put
 * (outside every region), FGK_WALK_BAD if it crosses a unit's edge or sits
 * in a region's padding, which the move overwrites with int3.
 */
uint32_t fgk_locate_field(struct fgk_locator *loc, uint32_t off, uint32_t width)
{
	uint32_t u = fgk_walk_field(&loc->units, off, width);

	if (u == FGK_UNIT_NONE &&
	    fgk_region_overlaps(&loc->regions, off, (int64_t)off + width))
		return FGK_WALK_BAD;
	return u;
}
