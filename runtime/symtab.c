/* symtab.c: rebuild the kallsyms-style symtab in the new address order. */
#include "fgk_internal.h"

/*
 * Same runs as tables give each symbol's new index; offsets are written
 * there, moved by their owner (RELATIVE: v + dT; ABS_PERCPU negative:
 * v - dT). The names stream is then rewritten in new order with a marker
 * every 256 symbols, and seqs (name order -> index) are mapped through the
 * new indexes. Runs of equal names in seqs (the map's sym_ties) are then
 * put back in ascending index order, which is new address order.
 *
 *   work: | runs | offsets copy | names copy | name_at[n + 1] | new_index[n] | old_at[n] |
 */
uint64_t fgk_symtab_work_bytes(const struct fgk_map *map)
{
	const struct fgk_symtab *st = map->symtab;
	uint64_t n;

	if (!st)
		return 0;
	n = st->nr_syms;
	return fgk_runs_bytes(map) + fgk_align8(4 * n) + fgk_align8(st->names_size) +
	       fgk_align8(4 * (n + 1)) + 2 * fgk_align8(4 * n);
}

struct sym_job {
	const struct fgk_plan *plan;
	const struct fgk_symtab *st;
	uint8_t *image;
	uint8_t *old_offsets, *old_names;
	uint32_t *name_at;	/* old position of each name entry, then names_size */
	uint32_t *new_index;	/* old index -> new */
	uint32_t *old_at;	/* new index -> old */
	struct fgk_runs runs;
};

static void carve(struct sym_job *job, uint8_t *work)
{
	uint64_t n = job->st->nr_syms;
	uint8_t *at = fgk_runs_init(&job->runs, job->plan, work);

	job->old_offsets = at;
	at += fgk_align8(4 * n);
	job->old_names = at;
	at += fgk_align8(job->st->names_size);
	job->name_at = (uint32_t *)at;
	at += fgk_align8(4 * (n + 1));
	job->new_index = (uint32_t *)at;
	job->old_at = (uint32_t *)(at + fgk_align8(4 * n));
}

/* Save the arrays that are rewritten and index the names. */
static void read_old(struct sym_job *job)
{
	const struct fgk_symtab *st = job->st;
	uint32_t at = 0;

	fgk_copy_bulk(job->old_offsets, job->image + st->offsets, 4 * (uint64_t)st->nr_syms);
	fgk_copy_bulk(job->old_names, job->image + st->names, st->names_size);
	for (uint32_t i = 0; i < st->nr_syms; i++) {
		job->name_at[i] = at;
		at += fgk_name_entry_size(job->old_names + at, st->names_size - at);
	}
	job->name_at[st->nr_syms] = at;
}

static uint32_t moved_offset(const struct fgk_symtab *st, uint32_t v, int32_t d)
{
	if (st->offsets_kind == FGK_SYMOFF_ABS_PERCPU && (int32_t)v < 0)
		return v - (uint32_t)d;
	return v + (uint32_t)d;
}

/* Pass 0: each symbol's owner, counted, and noted in new_index until pass 1. */
static void count_pass(struct sym_job *job)
{
	const struct fgk_symtab *st = job->st;
	const struct fgk_map *map = job->plan->map;
	struct fgk_owner_iter owners;

	fgk_owner_init(&owners, map, st->first_override, st->nr_overrides);
	for (uint32_t i = 0; i < st->nr_syms; i++) {
		uint32_t v = fgk_rd32(job->old_offsets + 4 * (uint64_t)i);
		int64_t key = fgk_addr_offset(map, fgk_sym_addr(st, v));
		uint32_t owner = fgk_owner_next(&owners, i, key);

		job->new_index[i] = owner;
		fgk_runs_add(&job->runs, i, owner, key);
	}
}

