/* loader_corrupt.c: break one xref or table owner of a map (and reseal it) for the tests that must fail. */
#include <stdlib.h>

#include "e2e_util.h"
#include "map_write.h"
#include "loader.h"

/*
 * The t-th corruption takes an xref spread across the whole array that
 * has a target unit and points it at the unit half the units away, so the
 * checksum is right but the fix-up uses the wrong unit's move.
 */
static void open_map(struct image *img, struct fgk_map *map)
{
	int err = open_image_map(img, map, img->pristine);

	if (err)
		die("%s: map does not open before corruption: %s", img->elf.path, fgk_strerror(err));
	if (map->hdr->nr_units < 2)
		die("%s: too few units to corrupt", img->elf.path);
}

static uint32_t far_unit(const struct fgk_map *map, uint32_t unit)
{
	return unit == FGK_UNIT_NONE ? 0 : (unit + map->hdr->nr_units / 2) % map->hdr->nr_units;
}

/*
 * The map built again with these xrefs and overrides (NULL: the map's
 * own): a stored target where one is wrong, a changed owner.
 */
static void rebuild_map(struct image *img, const struct fgk_xref *xrefs,
			const struct fgk_override *ov)
{
	struct fgk_map_parts p = fgk_map_parts_of(img->map_buf);
	struct fgk_xref *own_xrefs = xrefs ? NULL : fgk_xrefs_decode(img->map_buf, img->pristine,
								      img->size);
	struct fgk_override *own_ov = ov ? NULL : fgk_overrides_decode(img->map_buf);
	struct fgk_unit *units = fgk_units_decode(img->map_buf);
	size_t size;
	void *map;

	p.units = units;
	p.xrefs = xrefs ? xrefs : own_xrefs;
	p.overrides = ov ? ov : own_ov;
	p.image = img->pristine;
	if (!p.units || !p.xrefs || !p.overrides)
		die("%s: cannot decode the map", img->elf.path);
	map = fgk_map_build(&p, &size);
	if (!map)
		die("out of memory");
	free(img->map_buf);
	img->map_buf = map;
	img->map_size = size;
	free(own_xrefs);
	free(own_ov);
	free(units);
}

unsigned corrupt_xref(struct image *img, unsigned t)
{
	struct fgk_map map;
	struct fgk_xref *xrefs;

	open_map(img, &map);
	xrefs = fgk_xrefs_decode(img->map_buf, img->pristine, img->size);
	if (!xrefs)
		die("%s: cannot decode the xrefs", img->elf.path);
	for (uint32_t k = 0; k < map.hdr->nr_xrefs; k++) {
		uint32_t x = (uint32_t)(((uint64_t)t * 7919 + k) % map.hdr->nr_xrefs);
		uint32_t unit = FGK_XREF_UNIT(xrefs[x].info);

		if (unit == FGK_UNIT_NONE)
			continue;
		xrefs[x].info = FGK_XREF_INFO(FGK_XREF_KIND(xrefs[x].info), far_unit(&map, unit));
		rebuild_map(img, xrefs, NULL);
		free(xrefs);
		return x;
	}
	die("%s: no xref has a target unit", img->elf.path);
}

/*
 * Overrides name the owners of table and symtab entries the half-open rule
 * gets wrong (ORC terminators one past their unit): a wrong owner moves
 * the entry with the wrong unit, which the table checks must notice.
 */
unsigned corrupt_override(struct image *img, unsigned t)
{
	struct fgk_map map;
	struct fgk_override *ov;

	open_map(img, &map);
	if (!map.hdr->nr_overrides)
		die("%s: the map has no overrides", img->elf.path);
	uint32_t o = (uint32_t)(((uint64_t)t * 7919) % map.hdr->nr_overrides);

	ov = fgk_overrides_decode(img->map_buf);
	if (!ov)
		die("%s: cannot decode the overrides", img->elf.path);
	/*
	 * Odd t: a far unit. Even t: the unit the half-open rule would pick
	 * (the next one for a terminator), as if the override were missing.
	 */
	if (t % 2 || ov[o].unit == FGK_UNIT_NONE)
		ov[o].unit = far_unit(&map, ov[o].unit);
	else
		ov[o].unit = (ov[o].unit + 1) % map.hdr->nr_units;
	rebuild_map(img, NULL, ov);
	free(ov);
	return o;
}
