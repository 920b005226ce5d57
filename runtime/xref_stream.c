/* xref_stream.c: decode the map's xrefs one at a time, and the address a field points at. */
#include "fgk_internal.h"

void fgk_xref_cursor_init(struct fgk_xref_cursor *c, const struct fgk_map *map)
{
	c->codes = map->xrefs;
	c->nr_codes = map->hdr->nr_xrefs;
	c->index = 0;
	c->at = map->xrefs + (map->hdr->nr_xrefs + 1ull) / 2;
	c->end = c->at + map->hdr->xref_bytes;
	c->site = 0;
}

static const uint8_t code_kind[FGK_CODE_ABS32S + 1] = {
	[FGK_CODE_PC32_INSN] = FGK_XREF_PC32,
	[FGK_CODE_PC32_SELF] = FGK_XREF_PC32,
	[FGK_CODE_ABS64] = FGK_XREF_ABS64,
	[FGK_CODE_ABS32S] = FGK_XREF_ABS32S,
};

/* The stored form's second word: kind and target unit + 1. */
static int read_stored(struct fgk_xref_cursor *c, struct fgk_ref *r)
{
	uint64_t w;

	if (!fgk_read_uleb(&c->at, c->end, 64, &w))
		return 0;
	r->kind = (uint32_t)(w & FGK_STORED_KIND_MASK);
	w >>= FGK_STORED_KIND_BITS;
	if (r->kind < FGK_XREF_PC32 || r->kind > FGK_XREF_KIND_MAX || w > FGK_UNIT_NONE)
		return 0;
	r->target = w ? (uint32_t)(w - 1) : FGK_UNIT_NONE;
	return 1;
}

/*
 * fgk_xref_next() (fgk_internal.h) without its shortcut: any code, any
 * word. 0 past the last reference or if it is malformed (a bad code or
 * kind, a site past 4 GiB). Sites only grow; the caller checks the rest.
 */
int fgk_xref_next_slow(struct fgk_xref_cursor *c, struct fgk_ref *r)
{
	uint64_t w;

	if (c->index >= c->nr_codes)
		return 0;
	if (!fgk_read_uleb(&c->at, c->end, 64, &w))
		return 0;
	r->code = (c->codes[c->index / 2] >> (4 * (c->index % 2))) & 0xf;
	c->index++;
	if (w > UINT32_MAX - c->site)
		return 0;
	c->site += w;
	r->site = (uint32_t)c->site;
	if (r->code == FGK_CODE_STORED)
		return read_stored(c, r);
	if (r->code > FGK_CODE_ABS32S)
		return 0;
	r->kind = code_kind[r->code];
	r->target = FGK_UNIT_NONE;
	return 1;
}

/*
 * The image offset D a derived reference's field points at (see
 * fgk_map.h), from the field's value before any fix. Far or negative
 * addresses come out as FGK_OFF_FAR or -1: no unit holds them.
 */
int64_t fgk_xref_pointee(const struct fgk_map *map, uint32_t code, uint32_t site,
			 const uint8_t *field)
{
	switch (code) {
	case FGK_CODE_PC32_INSN:
		return (int64_t)site + 4 + (int32_t)fgk_rd32(field);
	case FGK_CODE_PC32_SELF:
		return (int64_t)site + (int32_t)fgk_rd32(field);
	case FGK_CODE_ABS64:
		return fgk_addr_offset(map, fgk_rd64(field));
	default:	/* FGK_CODE_ABS32S */
		return fgk_addr_offset(map, (uint64_t)(int64_t)(int32_t)fgk_rd32(field));
	}
}