/* Pass 1: each symbol's offset at its new index, moved by its owner. */
static void write_pass(struct sym_job *job)
{
	const struct fgk_symtab *st = job->st;
	const struct fgk_map *map = job->plan->map;

	for (uint32_t i = 0; i < st->nr_syms; i++) {
		uint32_t v = fgk_rd32(job->old_offsets + 4 * (uint64_t)i);
		uint32_t owner = job->new_index[i], to;
		/* the key only matters to a symbol no unit owns */
		int64_t key = owner == FGK_UNIT_NONE ?
			      fgk_addr_offset(map, fgk_sym_addr(st, v)) : 0;

		to = fgk_runs_to(&job->runs, i, owner, key);
		job->new_index[i] = to;
		if (to < st->nr_syms) {	/* always (runs.c); not trusted */
			job->old_at[to] = i;
			fgk_wr32(job->image + st->offsets + 4 * (uint64_t)to,
				 moved_offset(st, v, fgk_unit_delta(job->plan, owner)));
		}
	}
}

/*
 * The names stream in new order, and a marker at every 256th symbol. A
 * new index that no symbol took (two took another: owners fgk_map_check
 * refuses) is skipped; each symbol's name is written at most once, so
 * the stream cannot outgrow its array.
 */
static void write_names(const struct sym_job *job)
{
	const struct fgk_symtab *st = job->st;
	uint32_t at = 0;

	for (uint32_t j = 0; j < st->nr_syms; j++) {
		uint32_t i = job->old_at[j];

		if (j % 256 == 0)
			fgk_wr32(job->image + st->markers + 4 * (uint64_t)(j / 256), at);
		if (i < st->nr_syms) {
			uint32_t size = job->name_at[i + 1] - job->name_at[i];

			fgk_copy(job->image + st->names + at,
				 job->old_names + job->name_at[i], size);
			at += size;
		}
	}
}

static void remap_seqs(const struct sym_job *job)
{
	uint8_t *seqs;

	if (!(job->st->flags & FGK_SYMTAB_SEQS))
		return;	/* seqs is then no offset in the image */
	seqs = job->image + job->st->seqs;
	for (uint64_t i = 0; i < job->st->nr_syms; i++) {
		uint32_t old = fgk_rd24be(seqs + 3 * i);

		if (old < job->st->nr_syms)	/* else fgk_map_check refuses the map */
			fgk_wr24be(seqs + 3 * i, job->new_index[old]);
	}
}

/*
 * Each tie run's indexes, ascending: tag every index that is in a run with
 * its run, then hand out the indexes in ascending order to their runs'
 * positions. Linear in symbols; name_at and new_index are free by now and
 * hold the tags and the runs' cursors.
 */
static void order_ties(const struct sym_job *job)
{
	const struct fgk_map *map = job->plan->map;
	const struct fgk_sym_tie *ties = map->sym_ties;
	uint32_t nr_ties = map->hdr->nr_sym_ties, n = job->st->nr_syms;
	uint32_t *tag = job->name_at, *cursor = job->new_index;
	uint8_t *seqs;

	if (!nr_ties)
		return;		/* then seqs may be no offset in the image */
	seqs = job->image + job->st->seqs;
	fgk_fill(tag, 0xff, 4 * (uint64_t)n);
	for (uint32_t r = 0; r < nr_ties; r++) {
		cursor[r] = ties[r].first;
		for (uint32_t p = ties[r].first; p < ties[r].first + ties[r].count; p++) {
			uint32_t j = fgk_rd24be(seqs + 3 * (uint64_t)p);

			if (j < n)	/* else fgk_map_check refuses the map */
				tag[j] = r;
		}
	}
	for (uint32_t j = 0; j < n; j++)
		if (tag[j] != FGK_NO_ENTRY)
			fgk_wr24be(seqs + 3 * (uint64_t)cursor[tag[j]]++, j);
}

uint32_t fgk_rebuild_symtab(const struct fgk_plan *plan, uint8_t *image)
{
	struct sym_job job;

	/*
	 * Empty arrays are not checked against the image: touch none (symbols
	 * without names come only in a map fgk_map_check refuses).
	 */
	if (!plan->map->symtab || !plan->map->symtab->nr_syms || !plan->map->symtab->names_size)
		return 0;
	job.plan = plan;
	job.st = plan->map->symtab;
	job.image = image;
	carve(&job, plan->work);
	fgk_fill(job.old_at, 0xff, 4 * (uint64_t)job.st->nr_syms);	/* no symbol yet */
	read_old(&job);
	count_pass(&job);
	fgk_runs_place(&job.runs);
	write_pass(&job);
	write_names(&job);
	remap_seqs(&job);
	order_ties(&job);
	return job.st->nr_syms;
}
