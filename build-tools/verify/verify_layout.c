/* verify_layout.c: find where each unit went, check the new layout (regions, alignment, int3 gaps) and the ELF symbols. */
#include <stdlib.h>
#include <string.h>

#include "verify.h"

static int64_t sym_base_delta(const struct verify *v, const struct elfimg_sym *s)
{
	return elfimg_follows_base(&v->in, s->img_off) ? v->base_delta : 0;
}

/* A unit's new offset as its symbol `i` says, or -1. */
static int64_t new_offset_from(const struct verify *v, uint32_t u, size_t i)
{
	const struct elfimg_sym *s = &v->in.syms[i], *o = &v->out.syms[i];

	if (o->img_off == ELFIMG_NO_OFF)
		return -1;
	return (int64_t)o->img_off - (int64_t)(s->img_off - v->map.units[u].offset);
}

/* Units with code get their move from their first sized function, the rest from any symbol. */
static void moves_from_symbols(struct verify *v, bool funcs_only)
{
	for (size_t i = 1; i < v->in.nr_syms; i++) {
		const struct elfimg_sym *s = &v->in.syms[i];
		if (funcs_only && (s->type != STT_FUNC || !s->size))
			continue;
		uint32_t u = unit_of_symbol(&v->map, s);
		if (u != NO_UNIT && v->unit_new[u] < 0)
			v->unit_new[u] = new_offset_from(v, u, i);
	}
}

/*
 * What OUT should hold in field f if the unit holding it sat at `at`: the
 * map's arithmetic (PC: += dT - dS, ABS: += dT, base relocs: +-base).
 * Only for fields whose target unit is already placed; else it matches.
 */
static bool field_fits(const struct verify *v, const struct field *f, int64_t move)
{
	int64_t dt = 0, in = f->size == 8 ? (int64_t)get_le(v->in.image + f->site, 8)
					  : (int32_t)get_le(v->in.image + f->site, 4);
	uint64_t mask = f->size == 8 ? ~0ull : 0xffffffffull;

	if (f->xkind && f->tunit != FGK_UNIT_NONE) {
		if (v->unit_new[f->tunit] < 0)
			return true;
		dt = v->unit_new[f->tunit] - (int64_t)v->map.units[f->tunit].offset;
	}
	int64_t want = in + dt;
	if (f->xkind == FGK_XREF_PC32 || f->xkind == FGK_XREF_PC64)
		want -= move;
	else if (f->rkind == FGK_RELOC_INV32)
		want -= v->base_delta;
	else if (f->rkind != FGK_NR_RELOC_KINDS)
		want += v->base_delta;
	uint64_t got = get_le(v->out.image + f->site + move, f->size);
	return ((uint64_t)want & mask) == got;
}

/* Whether OUT holds unit u, moved to `at`: its plain bytes and its fields. */
static bool unit_fits_at(const struct verify *v, uint32_t u, uint64_t at)
{
	const struct fgk_unit *un = &v->map.units[u];
	int64_t move = (int64_t)at - un->offset;

	for (uint32_t k = 0; k < un->size; k++)
		if (v->kind[un->offset + k] == BYTE_PLAIN &&
		    v->in.image[un->offset + k] != v->out.image[at + k])
			return false;
	for (uint32_t k = 0; k < un->size; k++) {
		const struct field *f = v->kind[un->offset + k] == BYTE_FIELD ?
			field_at(v, un->offset + k) : NULL;
		if (f && !field_fits(v, f, move))
			return false;
	}
	return true;
}

/* OUT bytes of region r already claimed by a placed unit (built once per region). */
static void claim_all(const struct verify *v, const struct fgk_region *r, uint8_t *taken)
{
	for (uint32_t k = 0; k < r->nr_units; k++) {
		const struct fgk_unit *un = &v->map.units[r->first_unit + k];
		int64_t at = v->unit_new[r->first_unit + k];
		if (at >= r->start && at + un->size <= r->end)
			memset(taken + (at - r->start), 1, un->size);
	}
}

/* Whether unit u can sit at OUT offset `at`: aligned, unclaimed, and its bytes and fields there. */
static bool fits(const struct verify *v, uint32_t u, const struct fgk_region *r,
		 const uint8_t *taken, int64_t at)
{
	const struct fgk_unit *un = &v->map.units[u];

	return at >= r->start && at + un->size <= r->end && !(at & (un->align - 1)) &&
	       !memchr(taken + (at - r->start), 1, un->size) && unit_fits_at(v, u, at);
}

