/* verify_target.c: what an address field of IN points at, and where OUT should have that target. */
#include "verify.h"

/*
 * The address alone usually says: the unit holding it moves it (for code,
 * S + A, not S). Where it cannot (region padding, one past a unit's end,
 * outside the image, a region's start), IN's relocation at the field
 * (--emit-relocs) decides as the map should have: by its symbol.
 */

/* A 32-bit base relocation without an xref: 32S in a kernel linked in the top 2 GiB. */
static bool sign_extends(const struct verify *v, const struct field *f)
{
	if (f->xkind)
		return f->xkind == FGK_XREF_ABS32S;
	return v->in.link_base >= 0xffffffff80000000ull;
}

bool field_is_abs(const struct field *f)
{
	if (f->xkind)
		return f->xkind >= FGK_XREF_ABS64;
	return f->rkind == FGK_RELOC_ABS64 || f->rkind == FGK_RELOC_ABS32;
}

uint64_t field_addr(const struct verify *v, const struct field *f, const uint8_t *at)
{
	uint64_t val = get_le(at, f->size);

	if (f->size == 4 && sign_extends(v, f))
		val = (uint64_t)(int64_t)(int32_t)val;
	return val;
}

uint32_t field_hint(const struct field *f)
{
	return f->xkind && f->tunit != FGK_UNIT_NONE ? f->tunit : NO_UNIT;
}

/*
 * An address at a region's start may name the region (a linker-script
 * marker: _stext, the end of a fixed range before it), not the unit that
 * happens to start there: then it keeps its value. IN's relocation says
 * which: a NOTYPE symbol names the region, a function or object the unit;
 * without a named symbol, the map's word (no target unit) decides.
 *
 * Likewise a fixed label plus an addend (PFN_ALIGN(_text) is computed as
 * _text + 0xfff, then masked) keeps its value wherever the sum lands, as
 * fgk-mkmap decides for a linker-script marker: when the map agrees (no
 * target unit), the field stays with its symbol.
 */
bool marker_kept(const struct verify *v, const struct field *f, uint64_t in_addr, uint64_t out_addr)
{
	uint64_t off = elfimg_off(&v->in, in_addr);
	const struct fgk_region *r = off == ELFIMG_NO_OFF ? NULL : region_at(&v->map, off);

	if (!f || out_addr != in_addr + base_move(v, in_addr))
		return false;
	if (f->named && f->sym_label && f->sym_unit == UNIT_STAYS &&
	    (!f->xkind || f->tunit == FGK_UNIT_NONE))
		return true;
	if (!r || r->start != off)
		return false;
	if (f->named)
		return f->sym_label;
	return !f->xkind || f->tunit == FGK_UNIT_NONE;
}

uint32_t target_hint(const struct verify *v, const struct field *f, uint64_t target, uint32_t dflt)
{
	uint64_t off = elfimg_off(&v->in, target);

	if (f->sym_unit == NO_UNIT || off == ELFIMG_NO_OFF || unit_at(&v->map, off) != NO_UNIT)
		return dflt;	/* inside a unit the address decides, not the symbol */
	if (in_padding(v, off) || unit_ending_at(&v->map, off) != NO_UNIT)
		return f->sym_unit;
	return dflt;
}

/*
 * As relocs.c decides: by the symbol, not the value, which need not be an
 * address in the image (_text - __START_KERNEL_map, page table entries).
 */
int64_t field_base(const struct verify *v, const struct field *f)
{
	if (f->sym_base < 0)
		return BASE_OF_ADDR;
	return f->sym_base ? v->base_delta : 0;
}

/*
 * A value outside the image computed from a symbol of a moved unit (a
 * physical address, __pa_symbol(f) = f - __START_KERNEL_map) moves with it.
 */
static bool outside_follows(const struct verify *v, const struct field *f, uint64_t in_addr,
			    uint64_t *want)
{
	if (f->sym_unit >= v->map.hdr->nr_units || elfimg_off(&v->in, in_addr) != ELFIMG_NO_OFF)
		return false;
	int64_t base = field_base(v, f);
	*want = in_addr + unit_move(v, f->sym_unit) + (base == BASE_OF_ADDR ? base_move(v, in_addr) : base);
	return true;
}

const char *abs_expected(const struct verify *v, const struct field *f, uint64_t in_addr)
{
	static char b[200];
	uint64_t want;

	if (!outside_follows(v, f, in_addr, &want))
		return expected_name(v, in_addr, target_hint(v, f, in_addr, field_hint(f)),
				     field_base(v, f));
	snprintf(b, sizeof(b), "%#" PRIx64 " (outside the image, computed from a symbol of unit %u)",
		 want, f->sym_unit);
	return b;
}

/* An absolute address field: OUT must hold where IN's target went. */
bool abs_field_ok(struct verify *v, const struct field *f, uint64_t *in_addr, uint64_t *out_addr)
{
	uint64_t want;

	*in_addr = field_addr(v, f, v->in.image + f->site);
	*out_addr = field_addr(v, f, v->out.image + out_off(v, f->site));
	if (outside_follows(v, f, *in_addr, &want))
		return *out_addr == want;
	return addr_matches(v, *in_addr, target_hint(v, f, *in_addr, field_hint(f)), field_base(v, f),
			    *out_addr) ||
	       marker_kept(v, f, *in_addr, *out_addr);
}

/*
 * The map's target unit must hold the target (or end at it); in region
 * padding it must be the unit of IN's relocation symbol, if named.
 */
const char *hint_problem(const struct verify *v, const struct field *f, uint64_t target)
{
	static char b[400];
	uint64_t off = elfimg_off(&v->in, target);

	if (!f->xkind || f->tunit == FGK_UNIT_NONE || off == ELFIMG_NO_OFF)
		return NULL;
	const struct fgk_unit *u = &v->map.units[f->tunit];
	if (in_padding(v, off)) {
		if (f->sym_unit == NO_UNIT || f->sym_unit == f->tunit)
			return NULL;
	} else if (off >= u->offset && off <= (uint64_t)u->offset + u->size) {
		return NULL;
	}
	snprintf(b, sizeof(b), "xref target unit %u [%s, +%#x) does not hold target %s",
		 f->tunit, offname(v, &v->in, u->offset), u->size, symname(v, &v->in, target));
	return b;
}
