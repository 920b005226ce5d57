/* xref.c: fix every xref in place, at its original site, before the units move. */
#include "fgk_internal.h"

/*
 * With dS, dT the moves of the site's and the target's units (0 if none):
 *   PC32, PC64:            field += dT - dS   (both ends may move)
 *   ABS64, ABS32, ABS32S:  field += dT        (base delta: reloc.c)
 * fgk_map_check guarantees the 32-bit results fit. The site's unit comes from
 * the walk cursor, as xrefs are sorted by site; the target's from the map
 * or, for most, from the unit index at the address the field points at.
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

/* The unit a reference's target lies in: stored, or where its field points. */
static uint32_t target_unit(const struct fgk_map *map, const struct fgk_unit_index *ix,
			    const struct fgk_ref *r, const uint8_t *field)
{
	if (r->code == FGK_CODE_PC32_INSN)	/* most: call, jmp, RIP-relative operand */
		return fgk_unit_index_find(ix, (int64_t)r->site + 4 + (int32_t)fgk_rd32(field));
	if (r->code == FGK_CODE_STORED)
		return r->target;
	return fgk_unit_index_find(ix, fgk_xref_pointee(map, r->code, r->site, field));
}

/* Any reference, as decoded by the cursor. */
static void fix_ref(const struct fgk_plan *plan, const struct fgk_unit_index *ix,
		    uint8_t *image, struct fgk_walk *walk, const struct fgk_ref *r)
{
	const struct fgk_map *map = plan->map;
	uint32_t site_unit = fgk_walk_unit(walk, r->site);

	/* a field past the image's end: only in a map fgk_map_check refuses */
	if ((uint64_t)r->site + fgk_xref_width(r->kind) <= map->hdr->image_size)
		fix_field(image + r->site, r->kind, fgk_unit_delta(plan, site_unit),
			  fgk_unit_delta(plan, target_unit(map, ix, r, image + r->site)));
}

/*
 * Each field is read (for its target) and written once, before the units
 * move: the values are still those of the link. Most references are a
 * call, jmp or RIP-relative operand one short site gap after the last:
 * those are decoded and fixed here with the cursor's state in locals;
 * any other goes through the cursor (fgk_xref_next) and fix_ref.
 */
uint32_t fgk_fix_xrefs(const struct fgk_plan *plan, uint8_t *image)
{
	const struct fgk_map *map = plan->map;
	uint64_t image_size = map->hdr->image_size;
	struct fgk_unit_index ix;
	struct fgk_xref_cursor c;
	struct fgk_walk walk;
	struct fgk_ref r;

	fgk_walk_init(&walk, map);
	fgk_unit_index_build(&ix, map, (uint32_t *)plan->work);
	fgk_xref_cursor_init(&c, map);
	const uint8_t *codes = c.codes, *at = c.at, *end = c.end;
	uint64_t site = c.site;
	uint32_t index = c.index, n = c.nr_codes;

	while (index < n) {
		uint32_t code = (codes[index / 2] >> (4 * (index % 2))) & 0xf;

		if (code == FGK_CODE_PC32_INSN && at < end && !(*at & 0x80) &&
		    site + 0x7f + 4 <= image_size) {
			uint8_t *field;
			uint32_t v;

			site += *at++;
			index++;
			field = image + site;
			v = fgk_rd32(field);
			/* two deltas of up to a region each: their difference in 64 bits */
			fgk_wr32(field, v + (uint32_t)((int64_t)fgk_unit_delta(plan,
					fgk_unit_index_find(&ix, (int64_t)site + 4 + (int32_t)v)) -
				 fgk_unit_delta(plan, fgk_walk_unit(&walk, (int64_t)site))));
			continue;
		}
		c.at = at;
		c.site = site;
		c.index = index;
		if (!fgk_xref_next(&c, &r))
			break;
		fix_ref(plan, &ix, image, &walk, &r);
		at = c.at;
		site = c.site;
		index = c.index;
	}
	return map->hdr->nr_xrefs;
}
