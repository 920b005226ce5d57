/* loader_corrupt.c: break one xref of a map (and reseal it) for the tests that must fail. */
#include "e2e_util.h"
#include "map_write.h"
#include "loader.h"

/*
 * The t-th corruption takes an xref spread across the whole array that
 * has a target unit and points it at the unit half the units away, so the
 * checksum is right but the fix-up uses the wrong unit's move.
 */
unsigned corrupt_xref(struct image *img, unsigned t)
{
	struct fgk_map map;
	int err = fgk_map_open(&map, img->map_buf, img->map_size, img->pristine, img->size);
	uint32_t nr_xrefs, nr_units;

	if (err)
		die("%s: map does not open before corruption: %s", img->elf.path, fgk_strerror(err));
	nr_xrefs = map.hdr->nr_xrefs;
	nr_units = map.hdr->nr_units;
	if (!nr_xrefs || nr_units < 2)
		die("%s: no xrefs or units to corrupt", img->elf.path);
	for (uint32_t k = 0; k < nr_xrefs; k++) {
		uint32_t x = (uint32_t)(((uint64_t)t * 7919 + k) % nr_xrefs);
		struct fgk_xref *xr = (struct fgk_xref *)&map.xrefs[x];
		uint32_t unit = FGK_XREF_UNIT(xr->info);

		if (unit == FGK_UNIT_NONE)
			continue;
		xr->info = FGK_XREF_INFO(FGK_XREF_KIND(xr->info), (unit + nr_units / 2) % nr_units);
		fgk_map_reseal(img->map_buf);
		return x;
	}
	die("%s: no xref has a target unit", img->elf.path);
}
