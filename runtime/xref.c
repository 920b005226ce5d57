/* xref.c: fix every xref in place, at its original site, before the units move. */
#include "fgk_internal.h"

/*
 * With dS, dT the moves of the site's and the target's units (0 if none):
 *   PC32, PC64:            field += dT - dS   (both ends may move)
 *   ABS64, ABS32, ABS32S:  field += dT        (base delta: reloc.c)
 * Validation guarantees the 32-bit results fit. The site's unit comes from
 * the walk cursor, as xrefs are sorted by site.
 */
static void fix_field(uint8_t *field, uint32_t kind, int64_t d_site, int64_t d_target)
{
	switch (kind) {
	case FGK_XREF_PC32:
		fgk_wr32(field, fgk_rd32(field) + (uint32_t)(d_target - d_site));
		break;
	case FGK_XREF_PC64:
		fgk_wr64(field, fgk_rd64(field) + (uint64_t)(d_target - d_site));
		break;
	case FGK_XREF_ABS64:
		fgk_wr64(field, fgk_rd64(field) + (uint64_t)d_target);
		break;
	default:	/* ABS32, ABS32S: the same 32-bit addition */
		fgk_wr32(field, fgk_rd32(field) + (uint32_t)d_target);
		break;
	}
}

uint32_t fgk_fix_xrefs(const struct fgk_plan *plan, uint8_t *image)
{
	const struct fgk_map *map = plan->map;
	struct fgk_walk walk;

	fgk_walk_init(&walk, map);
	for (uint32_t i = 0; i < map->hdr->nr_xrefs; i++) {
		const struct fgk_xref *x = &map->xrefs[i];
		uint32_t site_unit = fgk_walk_unit(&walk, x->site);

		fix_field(image + x->site, FGK_XREF_KIND(x->info),
			  fgk_unit_delta(plan, site_unit),
			  fgk_unit_delta(plan, FGK_XREF_UNIT(x->info)));
	}
	return map->hdr->nr_xrefs;
}
