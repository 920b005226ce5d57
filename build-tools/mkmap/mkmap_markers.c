/* mkmap_markers.c: linker-script markers (_stext, ...): which the script assigns, and where. */
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

/*
 * `__sched_text_end = .;` takes the address where the next input section
 * happens to start, but the unit there may go anywhere while the marker
 * bounds a range that code tests addresses against (in_sched_functions()).
 * So references to a marker and its kallsyms entry follow the marker, not
 * the unit at its address. A marker belongs to:
 *
 *   strictly inside a unit (an inner marker of a block)       that unit
 *   the start or end symbol of a `block` directive            the block, if it
 *                                                              lies at its edge
 *   outside every region (a region's end is), or exactly at   nothing: it stays
 *     a region's start (the runtime puts such table and
 *     kallsyms entries before the region's runs)
 *   absolute (SHN_ABS, not abs-relative), or not loaded       nothing
 *   elsewhere in a region (between units, in padding)         no right answer:
 *                                                              refused if used
 *
 * The criterion is exact: the -Map file lists every assignment the script
 * made (a PROVIDE only when used) with the symbol's final value, and GNU ld
 * gives `alias = func;` the type of func, so only STT_NOTYPE symbols with
 * the listed value are markers.
 */

static int cmp_assign(const void *a, const void *b)
{
	return strcmp(((const struct ld_assign *)a)->name, ((const struct ld_assign *)b)->name);
}

static int cmp_marker(const void *a, const void *b)
{
	const struct mk_marker *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* Does the script assign `name` the value `value`? `a` is sorted by name. */
static bool assigned(const struct ld_assign *a, size_t n, const char *name, uint64_t value)
{
	struct ld_assign key = { name, 0 };
	const struct ld_assign *hit = n ? bsearch(&key, a, n, sizeof(*a), cmp_assign) : NULL;

	if (!hit)
		return false;
	while (hit > a && !strcmp(hit[-1].name, name))
		hit--;
	for (; hit < a + n && !strcmp(hit->name, name); hit++)
		if (hit->value == value)
			return true;
	return false;
}

/* The `block` directive (that met a region) naming `name` as its start or end. */
static const struct cfg_range *block_named(const struct mk *mk, const char *name)
{
	for (size_t i = 0; i < mk->cfg.ranges.n; i++) {
		const struct cfg_range *r = &mk->cfg.ranges.v[i];

		if (r->block && r->used && (!strcmp(r->start_sym, name) || !strcmp(r->end_sym, name)))
			return r;
	}
	return NULL;
}

/* A block's own start or end symbol follows it, if it lies exactly at the block's edge. */
static void place_block_sym(struct mk *mk, struct mk_marker *m, const struct cfg_range *b,
			    const struct own *o)
{
	bool start = !strcmp(m->name, b->start_sym);
	uint32_t u = start ? o->half : o->ended;

	if (u != FGK_UNIT_NONE && mk->units.v[u].block == b) {
		m->unit = u;
		return;
	}
	m->refusal = xasprintf("%s, the %s of block %s..%s (%s), is not where the block's %s input "
			       "section %s (alignment padding between): it cannot follow the block exactly",
			       m->name, start ? "start" : "end", b->start_sym, b->end_sym, b->where,
			       start ? "first" : "last", start ? "starts" : "ends");
}

/* Decide m->unit; or set m->refusal when no owner is right. */
static void place(struct mk *mk, struct mk_marker *m, const struct mk_sym *s)
{
	const struct cfg_range *b = block_named(mk, s->name);
	uint64_t off;
	int r;

	if ((s->shndx == SHN_ABS && !abs_relative(mk, s->name)) ||
	    !vaddr_to_off(&mk->img, s->value, &off))
		return;
	struct own o = own_at(mk, off);

	if (o.half != FGK_UNIT_NONE && off > mk->units.v[o.half].u.offset) {
		m->unit = o.half;	/* inside a block */
		return;
	}
	if (b) {
		place_block_sym(mk, m, b, &o);
		return;
	}
	r = region_of(mk, off);
	if (r < 0 || mk->regions.v[r].r.start == off)
		return;
	m->refusal = xasprintf("linker-script marker %s at %s lies inside region [0x%x, 0x%x) of %s, "
			       "%s: it can neither stay put nor follow a unit; make its range `fixed` "
			       "or `block`, or end the region there", s->name, describe_off(&mk->img, off),
			       mk->regions.v[r].r.start, mk->regions.v[r].r.end, mk->regions.v[r].outsec,
			       o.half != FGK_UNIT_NONE ? "where a unit starts" : "in padding");
}

void markers_build(struct mk *mk)
{
	struct ld_assign *a = mk->ldmap.assigns.v;
	size_t n = mk->ldmap.assigns.n;

	if (n)
		qsort(a, n, sizeof(*a), cmp_assign);
	mk->markers = xcalloc(mk->img.nsyms, sizeof(*mk->markers));
	for (size_t i = 1; i < mk->img.nsyms; i++) {
		const struct mk_sym *s = &mk->img.syms[i];

		if (s->type != STT_NOTYPE || s->shndx == SHN_UNDEF || !*s->name ||
		    !assigned(a, n, s->name, s->value))
			continue;
		struct mk_marker *m = &mk->markers[mk->nmarkers++];
		*m = (struct mk_marker){ s->name, i, s->value, FGK_UNIT_NONE, NULL };
		place(mk, m, s);
	}
	if (mk->nmarkers)
		qsort(mk->markers, mk->nmarkers, sizeof(*mk->markers), cmp_marker);
	mk->marker_of = xcalloc(mk->img.nsyms, sizeof(*mk->marker_of));
	memset(mk->marker_of, 0xff, mk->img.nsyms * sizeof(*mk->marker_of));
	for (size_t k = 0; k < mk->nmarkers; k++)
		mk->marker_of[mk->markers[k].symi] = k;
}

const struct mk_marker *marker_of_sym(const struct mk *mk, size_t symi)
{
	if (!mk->marker_of || symi >= mk->img.nsyms || mk->marker_of[symi] == NO_MARKER)
		return NULL;
	return &mk->markers[mk->marker_of[symi]];
}

const struct mk_marker *marker_named(const struct mk *mk, const char *name, uint64_t vaddr)
{
	struct mk_marker key = { .name = name, .vaddr = vaddr };

	return mk->nmarkers ? bsearch(&key, mk->markers, mk->nmarkers, sizeof(key), cmp_marker)
			    : NULL;
}
