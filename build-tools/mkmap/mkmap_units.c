/* mkmap_units.c: cut each `region` output section into regions of movable units. */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

/*
 * An output section named by `region` is cut by holes that stay put:
 * `fixed` ranges, `keep` input sections and linker-script data (LONG...).
 *
 *   output section  |u0|u1|  u2  |###fixed###|..u3|keep|u4|u5|    slack    |tail|
 *   regions         [            )             [  )    [      ... end= or end)
 *
 * A region starts at its first unit (fill before it stays, with whatever
 * label ends the hole before) and ends where the next hole starts.
 * Input sections from end= on (the tail) are not part of any region: they
 * stay put, so a fixed range there needs no saying (it counts as used).
 * Every other non-empty input section is a unit, except that the input
 * sections inside a `block` range form one unit.
 */

struct hole {
	uint64_t start, end;
};

struct span {				/* a resolved fixed/block range */
	const struct cfg_range *cfg;
	uint64_t start, end;
};

static const struct mk_sec *find_sec(const struct mk *mk, const char *name)
{
	for (size_t i = 1; i < mk->img.nsecs; i++)
		if (mk->img.secs[i].loaded && !strcmp(mk->img.secs[i].name, name))
			return &mk->img.secs[i];
	return NULL;
}

static void mark_percpu(struct mk *mk)
{
	for (size_t i = 0; i < mk->cfg.percpu.n; i++) {
		struct mk_sec *s = (struct mk_sec *)find_sec(mk, mk->cfg.percpu.v[i]);

		if (!s)
			die_at(mk->img.path, mk->cfg.percpu.v[i], NOPOS, NULL,
			       "percpu: no such loaded output section");
		s->percpu = true;
	}
}

static bool kept(const struct mk *mk, const struct ld_insec *in)
{
	if (in->data_stmt)
		return true;
	for (size_t i = 0; i < mk->cfg.keeps.n; i++)
		if (!fnmatch(mk->cfg.keeps.v[i], in->name, 0))
			return true;
	return false;
}

/* An input section of the region, as image offsets. */
struct item {
	const struct ld_insec *in;
	uint64_t off, end;
};

/* A range end must not cut an input section: references inside one have no relocations. */
static void check_boundary(struct mk *mk, const struct item *it, size_t n,
			   const struct cfg_range *r, const char *sym, uint64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (it[i].off < b && b < it[i].end)
			die_at(r->where, describe_off(&mk->img, b), NOPOS, sym,
			       "%s range boundary is not an input-section boundary: it cuts %s (%s) [0x%llx, 0x%llx)",
			       r->block ? "block" : "fixed", it[i].in->name,
			       it[i].in->file ? it[i].in->file : "?",
			       (unsigned long long)it[i].off, (unsigned long long)it[i].end);
}

static size_t resolve_spans(struct mk *mk, struct span *sp, const struct item *it,
			    size_t nit, uint64_t start, uint64_t cap, uint64_t sec_end)
{
	size_t n = 0;

	for (size_t i = 0; i < mk->cfg.ranges.n; i++) {
		struct cfg_range *r = &mk->cfg.ranges.v[i];
		uint64_t a = sym_off(&mk->img, r->where, r->start_sym);
		uint64_t b = sym_off(&mk->img, r->where, r->end_sym);

		if (b < a)
			die_at(r->where, NULL, NOPOS, r->end_sym, "range ends before it starts");
		if (a >= cap && cap < sec_end && b <= sec_end)
			r->used = true;		/* in the tail after end=: stays anyway */
		if (b <= start || a >= cap)
			continue;
		check_boundary(mk, it, nit, r, r->start_sym, a);
		check_boundary(mk, it, nit, r, r->end_sym, b);
		r->used = true;
		sp[n++] = (struct span){ r, a < start ? start : a, b > cap ? cap : b };
	}
	return n;
}

