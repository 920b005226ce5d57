/* runs.c: an owned table's entries in their new order, from per-unit runs: no sort. */
#include "fgk_internal.h"

/*
 * Entries owned by one unit form a run, and the runs of one region's units
 * form a block (validate_owner.c). After the move a block is re-emitted
 * with its runs in the units' new address order; unowned entries keep
 * their index. Linear in entries + units:
 *
 *   old:  [n n][a a a][b][c c][n]     region R = {a, b, c}, new order c a b
 *   new:  [n n][c c][a a a][b][n]
 */
uint64_t fgk_runs_bytes(const struct fgk_map *map)
{
	return 2 * fgk_align8((uint64_t)map->hdr->nr_units * 4) +
	       2 * fgk_align8((uint64_t)map->hdr->nr_regions * 4);
}

/* Carve the run arrays from `mem`, all empty; returns the memory after them. */
uint8_t *fgk_runs_init(struct fgk_runs *r, const struct fgk_plan *plan,
		       uint8_t *mem, uint32_t nr_entries)
{
	const struct fgk_map *map = plan->map;
	uint64_t per_unit = fgk_align8((uint64_t)map->hdr->nr_units * 4);
	uint64_t per_region = fgk_align8((uint64_t)map->hdr->nr_regions * 4);

	r->map = map;
	r->order = plan->order;
	r->first = (uint32_t *)mem;
	r->len = (uint32_t *)(mem + per_unit);
	r->block_first = (uint32_t *)(mem + 2 * per_unit);
	r->block_len = (uint32_t *)(mem + 2 * per_unit + per_region);
	r->nr_entries = nr_entries;
	r->region_cursor = 0;
	fgk_fill(r->len, 0, per_unit);
	fgk_fill(r->block_len, 0, per_region);
	return mem + fgk_runs_bytes(map);
}

/* Record entry `entry`'s owner; call for every entry in order. */
void fgk_runs_add(struct fgk_runs *r, uint32_t entry, uint32_t unit)
{
	uint32_t region;

	if (unit == FGK_UNIT_NONE)
		return;
	if (r->len[unit]++ == 0)
		r->first[unit] = entry;
	region = fgk_region_of_unit(r->map, &r->region_cursor, unit);
	if (r->block_len[region]++ == 0)
		r->block_first[region] = entry;
}

void fgk_runs_iter_init(struct fgk_runs_iter *it, const struct fgk_runs *r)
{
	it->runs = r;
	it->to = 0;
	it->region = 0;
	it->k = it->k_end = 0;
	it->i = it->i_end = 0;
	it->unit = FGK_UNIT_NONE;
	it->in_block = 0;
}

/* Next unit of the current region, in new order, that owns entries. */
static void next_run(struct fgk_runs_iter *it)
{
	const struct fgk_runs *r = it->runs;

	while (it->k < it->k_end) {
		uint32_t unit = r->order[it->k++];

		if (r->len[unit]) {
			it->i = r->first[unit];
			it->i_end = it->i + r->len[unit];
			it->unit = unit;
			return;
		}
	}
	it->in_block = 0;
}

/* Does the next region's block start at the current new index? */
static int enter_block(struct fgk_runs_iter *it)
{
	const struct fgk_runs *r = it->runs;
	uint32_t nr_regions = r->map->hdr->nr_regions;

	while (it->region < nr_regions && r->block_len[it->region] == 0)
		it->region++;
	if (it->region == nr_regions || r->block_first[it->region] != it->to)
		return 0;
	it->k = r->map->regions[it->region].first_unit;
	it->k_end = it->k + r->map->regions[it->region].nr_units;
	it->region++;
	it->in_block = 1;
	return 1;
}

/* The entry that goes to the next new index; 0 when all are done. */
int fgk_runs_next(struct fgk_runs_iter *it, struct fgk_entry_move *m)
{
	for (;;) {
		if (it->i < it->i_end) {
			m->from = it->i++;
			m->to = it->to++;
			m->unit = it->unit;
			return 1;
		}
		if (it->in_block) {
			next_run(it);
			continue;
		}
		if (it->to == it->runs->nr_entries)
			return 0;
		if (enter_block(it))
			continue;
		m->from = m->to = it->to++;
		m->unit = FGK_UNIT_NONE;
		return 1;
	}
}
