/* check_xrefs.c: (fgk_map_check) each xref inside one unit, off the rewritten arrays, fitting. */
#include "fgk_internal.h"

/*
 * A unit moves within its region: by dU in [region start - offset,
 * region end - size - offset] (0 for fixed code). A field's new value is
 * v + dT (ABS32, ABS32S) or v + dT - dS (PC32), T the target unit and S
 * the site's; a target the runtime finds from the field moves as far as
 * the byte it points at can. Each field is checked against the extremes here, so that a
 * layout can never make fgk_shuffle fail half-way. (Checking against
 * twice the largest region instead refuses real kernels: a PC32 from text
 * to a per-CPU symbol at 0 is about 2^31 - 2^24, and a large kernel's text
 * region is more than 8 MiB, though its sites can only move within it.)
 */

static int is_pc(uint32_t kind)
{
	return kind == FGK_XREF_PC32 || kind == FGK_XREF_PC64;
}

struct xref_walk {
	struct fgk_locator loc;
	struct fgk_guard guard;
	uint64_t prev_end;
	uint32_t site_unit;	/* of the xref just checked */
	uint32_t site_region;	/* cursor: the region of the site units, which only grow */
};

static void reach_in(const struct fgk_region *r, const struct fgk_unit *u, int64_t *lo, int64_t *hi)
{
	*lo = (int64_t)r->start - u->offset;
	*hi = (int64_t)r->end - u->size - u->offset;
}

/* [*lo, *hi]: how far `unit` can move (regions are checked and sorted by then). */
static void unit_reach(const struct fgk_map *map, uint32_t unit, int64_t *lo, int64_t *hi)
{
	uint32_t a = 0, b = map->hdr->nr_regions;
	const struct fgk_region *r;
	const struct fgk_unit *u;

	*lo = *hi = 0;
	if (unit == FGK_UNIT_NONE)
		return;
	while (a < b) {		/* the first region ending after `unit` */
		uint32_t mid = a + (b - a) / 2;

		if (map->regions[mid].first_unit + map->regions[mid].nr_units <= unit)
			a = mid + 1;
		else
			b = mid;
	}
	r = &map->regions[a];
	u = &map->units[unit];
	reach_in(r, u, lo, hi);
}

/*
 * [*lo, *hi]: how far the byte at `off` can move. Whichever unit holds it
 * (the runtime looks that up), it stays inside its region; outside every
 * unit it does not move at all, which lies within the same bounds.
 */
static void addr_reach(const struct fgk_map *map, int64_t off, int64_t *lo, int64_t *hi)
{
	uint32_t r = fgk_region_find(map, off);

	*lo = *hi = 0;
	if (r == FGK_UNIT_NONE)
		return;
	*lo = (int64_t)map->regions[r].start - off;
	*hi = (int64_t)map->regions[r].end - 1 - off;
}

/* The reference's own shape: target, place in the image and units. */
static int xref_ok(struct xref_walk *xw, const struct fgk_map *map, const struct fgk_ref *r)
{
	uint32_t width = fgk_xref_width(r->kind), site_unit;

	if (r->site < xw->prev_end || (uint64_t)r->site + width > map->hdr->image_size)
		return 0;
	if (r->target != FGK_UNIT_NONE && r->target >= map->hdr->nr_units)
		return 0;
	site_unit = fgk_locate_field(&xw->loc, r->site, width);
	if (site_unit == FGK_WALK_BAD)
		return 0;
	if (r->code == FGK_CODE_STORED &&
	    ((site_unit == FGK_UNIT_NONE && r->target == FGK_UNIT_NONE) ||
	     (is_pc(r->kind) && site_unit == r->target)))
		return 0;	/* a stored reference that could never change */
	xw->site_unit = site_unit;
	xw->prev_end = (uint64_t)r->site + width;
	return !fgk_guard_hit(&xw->guard, r->site, width);
}

