/* runs.c: where each entry of an owned table goes, from per-unit runs: no sort. */
#include "fgk_internal.h"

/*
 * Entries owned by one unit form a run, and the runs of one region's units
 * form a block, from its first to its last owned entry (check_owner.c).
 * Unowned entries inside a block are linker-script markers at the region's
 * start (lead, L) or end (tail, T); after the move the block holds the
 * lead entries, the runs in the units' new address order, then the tail
 * entries, each group in its old relative order. A lead entry after the
 * block's last owned entry joins the block too (its key is below every
 * moved key). Other unowned entries keep their index:
 *
 *   old:  [n n][a L a a][b][c c T][n]     region R = {a, b, c}, new order c a b
 *   new:  [n n][L][c c][a a a][b][T][n]
 *
 * Pass 0 counts (fgk_runs_add), one pass over the new order gives every
 * run and group its first new index (fgk_runs_place), and pass 1 hands out
 * indexes in entry order (fgk_runs_to): reads sequential, runs written
 * whole. Linear in entries + units.
 *
 * Whatever the owners (also those of a map fgk_map_check would refuse),
 * every index handed out is below the entry count: an entry is counted in
 * one block at most, a block's first index is that of its first entry,
 * and a unit that no block places hands out indexes from 0. Wrong owners
 * give two entries one index (the writers keep to their arrays anyway).
 */
uint64_t fgk_runs_bytes(const struct fgk_map *map)
{
	return 2 * fgk_align8((uint64_t)map->hdr->nr_units * 4) +
	       fgk_align8((uint64_t)map->hdr->nr_regions * sizeof(struct fgk_block));
}

/* Carve the run arrays from `mem`, all empty; returns the memory after them. */
uint8_t *fgk_runs_init(struct fgk_runs *r, const struct fgk_plan *plan, uint8_t *mem)
{
	const struct fgk_map *map = plan->map;
	uint64_t per_unit = fgk_align8((uint64_t)map->hdr->nr_units * 4);
	uint64_t blocks = fgk_align8((uint64_t)map->hdr->nr_regions * sizeof(struct fgk_block));

	r->map = map;
	r->order = plan->order;
	r->len = (uint32_t *)mem;
	r->next = (uint32_t *)(mem + per_unit);
	r->blocks = (struct fgk_block *)(mem + 2 * per_unit);
	r->region_cursor = 0;
	r->cur = FGK_UNIT_NONE;
	r->pend_tail = 0;
	fgk_fill(r->len, 0, 2 * per_unit);	/* len, and next for units no block places */
	fgk_fill(r->blocks, 0xff, blocks);	/* first = FGK_NO_ENTRY: none owned yet */
	return mem + fgk_runs_bytes(map);
}

/* An unowned entry with `key` after an owned entry of region r->cur: at its start? */
static int at_lead(const struct fgk_runs *r, int64_t key)
{
	return key == r->map->regions[r->cur].start;
}

/* Entries first .. first + count - 1, all owned by `unit`. */
void fgk_runs_add_run(struct fgk_runs *r, uint32_t first, uint32_t count, uint32_t unit)
{
	uint32_t region = fgk_region_of_unit(r->map, &r->region_cursor, unit);
	struct fgk_block *b = &r->blocks[region];

	r->len[unit] += count;
	if (b->first == FGK_NO_ENTRY)
		*b = (struct fgk_block){ first, first, 0, 0 };
	if (region == r->cur)		/* the tail entries since were inside */
		b->tail += r->pend_tail;
	b->last = first + count - 1;
	r->cur = region;
	r->pend_tail = 0;
}

/* Record entry `entry` (key `key`) and its owner; call for every entry in order. */
void fgk_runs_add(struct fgk_runs *r, uint32_t entry, uint32_t unit, int64_t key)
{
	if (unit != FGK_UNIT_NONE)
		fgk_runs_add_run(r, entry, 1, unit);
	else if (r->cur != FGK_UNIT_NONE && at_lead(r, key)) {
		r->blocks[r->cur].lead++;
		r->blocks[r->cur].last = entry;
	} else if (r->cur != FGK_UNIT_NONE)
		r->pend_tail++;
}

/* Lay each block out again: lead entries, runs in the new unit order, tail entries. */
void fgk_runs_place(struct fgk_runs *r)
{
	const struct fgk_map *map = r->map;

	for (uint32_t i = 0; i < map->hdr->nr_regions; i++) {
		const struct fgk_region *reg = &map->regions[i];
		struct fgk_block *b = &r->blocks[i];
		uint32_t to = b->first + b->lead;

		if (b->first == FGK_NO_ENTRY)
			continue;
		for (uint32_t k = reg->first_unit; k < reg->first_unit + reg->nr_units; k++) {
			r->next[r->order[k]] = to;	/* unused when len is 0 */
			to += r->len[r->order[k]];
		}
		b->lead = b->first;
		b->tail = to;
	}
	r->region_cursor = 0;
	r->cur = FGK_UNIT_NONE;
}

uint32_t fgk_runs_to_run(struct fgk_runs *r, uint32_t count, uint32_t unit)
{
	uint32_t to = r->next[unit];

	r->cur = fgk_region_of_unit(r->map, &r->region_cursor, unit);
	r->next[unit] += count;
	return to;
}

/*
 * New index of entry `entry` (owner `unit`, key `key`), after
 * fgk_runs_place(); call for every entry in order, with the same owners
 * and keys as fgk_runs_add.
 */
uint32_t fgk_runs_to(struct fgk_runs *r, uint32_t entry, uint32_t unit, int64_t key)
{
	struct fgk_block *b;

	if (unit != FGK_UNIT_NONE) {
		r->cur = fgk_region_of_unit(r->map, &r->region_cursor, unit);
		return r->next[unit]++;
	}
	if (r->cur == FGK_UNIT_NONE || entry > r->blocks[r->cur].last)
		return entry;		/* outside every block: stays */
	b = &r->blocks[r->cur];
	return at_lead(r, key) ? b->lead++ : b->tail++;
}
