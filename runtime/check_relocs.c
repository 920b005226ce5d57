/* check_relocs.c: (fgk_map_check) base relocs: sorted, in the image, clear of rewritten bytes. */
#include "fgk_internal.h"

/*
 * A reloc site in a moving unit moves with it; one in region
 * padding or across a unit edge would be lost. Sites inside the arrays the
 * runtime rewrites are refused, except the keys of an ABS64 table when
 * every entry has one: the re-sort then leaves the set of sites unchanged.
 */

struct table_hits {
	uint32_t table;		/* table whose keys are being counted, or NONE */
	uint32_t hits;
};

/* Is this reloc exactly at the key of an ABS64 table? */
static int at_abs64_key(const struct fgk_map *map, const struct fgk_span *s,
			uint32_t kind, uint32_t site)
{
	uint32_t t = fgk_span_table(map, s->id);
	const struct fgk_table *tab;

	if (t == FGK_UNIT_NONE)
		return 0;
	tab = &map->tables[t];
	return kind == FGK_RELOC_ABS64 && tab->key_kind == FGK_KEY_ABS64 &&
	       site >= s->start && (site - s->start) % tab->entry_size == tab->key_offset;
}

/* Done counting a table: none or all of its keys must have had a reloc. */
static int hits_ok(const struct fgk_map *map, const struct table_hits *th)
{
	return th->table == FGK_UNIT_NONE ||
	       th->hits == map->tables[th->table].nr_entries;
}

static int guarded_ok(const struct fgk_map *map, struct table_hits *th,
		      const struct fgk_span *s, uint32_t kind, uint32_t site)
{
	if (!at_abs64_key(map, s, kind, site))
		return 0;
	if (th->table != fgk_span_table(map, s->id)) {
		if (!hits_ok(map, th))
			return 0;
		th->table = fgk_span_table(map, s->id);
		th->hits = 0;
	}
	th->hits++;
	return 1;
}

static int check_list(const struct fgk_map *map, uint32_t kind)
{
	uint32_t width = fgk_reloc_width(kind);
	struct fgk_locator loc;
	struct fgk_guard guard;
	struct table_hits th = { FGK_UNIT_NONE, 0 };

	fgk_locator_init(&loc, map);
	fgk_guard_init(&guard, map);
	for (uint32_t i = 0, prev = 0; i < map->nr_relocs[kind]; i++) {
		uint32_t site = fgk_reloc_site(map, kind, i);
		const struct fgk_span *s;

		if ((i && site <= prev) || (uint64_t)site + width > map->hdr->image_size ||
		    fgk_locate_field(&loc, site, width) == FGK_WALK_BAD)
			return FGK_E_RELOC;
		s = fgk_guard_hit(&guard, site, width);
		if (s && !guarded_ok(map, &th, s, kind, site))
			return FGK_E_RELOC;
		prev = site;
	}
	return hits_ok(map, &th) ? FGK_OK : FGK_E_RELOC;
}

int fgk_check_relocs(const struct fgk_map *map)
{
	for (uint32_t kind = 0; kind < FGK_NR_RELOC_KINDS; kind++) {
		int err = check_list(map, kind);

		if (err)
			return err;
	}
	return FGK_OK;
}