/* The field's new value stays in [v + lo, v + hi] whatever the layout: does it fit? */
static int field_fits(struct xref_walk *xw, const struct fgk_map *map, const struct fgk_ref *r,
		      uint32_t site_unit, const uint8_t *field)
{
	int64_t lo, hi, slo, shi, far = 2 * (int64_t)map->max_region_size;

	if (r->kind != FGK_XREF_PC32 && r->kind != FGK_XREF_ABS32S && r->kind != FGK_XREF_ABS32)
		return 1;	/* 64-bit fields take any move within the image */
	/*
	 * Site and target each move less than the largest region: a value
	 * that far from the limits fits whatever the layout (most fields).
	 */
	if (r->kind == FGK_XREF_ABS32 ? (int64_t)fgk_rd32(field) - far >= 0 &&
					(int64_t)fgk_rd32(field) + far <= (int64_t)UINT32_MAX
				      : fgk_fits_s32((int32_t)fgk_rd32(field), far))
		return 1;
	if (r->code == FGK_CODE_STORED)
		unit_reach(map, r->target, &lo, &hi);
	else
		addr_reach(map, fgk_xref_pointee(map, r->code, r->site, field), &lo, &hi);
	if (r->kind == FGK_XREF_PC32 && site_unit == FGK_UNIT_NONE) {
		slo = shi = 0;
	} else if (r->kind == FGK_XREF_PC32) {
		uint32_t region = fgk_region_of_unit(map, &xw->site_region, site_unit);

		reach_in(&map->regions[region], &map->units[site_unit], &slo, &shi);
		lo -= shi;
		hi -= slo;
	}
	if (r->kind == FGK_XREF_ABS32)
		return (int64_t)fgk_rd32(field) + lo >= 0 &&
		       (int64_t)fgk_rd32(field) + hi <= (int64_t)UINT32_MAX;
	return (int64_t)(int32_t)fgk_rd32(field) + lo >= INT32_MIN &&
	       (int64_t)(int32_t)fgk_rd32(field) + hi <= INT32_MAX;
}

/* The values seen, reported in fgk_map (the check is field_fits). */
static void record_bounds(struct fgk_map *map, uint32_t kind, const uint8_t *field)
{
	int64_t s = (int32_t)fgk_rd32(field);
	uint32_t u = fgk_rd32(field);

	if (kind == FGK_XREF_PC32) {
		map->pc32_min = s < map->pc32_min ? s : map->pc32_min;
		map->pc32_max = s > map->pc32_max ? s : map->pc32_max;
	} else if (kind == FGK_XREF_ABS32S) {
		map->abs32s_min = s < map->abs32s_min ? s : map->abs32s_min;
		map->abs32s_max = s > map->abs32s_max ? s : map->abs32s_max;
	} else if (kind == FGK_XREF_ABS32) {
		map->abs32_max = u > map->abs32_max ? u : map->abs32_max;
	}
}

/* Kinds with no xref report [0, 0], not the empty-range sentinels. */
static void tidy_bounds(struct fgk_map *map)
{
	if (map->pc32_min > map->pc32_max)
		map->pc32_min = map->pc32_max = 0;
	if (map->abs32s_min > map->abs32s_max)
		map->abs32s_min = map->abs32s_max = 0;
}

int fgk_check_xrefs(struct fgk_map *map, const uint8_t *image)
{
	struct fgk_xref_cursor c;
	struct xref_walk xw;
	struct fgk_ref r;
	int ok = 1;

	xw.prev_end = 0;
	xw.site_region = 0;
	fgk_locator_init(&xw.loc, map);
	fgk_guard_init(&xw.guard, map);
	fgk_xref_cursor_init(&c, map);
	map->pc32_min = map->abs32s_min = INT64_MAX;
	map->pc32_max = map->abs32s_max = INT64_MIN;
	map->abs32_max = 0;
	for (uint32_t i = 0; i < map->hdr->nr_xrefs; i++) {
		if (!fgk_xref_next(&c, &r) || !xref_ok(&xw, map, &r))
			return FGK_E_XREF;
		record_bounds(map, r.kind, image + r.site);
		if (!field_fits(&xw, map, &r, xw.site_unit, image + r.site))
			ok = 0;
	}
	if (c.at != c.end)
		return FGK_E_XREF;	/* bytes left over: the count is wrong */
	tidy_bounds(map);
	return ok ? FGK_OK : FGK_E_OVERFLOW;
}
