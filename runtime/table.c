/* table.c: re-sort the address tables after the move, run by run, adjusting keys and rel32 fields. */
#include "fgk_internal.h"

/*
 * The table (and its parallel array) is copied to scratch, owners are
 * found on the copy with the original keys, then each entry is written
 * once at its new index (runs.c). Moving entry i to j shifts its self-
 * relative fields by pos_i - pos_j = (i - j) * entry_size:
 *   REL32 key:    new = old + dT(owner) + (pos_i - pos_j)
 *   ABS64 key:    new = old + dT(owner)
 *   rel32 field:  new = old + dT(field unit) + (pos_i - pos_j)
 */
uint64_t fgk_table_work_bytes(const struct fgk_map *map, const struct fgk_table *t)
{
	uint64_t n = t->nr_entries;

	return fgk_runs_bytes(map) + fgk_align8(n * t->entry_size) +
	       fgk_align8(n * t->par_entry_size);
}

struct table_job {
	const struct fgk_plan *plan;
	const struct fgk_table *t;
	uint8_t *image;
	const uint8_t *old;		/* copy of the entries */
	const uint8_t *old_par;		/* copy of the parallel array */
	uint32_t nr_fields;		/* marked rel32 fields per entry */
};

static void add_s32(uint8_t *field, int64_t add)
{
	fgk_wr32(field, fgk_rd32(field) + (uint32_t)add);
}

static void adjust_entry(const struct table_job *job, uint8_t *entry,
			 const struct fgk_entry_move *m)
{
	const struct fgk_table *t = job->t;
	const uint32_t *field_units = job->plan->map->field_units +
				      t->first_field_unit + (uint64_t)m->from * job->nr_fields;
	int64_t shift = ((int64_t)m->from - m->to) * t->entry_size;
	int64_t d_owner = fgk_unit_delta(job->plan, m->unit);
	uint32_t k = 0;

	if (t->key_kind == FGK_KEY_REL32)
		add_s32(entry + t->key_offset, d_owner + shift);
	else
		fgk_wr64(entry + t->key_offset, fgk_rd64(entry + t->key_offset) + (uint64_t)d_owner);
	for (uint32_t bit = 0; bit < 32; bit++)
		if (t->rel32_fields >> bit & 1)
			add_s32(entry + 4 * bit,
				fgk_unit_delta(job->plan, field_units[k++]) + shift);
}

static void emit_entry(const struct table_job *job, const struct fgk_entry_move *m)
{
	const struct fgk_table *t = job->t;
	uint8_t *entry = job->image + t->offset + (uint64_t)m->to * t->entry_size;
	uint64_t par = t->par_entry_size;

	fgk_copy(entry, job->old + (uint64_t)m->from * t->entry_size, t->entry_size);
	adjust_entry(job, entry, m);
	if (par)
		fgk_copy(job->image + t->par_offset + m->to * par,
			 job->old_par + m->from * par, par);
}

static void resort_table(const struct fgk_plan *plan, uint8_t *image,
			 const struct fgk_table *t)
{
	uint64_t n = t->nr_entries;
	struct fgk_runs runs;
	struct fgk_runs_iter it;
	struct fgk_owner_iter owners;
	struct fgk_entry_move m;
	uint8_t *old = fgk_runs_init(&runs, plan, plan->work, t->nr_entries);
	uint8_t *old_par = old + fgk_align8(n * t->entry_size);
	struct table_job job = { plan, t, image, old, old_par, fgk_popcount(t->rel32_fields) };

	fgk_copy(old, image + t->offset, n * t->entry_size);
	fgk_copy(old_par, image + t->par_offset, n * t->par_entry_size);
	fgk_owner_init(&owners, plan->map, t->first_override, t->nr_overrides);
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		int64_t key = fgk_table_key(plan->map, t, old + (uint64_t)i * t->entry_size, i);

		fgk_runs_add(&runs, i, fgk_owner_next(&owners, i, key));
	}
	for (fgk_runs_iter_init(&it, &runs); fgk_runs_next(&it, &m);)
		emit_entry(&job, &m);
}

uint32_t fgk_resort_tables(const struct fgk_plan *plan, uint8_t *image)
{
	uint32_t entries = 0;

	for (uint32_t i = 0; i < plan->map->hdr->nr_tables; i++) {
		resort_table(plan, image, &plan->map->tables[i]);
		entries += plan->map->tables[i].nr_entries;
	}
	return entries;
}
