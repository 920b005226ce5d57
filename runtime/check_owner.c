/* check_owner.c: (fgk_map_check) owner rules of tables and symtab, so runs need no sorting. */
#include "fgk_internal.h"

/*
 * The re-sort (runs.c) relies on:
 *  - each owned key inside its owner: [offset, offset + size], the end
 *    included for one-past-end entries such as ORC terminators;
 *  - unowned keys (their addresses never move) outside every region, or
 *    exactly at a region's start: a linker-script marker such as _stext
 *    where the region's first unit starts. A region's end lies outside it;
 *  - owners in increasing unit order. An unowned entry between two entries
 *    of one region's units therefore has its key at that region's start or
 *    end: runs.c writes it before or after the region's runs.
 */

static int unit_ok(const struct fgk_map *map, uint32_t unit)
{
	return unit == FGK_UNIT_NONE || unit < map->hdr->nr_units;
}

/* overrides[first, first + nr): sorted by entry, entries and units valid. */
int fgk_check_overrides(const struct fgk_map *map, uint32_t first,
			uint32_t nr, uint32_t nr_entries)
{
	struct fgk_override_cursor c;
	struct fgk_override ov;
	uint32_t prev = 0;

	if ((uint64_t)first + nr > map->hdr->nr_overrides)
		return -1;
	if (!nr)
		return 0;
	fgk_override_cursor_at(&c, map, first);
	for (uint32_t i = 0; i < nr; i++) {
		fgk_override_next(&c, &ov);	/* the stream is checked: it succeeds */
		if (ov.entry >= nr_entries || !unit_ok(map, ov.unit))
			return -1;
		if (i && ov.entry <= prev)
			return -1;
		prev = ov.entry;
	}
	return 0;
}

void fgk_owner_check_init(struct fgk_owner_check *oc, const struct fgk_map *map,
			  uint32_t first_override, uint32_t nr_overrides)
{
	oc->map = map;
	fgk_owner_init(&oc->it, map, first_override, nr_overrides);
	fgk_region_walk_init(&oc->regions, map);
	oc->last = FGK_UNIT_NONE;
}

static int key_in_unit(const struct fgk_unit *u, int64_t key)
{
	return key >= u->offset && key <= (int64_t)u->offset + u->size;
}

/* Outside every region, or exactly at the start of the one holding it. */
static int unowned_ok(struct fgk_region_walk *rw, int64_t key)
{
	uint32_t region = fgk_region_at(rw, key);

	return region == FGK_UNIT_NONE || rw->regions[region].start == key;
}

/* Owners may not decrease, which keeps each unit's entries one run. */
static int run_ok(struct fgk_owner_check *oc, uint32_t unit)
{
	int ok = oc->last == FGK_UNIT_NONE || unit >= oc->last;

	oc->last = unit;
	return ok;
}

/*
 * Owner of the next entry (keys must not decrease), checked against the
 * rules above. Returns 0, or -1 if the entry breaks one.
 */
int fgk_owner_check_next(struct fgk_owner_check *oc, uint32_t entry,
			 int64_t key, uint32_t *owner)
{
	uint32_t unit = fgk_owner_next(&oc->it, entry, key);
	int ok;

	if (unit == FGK_UNIT_NONE)
		ok = unowned_ok(&oc->regions, key);
	else
		ok = key_in_unit(&oc->map->units[unit], key) && run_ok(oc, unit);
	*owner = unit;
	return ok ? 0 : -1;
}