/*
 * Where a data field that the map says points into unit u puts it in OUT:
 * OUT's value, less the target's offset in u. -1 if the field says nothing.
 */
static int64_t place_by_field(const struct verify *v, const struct field *f, uint32_t u)
{
	if (!f->xkind || f->tunit != u || unit_at(&v->map, f->site) != NO_UNIT ||
	    in_code(v, f->site))
		return -1;
	bool pc = f->xkind == FGK_XREF_PC32 || f->xkind == FGK_XREF_PC64;
	uint64_t ti = field_addr(v, f, v->in.image + f->site);
	uint64_t to = field_addr(v, f, v->out.image + f->site);
	if (pc) {
		int64_t vi = f->size == 8 ? (int64_t)ti : (int32_t)ti;
		int64_t vo = f->size == 8 ? (int64_t)to : (int32_t)to;
		ti = elfimg_addr(&v->in, f->site) + vi;
		to = elfimg_addr(&v->out, f->site) + vo;
	}
	uint64_t oi = elfimg_off(&v->in, ti), oo = elfimg_off(&v->out, to);
	if (oi == ELFIMG_NO_OFF || oo == ELFIMG_NO_OFF || oi < v->map.units[u].offset)
		return -1;
	return (int64_t)oo - (int64_t)(oi - v->map.units[u].offset);
}

/* Place unit u at `at` if it fits there. */
static bool try_place(struct verify *v, uint32_t u, const struct fgk_region *r, uint8_t *taken,
		      int64_t at)
{
	if (at < 0 || !fits(v, u, r, taken, at))
		return false;
	v->unit_new[u] = at;
	memset(taken + (at - r->start), 1, v->map.units[u].size);
	return true;
}

/*
 * A unit without symbols (fixup code, an overridden weak function): look
 * for it in the unclaimed space of its region of OUT. Units with equal
 * bytes differ in their fields, so those must fit too. Identical units
 * (sys_ni.c's stubs) fit at each other's places: the data that points into
 * the unit says which copy is its, tried first.
 */
static void search_unit(struct verify *v, uint32_t u, const struct fgk_region *r, uint8_t *taken)
{
	const struct fgk_unit *un = &v->map.units[u];

	for (size_t i = 0; r && i < v->nr_fields; i++)
		if (v->fields[i].tunit == u && try_place(v, u, r, taken, place_by_field(v, &v->fields[i], u)))
			return;
	uint64_t first = r ? (r->start + un->align - 1) & ~(uint64_t)(un->align - 1) : 0;
	for (uint64_t at = first; r && at + un->size <= r->end; at += un->align)
		if (try_place(v, u, r, taken, at))
			return;
	fail(v, CHK_LAYOUT, "unit %u [%#x, +%#x) at %s has no symbol and is nowhere in "
	     "its region of OUT", u, un->offset, un->size, offname(v, &v->in, un->offset));
	v->unit_new[u] = un->offset;
}

void find_unit_moves(struct verify *v)
{
	uint32_t n = v->map.hdr->nr_units;
	const struct fgk_region *r = NULL;
	uint8_t *taken = NULL;

	v->unit_new = xcalloc(n, sizeof(*v->unit_new));
	for (uint32_t u = 0; u < n; u++)
		v->unit_new[u] = -1;
	moves_from_symbols(v, true);
	moves_from_symbols(v, false);
	for (uint32_t u = 0; u < n; u++) {
		if (v->unit_new[u] >= 0)
			continue;
		if (!v->map.units[u].size) {
			v->unit_new[u] = v->map.units[u].offset;
			continue;
		}
		const struct fgk_region *ur = region_at(&v->map, v->map.units[u].offset);
		if (ur != r) {
			free(taken);
			r = ur;
			taken = r ? xcalloc(r->end - r->start, 1) : NULL;
			if (r)
				claim_all(v, r, taken);
		}
		search_unit(v, u, r, taken);
	}
	free(taken);
	index_units_by_new(v);
}

static const uint32_t *region_units_by_new(const struct verify *v, const struct fgk_region *r);

