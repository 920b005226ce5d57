/* validate_xref.c: xrefs well-formed, and every fixed field still fits whatever the layout. */
#include "fgk_internal.h"

/*
 * An xref's field moves by at most one region's size in either direction
 * (dT) and, for PC-relative fields, its site by as much again (dS). The
 * bounds are checked here, against the largest region, so that a layout
 * can never make fgk_shuffle fail half-way.
 */

static uint32_t field_width(uint32_t kind)
{
	return kind == FGK_XREF_PC64 || kind == FGK_XREF_ABS64 ? 8 : 4;
}

static int is_pc(uint32_t kind)
{
	return kind == FGK_XREF_PC32 || kind == FGK_XREF_PC64;
}

/* v +- slack fits in an s32. */
int fgk_fits_s32(int64_t v, int64_t slack)
{
	return v - slack >= INT32_MIN && v + slack <= INT32_MAX;
}

struct xref_walk {
	struct fgk_locator loc;
	struct fgk_guard guard;
	uint64_t prev_end;
	uint64_t abs32_min;	/* fgk_map keeps only the max */
};

/* The xref's own shape: kind, target, place in the image and units. */
static int xref_ok(struct xref_walk *xw, const struct fgk_map *map,
		   const struct fgk_xref *x)
{
	uint32_t kind = FGK_XREF_KIND(x->info), target = FGK_XREF_UNIT(x->info);
	uint32_t width = field_width(kind), site_unit;

	if (kind < FGK_XREF_PC32 || kind > FGK_XREF_KIND_MAX)
		return 0;
	if (x->site < xw->prev_end || (uint64_t)x->site + width > map->hdr->image_size)
		return 0;
	if (target != FGK_UNIT_NONE && target >= map->hdr->nr_units)
		return 0;
	site_unit = fgk_locate_field(&xw->loc, x->site, width);
	if (site_unit == FGK_WALK_BAD || (site_unit == FGK_UNIT_NONE && target == FGK_UNIT_NONE))
		return 0;
	if (is_pc(kind) && site_unit == target)
		return 0;
	xw->prev_end = (uint64_t)x->site + width;
	return !fgk_guard_hit(&xw->guard, x->site, width);
}

static void record_bounds(struct xref_walk *xw, struct fgk_map *map,
			  uint32_t kind, const uint8_t *field)
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
		xw->abs32_min = u < xw->abs32_min ? u : xw->abs32_min;
	}
}

/* Layout-independent overflow check; an empty kind keeps min > max. */
static int bounds_ok(const struct fgk_map *map, uint64_t abs32_min)
{
	int64_t m = map->max_region_size;

	if (map->pc32_min <= map->pc32_max &&
	    (!fgk_fits_s32(map->pc32_min, 2 * m) || !fgk_fits_s32(map->pc32_max, 2 * m)))
		return 0;
	if (map->abs32s_min <= map->abs32s_max &&
	    (!fgk_fits_s32(map->abs32s_min, m) || !fgk_fits_s32(map->abs32s_max, m)))
		return 0;
	if (abs32_min <= map->abs32_max &&
	    (abs32_min < (uint64_t)m || map->abs32_max + m > UINT32_MAX))
		return 0;
	return 1;
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
	struct xref_walk xw;
	int ok;

	xw.prev_end = 0;
	xw.abs32_min = UINT64_MAX;
	fgk_locator_init(&xw.loc, map);
	fgk_guard_init(&xw.guard, map);
	map->pc32_min = map->abs32s_min = INT64_MAX;
	map->pc32_max = map->abs32s_max = INT64_MIN;
	map->abs32_max = 0;
	for (uint32_t i = 0; i < map->hdr->nr_xrefs; i++) {
		const struct fgk_xref *x = &map->xrefs[i];

		if (!xref_ok(&xw, map, x))
			return FGK_E_XREF;
		record_bounds(&xw, map, FGK_XREF_KIND(x->info), image + x->site);
	}
	ok = bounds_ok(map, xw.abs32_min);
	tidy_bounds(map);
	return ok ? FGK_OK : FGK_E_OVERFLOW;
}
