/* table.c: re-sort the address tables after the move, run by run, fixing keys and fields. */
#include "fgk_internal.h"

/*
 * The table (and its parallel array) is copied to scratch, owners are
 * found on the copy with the original keys and noted per entry, each run
 * is given its new place (runs.c), then a second pass over the copy and
 * the noted owners writes every run at its new index, adjusted, in one
 * copy. The walk is asked only for a run's first entry: the next entries
 * belong to the same unit while no override names them and their keys
 * stay inside it. Moving entry i to j
 * shifts its self-relative fields by pos_i - pos_j = (i - j) * entry_size,
 * the same for the whole run:
 *   REL32 key:    new = old + dT(owner) + (pos_i - pos_j)
 *   ABS64 key:    new = old + dT(owner)
 *   rel32 field:  new = old + dT(field unit) + (pos_i - pos_j)
 */
uint64_t fgk_table_work_bytes(const struct fgk_map *map, const struct fgk_table *t)
{
	uint64_t n = t->nr_entries;

	return fgk_runs_bytes(map) + fgk_align8(n * t->entry_size) +
	       fgk_align8(n * t->par_entry_size) + fgk_align8(n * 4);
}

struct table_job {
	const struct fgk_plan *plan;
	const struct fgk_table *t;
	uint8_t *image;
	uint8_t *old;			/* copy of the entries, adjusted in place */
	const uint8_t *old_par;		/* copy of the parallel array */
	uint32_t *owner;		/* per entry, found by count_pass */
	uint32_t nr_fields;		/* marked rel32 fields per entry */
	struct fgk_runs runs;
};

static void add_s32(uint8_t *field, int64_t add)
{
	fgk_wr32(field, fgk_rd32(field) + (uint32_t)add);
}

static void adjust_entry(const struct table_job *job, uint8_t *entry,
			 uint32_t from, uint32_t to, uint32_t owner)
{
	const struct fgk_table *t = job->t;
	const uint32_t *field_units = job->plan->map->field_units +
				      t->first_field_unit + (uint64_t)from * job->nr_fields;
	int64_t shift = ((int64_t)from - to) * t->entry_size;
	int64_t d_owner = fgk_unit_delta(job->plan, owner);

	if (t->key_kind == FGK_KEY_REL32)
		add_s32(entry + t->key_offset, d_owner + shift);
	else
		fgk_wr64(entry + t->key_offset,
			 fgk_rd64(entry + t->key_offset) + (uint64_t)d_owner);
	for (uint32_t fields = t->rel32_fields; fields;) {
		uint32_t slot = fgk_next_field(&fields);

		add_s32(entry + 4 * slot, fgk_unit_delta(job->plan, *field_units++) + shift);
	}
}

/* adjust_entry() for a run of entries without rel32 fields: one sum for all keys. */
static void adjust_keys(const struct table_job *job, uint8_t *entries, uint32_t count,
			uint32_t from, uint32_t to, uint32_t owner)
{
	const struct fgk_table *t = job->t;
	int64_t d_owner = fgk_unit_delta(job->plan, owner);
	uint8_t *key = entries + t->key_offset;

	if (t->key_kind == FGK_KEY_REL32) {
		uint32_t add = (uint32_t)(d_owner + ((int64_t)from - to) * t->entry_size);

		for (uint32_t k = 0; k < count; k++, key += t->entry_size)
			fgk_wr32(key, fgk_rd32(key) + add);
		return;
	}
	for (uint32_t k = 0; k < count; k++, key += t->entry_size)
		fgk_wr64(key, fgk_rd64(key) + (uint64_t)d_owner);
}

/*
 * The run's entries are adjusted in the copy (read sequentially, in cache)
 * and then stored once at their new place: reading back the scattered
 * store would wait for a cache miss on every entry.
 */
static void emit_run(struct table_job *job, uint32_t from, uint32_t to, uint32_t count,
		     uint32_t owner)
{
	const struct fgk_table *t = job->t;
	uint8_t *entries = job->old + (uint64_t)from * t->entry_size;
	uint64_t par = t->par_entry_size;

	/* never past the table (runs.c), but not trusted: a clamp */
	count = to <= t->nr_entries && count <= t->nr_entries - to ? count : 0;
	if (t->rel32_fields) {
		for (uint32_t k = 0; k < count; k++)
			adjust_entry(job, entries + (uint64_t)k * t->entry_size,
				     from + k, to + k, owner);
	} else {
		adjust_keys(job, entries, count, from, to, owner);
	}
	fgk_copy(job->image + t->offset + (uint64_t)to * t->entry_size, entries,
		 (uint64_t)count * t->entry_size);
	if (par)
		fgk_copy(job->image + t->par_offset + to * par, job->old_par + from * par,
			 count * par);
}

/*
 * Entries from `first` on that share its owner `owner` without asking the
 * walk: until the next override, or a key outside the unit. An unowned
 * entry is a run of its own, and so is an entry of an ABS64 table
 * (__mcount_loc: one per function, where looking ahead costs a second
 * key decoding per entry and finds nothing).
 */