/* Each unit inside its region, aligned, not overlapping the next one. */
static void check_placement(struct verify *v, const struct fgk_region *r, const uint32_t *order)
{
	for (uint32_t k = 0; k < r->nr_units; k++) {
		uint32_t u = order[k];
		const struct fgk_unit *un = &v->map.units[u];
		int64_t at = v->unit_new[u];
		if (at < r->start || at + un->size > r->end)
			fail(v, CHK_LAYOUT, "unit %u (%s, %#x bytes) placed at %#" PRIx64
			     " outside its region [%#x, %#x)", u, offname(v, &v->in, un->offset),
			     un->size, at, r->start, r->end);
		if (at & (un->align - 1))
			fail(v, CHK_LAYOUT, "unit %u (%s) placed at %#" PRIx64 ", not %u-aligned",
			     u, offname(v, &v->in, un->offset), at, un->align);
		if (k + 1 < r->nr_units && at + un->size > v->unit_new[order[k + 1]])
			fail(v, CHK_LAYOUT, "unit %u (%s) at [%#" PRIx64 ", +%#x) overlaps unit %u (%s) at %#" PRIx64,
			     u, offname(v, &v->in, un->offset), at, un->size, order[k + 1],
			     offname(v, &v->in, v->map.units[order[k + 1]].offset), v->unit_new[order[k + 1]]);
	}
}

/* OUT bytes [from, to) of a region hold no unit: they must be int3. */
static void check_gap(struct verify *v, uint64_t from, uint64_t to, const char *after)
{
	for (uint64_t o = from; o < to; o++) {
		if (v->out.image[o] == 0xcc)
			continue;
		fail(v, CHK_LAYOUT, "gap byte at OUT offset %#" PRIx64 " (%s) after %s is %#04x, not int3",
		     o, offname(v, &v->out, o), after, v->out.image[o]);
		return;		/* one report per gap */
	}
}

static void check_region(struct verify *v, const struct fgk_region *r)
{
	const uint32_t *order = region_units_by_new(v, r);
	uint64_t at = r->start;
	const char *after = "the region start";

	check_placement(v, r, order);
	for (uint32_t k = 0; k < r->nr_units; k++) {
		const struct fgk_unit *un = &v->map.units[order[k]];
		if ((uint64_t)v->unit_new[order[k]] > at)
			check_gap(v, at, v->unit_new[order[k]], after);
		uint64_t end = v->unit_new[order[k]] + un->size;
		if (end > at)
			at = end;
		after = offname(v, &v->in, un->offset);
	}
	if (at < r->end)
		check_gap(v, at, r->end, after);
	free((void *)order);
}

static const struct verify *sort_ctx;

static int by_new_offset(const void *a, const void *b)
{
	int64_t x = sort_ctx->unit_new[*(const uint32_t *)a];
	int64_t y = sort_ctx->unit_new[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

static const uint32_t *region_units_by_new(const struct verify *v, const struct fgk_region *r)
{
	uint32_t *order = xcalloc(r->nr_units, sizeof(*order));

	for (uint32_t k = 0; k < r->nr_units; k++)
		order[k] = r->first_unit + k;
	sort_ctx = v;
	qsort(order, r->nr_units, sizeof(*order), by_new_offset);
	return order;
}

void check_layout(struct verify *v)
{
	for (uint32_t i = 0; i < v->map.hdr->nr_regions; i++)
		check_region(v, &v->map.regions[i]);
}

/* OUT's .symtab: same symbols, each moved with its unit (and the base). */
static void check_symbol(struct verify *v, size_t i)
{
	const struct elfimg_sym *s = &v->in.syms[i], *o = &v->out.syms[i];

	if (strcmp(s->name, o->name) || s->size != o->size || s->type != o->type) {
		fail(v, CHK_SYMBOL, "symbol %zu: IN %s (size %#" PRIx64 ") but OUT %s (size %#" PRIx64 ")",
		     i, s->name, s->size, o->name, o->size);
		return;
	}
	if (s->img_off == ELFIMG_NO_OFF || s->type == STT_SECTION)
		return;
	uint32_t u = unit_of_symbol(&v->map, s);
	int64_t move = u == NO_UNIT ? 0 : v->unit_new[u] - (int64_t)v->map.units[u].offset;
	uint64_t want = s->value + move + sym_base_delta(v, s);
	if (o->value != want)
		fail(v, CHK_SYMBOL, "symbol %s: OUT value %#" PRIx64 ", expected %#" PRIx64
		     " (IN %#" PRIx64 ", unit %d moved by %+" PRId64 ")", s->name, o->value, want,
		     s->value, u == NO_UNIT ? -1 : (int)u, move);
}

void check_symbols(struct verify *v)
{
	for (size_t i = 1; i < v->in.nr_syms; i++)
		check_symbol(v, i);
}
