/* guard.c: the table and symtab arrays ("spans"), visited in address order. */
#include "fgk_internal.h"

/*
 * Fields to patch (xrefs, relocs) must stay out of these arrays, which the
 * runtime rewrites wholesale. Span ids: table t has 2t (entries) and 2t+1
 * (parallel array); the symtab then has FGK_NR_SYM_SPANS ids. The map does
 * not sort tables, so the guard picks the next span by a scan over the few
 * ids: O(spans^2) once per pass, independent of the number of fields.
 */

static void sym_span(const struct fgk_symtab *st, uint32_t which, struct fgk_span *s)
{
	uint64_t n = st->nr_syms, bytes = 0;

	s->start = 0;
	if (which == FGK_SPAN_SYM_OFFSETS) {
		s->start = st->offsets;
		bytes = 4 * n;
	} else if (which == FGK_SPAN_SYM_NAMES) {
		s->start = st->names;
		bytes = st->names_size;
	} else if (which == FGK_SPAN_SYM_MARKERS) {
		s->start = st->markers;
		bytes = 4 * fgk_sym_nr_markers(st);
	} else if (st->flags & FGK_SYMTAB_SEQS) {
		s->start = st->seqs;
		bytes = 3 * n;
	}
	s->end = s->start + bytes;
}

/* Bounds of span `id` (end == start when empty). */
void fgk_span_of(const struct fgk_map *map, uint32_t id, struct fgk_span *s)
{
	uint32_t t = id / 2;

	s->id = id;
	if (t >= map->hdr->nr_tables) {
		sym_span(map->symtab, id - 2 * map->hdr->nr_tables, s);
		return;
	}
	const struct fgk_table *tab = &map->tables[t];
	uint64_t n = tab->nr_entries;

	s->start = id & 1 ? tab->par_offset : tab->offset;
	s->end = s->start + n * (id & 1 ? tab->par_entry_size : tab->entry_size);
}

/* The table whose entries array span `id` is, or FGK_UNIT_NONE. */
uint32_t fgk_span_table(const struct fgk_map *map, uint32_t id)
{
	return (id & 1) || id / 2 >= map->hdr->nr_tables ? FGK_UNIT_NONE : id / 2;
}

/* Is span a after span b in (start, id) order? */
static int after(const struct fgk_span *a, const struct fgk_span *b)
{
	return a->start > b->start || (a->start == b->start && a->id > b->id);
}

/* Move to the first non-empty span after `from` (or the very first one). */
static void seek_after(struct fgk_guard *g, const struct fgk_span *from)
{
	struct fgk_span s, best = { 0, 0, 0 };
	int found = 0;

	for (uint32_t id = 0; id < g->nr_ids; id++) {
		fgk_span_of(g->map, id, &s);
		if (s.end == s.start || (from && !after(&s, from)))
			continue;
		if (!found || after(&best, &s)) {
			best = s;
			found = 1;
		}
	}
	g->cur = best;
	g->valid = found;
}

void fgk_guard_init(struct fgk_guard *g, const struct fgk_map *map)
{
	g->map = map;
	g->nr_ids = 2 * map->hdr->nr_tables + (map->symtab ? FGK_NR_SYM_SPANS : 0);
	seek_after(g, 0);
}

void fgk_guard_next(struct fgk_guard *g)
{
	struct fgk_span from = g->cur;

	seek_after(g, &from);
}

/*
 * The span that field [off, off + width) overlaps, or NULL. Fields must
 * come in increasing order and spans must not overlap (fgk_check_arrays).
 */
const struct fgk_span *fgk_guard_hit(struct fgk_guard *g, uint64_t off, uint32_t width)
{
	while (g->valid && g->cur.end <= off)
		fgk_guard_next(g);
	return g->valid && g->cur.start < off + width ? &g->cur : 0;
}