static int cmp_hole(const void *a, const void *b)
{
	const struct hole *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static size_t find_holes(const struct mk *mk, struct hole *h, const struct span *sp,
			 size_t nsp, const struct item *it, size_t nit)
{
	size_t n = 0, m = 0;

	for (size_t i = 0; i < nsp; i++)
		if (!sp[i].cfg->block)
			h[n++] = (struct hole){ sp[i].start, sp[i].end };
	for (size_t i = 0; i < nit; i++)
		if (kept(mk, it[i].in))
			h[n++] = (struct hole){ it[i].off, it[i].end };
	qsort(h, n, sizeof(*h), cmp_hole);
	for (size_t i = 0; i < n; i++) {	/* merge touching holes */
		if (m && h[i].start <= h[m - 1].end) {
			if (h[i].end > h[m - 1].end)
				h[m - 1].end = h[i].end;
		} else
			h[m++] = h[i];
	}
	return m;
}

static const struct span *block_of(const struct span *sp, size_t nsp, const struct item *it)
{
	for (size_t i = 0; i < nsp; i++)
		if (sp[i].cfg->block && it->off >= sp[i].start && it->end <= sp[i].end)
			return &sp[i];
	return NULL;
}

static void push_unit(struct mk *mk, const struct item *it, uint32_t align)
{
	struct mk_unit *u = vec_push(&mk->units);

	if (it->off % align)
		die_at(it->in->file, it->in->name, NOPOS, NULL,
		       "input section at image offset 0x%llx is not aligned to its sh_addralign %u",
		       (unsigned long long)it->off, align);
	*u = (struct mk_unit){ { it->off, it->end - it->off, align },
			       mk->regions.n, it->in->name, it->in->file, NULL };
}

/* Add an item to the block unit that `sp` makes, starting it if needed. */
static void grow_block(struct mk *mk, const struct span *sp, const struct item *it,
		       uint32_t align, const struct span **cur)
{
	if (*cur != sp) {
		push_unit(mk, it, align);
		struct mk_unit *u = &mk->units.v[mk->units.n - 1];

		u->name = xasprintf("block %s..%s", sp->cfg->start_sym, sp->cfg->end_sym);
		u->file = NULL;
		u->block = sp->cfg;
		*cur = sp;
		return;
	}
	struct mk_unit *u = &mk->units.v[mk->units.n - 1];

	if (align > u->u.align) {
		if (u->u.offset % align)
			die_at(sp->cfg->where, it->in->name, NOPOS, sp->cfg->start_sym,
			       "block start 0x%llx is not aligned to %u, the alignment of an input section inside it",
			       (unsigned long long)u->u.offset, align);
		u->u.align = align;
	}
	u->u.size = it->end - u->u.offset;
}

/* The units of fragment [fs, fe) of the region. */
static void fill_fragment(struct mk *mk, const struct span *sp, size_t nsp,
			  const struct item *it, size_t nit, uint64_t fs, uint64_t fe,
			  const struct cfg_region *cr)
{
	size_t first = mk->units.n;
	const struct span *cur = NULL;

	for (size_t i = 0; i < nit; i++) {
		if (it[i].off < fs || it[i].end > fe)
			continue;
		uint32_t align = objs_align(mk->objs, it[i].in);
		const struct span *b = block_of(sp, nsp, &it[i]);

		if (b && (b->start < fs || b->end > fe))
			die_at(b->cfg->where, NULL, NOPOS, b->cfg->start_sym,
			       "block overlaps a fixed range or a kept input section");
		if (b)
			grow_block(mk, b, &it[i], align, &cur);
		else {
			push_unit(mk, &it[i], align);
			cur = NULL;
		}
	}
	if (mk->units.n == first)
		return;
	/* Fill before the first unit stays: a label there ends the hole before. */
	struct mk_region *r = vec_push(&mk->regions);
	*r = (struct mk_region){ { mk->units.v[first].u.offset, fe, first,
				   mk->units.n - first }, cr->outsec, cr->must_fit };
}

static size_t region_items(struct mk *mk, const struct mk_sec *sec,
			   const struct ld_outsec *out, struct item *it)
{
	size_t n = 0;

	for (uint32_t i = 0; i < out->n; i++) {
		const struct ld_insec *in = &mk->ldmap.ins.v[out->first + i];

		if (!in->size)
			continue;
		if (in->addr < sec->addr || in->addr + in->size > sec->addr + sec->size)
			die_at(mk->ldmap.path, in->name, NOPOS, NULL,
			       "input section [0x%llx, +0x%llx) lies outside output section %s",
			       (unsigned long long)in->addr, (unsigned long long)in->size,
			       sec->name);
		uint64_t off = sec->img + (in->addr - sec->addr);

		if (n && off < it[n - 1].end)
			die_at(mk->ldmap.path, in->name, NOPOS, NULL,
			       "input sections overlap or are out of order at 0x%llx",
			       (unsigned long long)in->addr);
		it[n++] = (struct item){ in, off, off + in->size };
	}
	return n;
}

static void build_region(struct mk *mk, const struct cfg_region *cr,
			 const struct mk_sec *sec, const struct ld_outsec *out)
{
	struct item *it = xcalloc(out->n, sizeof(*it));
	size_t nit = region_items(mk, sec, out, it);
	uint64_t start = sec->img, cap = sec->img + sec->size;

	if (cr->end_sym)
		cap = sym_off(&mk->img, cr->where, cr->end_sym);
	if (cap > sec->img + sec->size)
		die_at(cr->where, NULL, NOPOS, cr->end_sym,
		       "region end lies after the end of output section %s", sec->name);
	while (nit && it[nit - 1].off >= cap)	/* the tail stays put */
		nit--;
	if (nit && cap < it[nit - 1].end) {
		struct item cut = it[nit - 1];	/* points into the link map, not `it` */

		free(it);
		die_at(cr->where, cut.in->name, NOPOS, cr->end_sym,
		       "region end cuts input section %s (%s) [0x%llx, 0x%llx)",
		       cut.in->name, cut.in->file ? cut.in->file : "?",
		       (unsigned long long)cut.off, (unsigned long long)cut.end);
	}
	struct span *sp = xcalloc(mk->cfg.ranges.n, sizeof(*sp));
	size_t nsp = resolve_spans(mk, sp, it, nit, start, cap, sec->img + sec->size);
	struct hole *h = xcalloc(nsp + nit + 1, sizeof(*h));
	size_t nh = find_holes(mk, h, sp, nsp, it, nit);
	uint64_t fs = start;

	for (size_t i = 0; i <= nh; i++) {
		uint64_t fe = i < nh ? h[i].start : cap;

		if (fe > fs)
			fill_fragment(mk, sp, nsp, it, nit, fs, fe, cr);
		if (i < nh)
			fs = h[i].end;
	}
	free(h);
	free(sp);
	free(it);
}

static int cmp_cfg_region(const void *a, const void *b, void *arg)
{
	const struct mk *mk = arg;
	const struct mk_sec *x = find_sec(mk, ((const struct cfg_region *)a)->outsec);
	const struct mk_sec *y = find_sec(mk, ((const struct cfg_region *)b)->outsec);

	return x->img < y->img ? -1 : x->img > y->img;
}

static void region_secs(struct mk *mk, const struct cfg_region *cr,
			const struct mk_sec **sec, const struct ld_outsec **out)
{
	*sec = find_sec(mk, cr->outsec);
	if (!*sec)
		die_at(cr->where, cr->outsec, NOPOS, NULL,
		       "region: no loaded output section of this name in %s", mk->img.path);
	if ((*sec)->percpu)
		die_at(cr->where, cr->outsec, NOPOS, NULL, "a per-CPU section cannot be a region");
	*out = ldmap_outsec(&mk->ldmap, cr->outsec);
	if (!*out || (*out)->addr != (*sec)->addr)
		die_at(mk->ldmap.path, cr->outsec, NOPOS, NULL,
		       "output section missing from the link map or at another address than in %s",
		       mk->img.path);
}

/*
 * An upper bound on the bytes any order of the units takes from `start`
 * (the runtime places each unit at the next offset aligned to its
 * alignment a). For any power of two G, a unit with a >= G starts
 * G-aligned, so after it the next unit with a' >= G pads at most its tail
 * to G plus a' - G; after a unit with a < G (or at the start) at most
 * G - 1 plus a' - G; a unit with a < G pads at most a - 1. Summed:
 *
 *   sum(a >= G) roundup(size, G) + a - G  +  sum(a < G) size + a - 1 + G - 1
 *     + ((-start) mod G)
 *
 * G = 1 is the naive bound (every unit losing a - 1 bytes); take the
 * smallest over G. With 16-byte aligned functions and a few others this is
 * within a few hundred bytes of the link order's size.
 */
static uint64_t worst_for(const struct fgk_unit *u, uint32_t n, uint64_t start, uint64_t g)
{
	uint64_t worst = (0 - start) & (g - 1);

	for (uint32_t i = 0; i < n; i++) {
		if (u[i].align >= g)
			worst += ((u[i].size + g - 1) & ~(g - 1)) + u[i].align - g;
		else
			worst += u[i].size + u[i].align - 1 + g - 1;
	}
	return worst;
}

uint64_t layout_worst_case(const struct fgk_unit *u, uint32_t n, uint64_t start)
{
	uint64_t best = worst_for(u, n, start, 1);

	uint64_t max_align = 1;

	for (uint32_t i = 0; i < n; i++)
		if (u[i].align > max_align)
			max_align = u[i].align;
	for (uint64_t g = 2; g <= max_align; g <<= 1) {
		uint64_t w = worst_for(u, n, start, g);

		if (w < best)
			best = w;
	}
	return best;
}

/* Where r's slack must grow: before its end=, at its section's end, or before the hole that ends it. */
static void grow_where(const struct mk *mk, const struct mk_region *r, char *buf, size_t size)
{
	for (size_t i = 0; i < mk->cfg.regions.n; i++) {
		const struct cfg_region *cr = &mk->cfg.regions.v[i];
		const struct mk_sec *sec = find_sec(mk, cr->outsec);

		if (strcmp(cr->outsec, r->outsec) || !sec)
			continue;
		uint64_t cap = cr->end_sym ? sym_off(&mk->img, cr->where, cr->end_sym) : sec->img + sec->size;

		if (r->r.end != cap)
			break;
		if (cr->end_sym)
			snprintf(buf, size, "before end=%s", cr->end_sym);
		else
			snprintf(buf, size, "at the end of output section %s (and name its end with end=)", cr->outsec);
		return;
	}
	snprintf(buf, size, "before %s, where a range that stays put starts", describe_off(&mk->img, r->r.end));
}

/*
 * The runtime fails with NOSPACE (before any write) for a seed whose layout
 * does not fit, and the kernel boots with plain KASLR: a warning, or with
 * must-fit an error, saying how much slack to add where.
 */
static void check_capacity(const struct mk *mk, const struct mk_region *r)
{
	struct fgk_unit *u = xcalloc(r->r.nr_units + 1, sizeof(*u));
	uint64_t cap = r->r.end - r->r.start;
	char where[640];

	for (uint32_t i = 0; i < r->r.nr_units; i++)
		u[i] = mk->units.v[r->r.first_unit + i].u;
	uint64_t worst = layout_worst_case(u, r->r.nr_units, r->r.start);

	free(u);

	if (worst <= cap)
		return;
	grow_where(mk, r, where, sizeof(where));
	if (r->must_fit)
		die("region %s [0x%x, 0x%x): worst-case layout needs 0x%llx bytes, capacity 0x%llx (must-fit): reserve 0x%llx more bytes of slack %s",
		    r->outsec, r->r.start, r->r.end, (unsigned long long)worst,
		    (unsigned long long)cap, (unsigned long long)(worst - cap), where);
	warn("region %s [0x%x, 0x%x): worst-case layout needs 0x%llx bytes, capacity 0x%llx: some seeds may fail with NOSPACE (the kernel then boots with plain KASLR): reserve 0x%llx more bytes of slack %s",
	     r->outsec, r->r.start, r->r.end, (unsigned long long)worst,
	     (unsigned long long)cap, (unsigned long long)(worst - cap), where);
}

static void check_regions(struct mk *mk)
{
	for (size_t i = 0; i < mk->cfg.ranges.n; i++)
		if (!mk->cfg.ranges.v[i].used)
			warn("%s: %s range %s..%s lies in no region: it has no effect",
			     mk->cfg.ranges.v[i].where, mk->cfg.ranges.v[i].block ? "block" : "fixed",
			     mk->cfg.ranges.v[i].start_sym, mk->cfg.ranges.v[i].end_sym);
	for (size_t i = 0; i < mk->regions.n; i++)
		check_capacity(mk, &mk->regions.v[i]);
	for (size_t i = 1; i < mk->regions.n; i++)
		if (mk->regions.v[i].r.start < mk->regions.v[i - 1].r.end)
			die_at(mk->regions.v[i].outsec, NULL, mk->regions.v[i].r.start, NULL,
			       "region overlaps region of %s", mk->regions.v[i - 1].outsec);
	if (mk->units.n >= FGK_UNIT_NONE)
		die("%zu units: too many for the map format", mk->units.n);
}

void units_build(struct mk *mk)
{
	struct cfg_region *cr = mk->cfg.regions.v;
	size_t n = mk->cfg.regions.n;

	mark_percpu(mk);
	for (size_t i = 0; i < n; i++) {
		const struct mk_sec *sec;
		const struct ld_outsec *out;

		region_secs(mk, &cr[i], &sec, &out);
	}
	if (n)
		qsort_r(cr, n, sizeof(*cr), cmp_cfg_region, mk);
	for (size_t i = 0; i < n; i++) {
		const struct mk_sec *sec;
		const struct ld_outsec *out;

		region_secs(mk, &cr[i], &sec, &out);
		build_region(mk, &cr[i], sec, out);
	}
	check_regions(mk);
}