static uint32_t run_length(const struct table_job *job, const struct fgk_owner_iter *owners,
			   uint32_t first, uint32_t owner)
{
	const struct fgk_table *t = job->t;
	const struct fgk_unit *u;
	uint32_t end = fgk_owner_next_override(owners, t->nr_entries), j;

	/* an override past the table (a map fgk_map_check refuses) ends nothing early */
	end = end < t->nr_entries ? end : t->nr_entries;
	if (owner == FGK_UNIT_NONE || t->key_kind != FGK_KEY_REL32 || first + 1 >= end)
		return 1;
	u = &job->plan->map->units[owner];
	/* fgk_table_key() inline: key = the field's position + its value */
	int64_t pos = (int64_t)t->offset + (int64_t)(first + 1) * t->entry_size + t->key_offset;
	const uint8_t *key = job->old + (uint64_t)(first + 1) * t->entry_size + t->key_offset;

	for (j = first + 1; j < end; j++, pos += t->entry_size, key += t->entry_size)
		if ((uint64_t)(pos + (int32_t)fgk_rd32(key) - u->offset) >= u->size)
			break;
	return j - first;
}

/* Pass 0: each entry's owner, run by run, noted and counted. */
static void count_pass(struct table_job *job)
{
	const struct fgk_table *t = job->t;
	struct fgk_owner_iter owners;
	uint32_t count;

	fgk_owner_init(&owners, job->plan->map, t->first_override, t->nr_overrides);
	for (uint32_t i = 0; i < t->nr_entries; i += count) {
		const uint8_t *old = job->old + (uint64_t)i * t->entry_size;
		int64_t key = fgk_table_key(job->plan->map, t, old, i);
		/* before the entry is adjusted */
		uint32_t owner = fgk_owner_next(&owners, i, key);

		count = run_length(job, &owners, i, owner);
		for (uint32_t k = 0; k < count; k++)
			job->owner[i + k] = owner;
		if (owner == FGK_UNIT_NONE)
			fgk_runs_add(&job->runs, i, owner, key);
		else
			fgk_runs_add_run(&job->runs, i, count, owner);
	}
}

/*
 * Pass 1: every run of one owner at its new place. Neighbouring runs of
 * one unit (split by an override naming it) go as one: runs.c hands them
 * the same indexes either way.
 */
static void write_pass(struct table_job *job)
{
	const struct fgk_table *t = job->t;
	uint32_t count;

	for (uint32_t i = 0; i < t->nr_entries; i += count) {
		uint32_t owner = job->owner[i];

		count = 1;
		if (owner == FGK_UNIT_NONE) {
			int64_t key = fgk_table_key(job->plan->map, t,
						    job->old + (uint64_t)i * t->entry_size, i);

			emit_run(job, i, fgk_runs_to(&job->runs, i, owner, key), 1, owner);
			continue;
		}
		while (i + count < t->nr_entries && job->owner[i + count] == owner)
			count++;
		emit_run(job, i, fgk_runs_to_run(&job->runs, count, owner), count, owner);
	}
}

static void resort_table(const struct fgk_plan *plan, uint8_t *image,
			 const struct fgk_table *t)
{
	uint64_t n = t->nr_entries;
	struct table_job job;
	uint8_t *old = fgk_runs_init(&job.runs, plan, plan->work);

	job.plan = plan;
	job.t = t;
	job.image = image;
	job.old = old;
	job.old_par = old + fgk_align8(n * t->entry_size);
	job.owner = (uint32_t *)(old + fgk_align8(n * t->entry_size) +
				 fgk_align8(n * t->par_entry_size));
	job.nr_fields = fgk_popcount(t->rel32_fields);
	fgk_copy_bulk(old, image + t->offset, n * t->entry_size);
	if (t->par_entry_size)
		fgk_copy_bulk(old + fgk_align8(n * t->entry_size), image + t->par_offset,
			 n * t->par_entry_size);
	count_pass(&job);
	fgk_runs_place(&job.runs);
	write_pass(&job);
}

/* The caller's per-table callback (fgk.h); args may be NULL. */
static void enter_table(const struct fgk_shuffle_args *args, uint32_t index)
{
	if (args && args->table)
		args->table(args->phase_ctx, index);
}

uint32_t fgk_resort_tables(const struct fgk_plan *plan, uint8_t *image,
			   const struct fgk_shuffle_args *args)
{
	uint32_t entries = 0, n = plan->map->hdr->nr_tables;

	for (uint32_t i = 0; i < n; i++) {
		enter_table(args, i);
		if (!plan->map->tables[i].nr_entries)
			continue;	/* its offset was never checked: touch nothing */
		resort_table(plan, image, &plan->map->tables[i]);
		entries += plan->map->tables[i].nr_entries;
	}
	enter_table(args, n);
	return entries;
}
