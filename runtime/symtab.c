/* symtab.c: rebuild the kallsyms-style symtab in the new address order. */
#include "fgk_internal.h"

/*
 * Same runs as tables give each symbol's new index. Then, in new order:
 * offsets[new] = old offset moved by its owner (RELATIVE: v + dT;
 * ABS_PERCPU negative: v - dT), the name entry appended to the names
 * stream, a marker every 256 symbols; finally seqs (name order -> index)
 * are mapped through the new indexes.
 *
 *   work: | runs | offsets copy | names copy | name_at[n + 1] | new_index[n] |
 */
uint64_t fgk_symtab_work_bytes(const struct fgk_map *map)
{
	const struct fgk_symtab *st = map->symtab;
	uint64_t n;

	if (!st)
		return 0;
	n = st->nr_syms;
	return fgk_runs_bytes(map) + fgk_align8(4 * n) + fgk_align8(st->names_size) +
	       fgk_align8(4 * (n + 1)) + fgk_align8(4 * n);
}

struct sym_job {
	const struct fgk_plan *plan;
	const struct fgk_symtab *st;
	uint8_t *image;
	uint8_t *old_offsets, *old_names;
	uint32_t *name_at;	/* old position of each name entry, then names_size */
	uint32_t *new_index;
	struct fgk_runs runs;
};

static void carve(struct sym_job *job, uint8_t *work)
{
	uint64_t n = job->st->nr_syms;
	uint8_t *at = fgk_runs_init(&job->runs, job->plan, work, job->st->nr_syms);

	job->old_offsets = at;
	at += fgk_align8(4 * n);
	job->old_names = at;
	at += fgk_align8(job->st->names_size);
	job->name_at = (uint32_t *)at;
	at += fgk_align8(4 * (n + 1));
	job->new_index = (uint32_t *)at;
}

/* Save the arrays that are rewritten, index the names, collect runs. */
static void read_old(struct sym_job *job)
{
	const struct fgk_symtab *st = job->st;
	const struct fgk_map *map = job->plan->map;
	struct fgk_owner_iter owners;
	uint32_t at = 0;

	fgk_copy(job->old_offsets, job->image + st->offsets, 4 * (uint64_t)st->nr_syms);
	fgk_copy(job->old_names, job->image + st->names, st->names_size);
	fgk_owner_init(&owners, map, st->first_override, st->nr_overrides);
	for (uint32_t i = 0; i < st->nr_syms; i++) {
		uint64_t addr = fgk_sym_addr(st, fgk_rd32(job->old_offsets + 4 * (uint64_t)i));

		job->name_at[i] = at;
		at += fgk_name_entry_size(job->old_names + at, st->names_size - at);
		fgk_runs_add(&job->runs, i, fgk_owner_next(&owners, i, fgk_addr_offset(map, addr)));
	}
	job->name_at[st->nr_syms] = at;
}

static uint32_t moved_offset(const struct fgk_symtab *st, uint32_t v, int32_t d)
{
	if (st->offsets_kind == FGK_SYMOFF_ABS_PERCPU && (int32_t)v < 0)
		return v - (uint32_t)d;
	return v + (uint32_t)d;
}

/* Write symbol m->from at index m->to; names are appended at *names_at. */
static void emit_sym(struct sym_job *job, const struct fgk_entry_move *m, uint32_t *names_at)
{
	const struct fgk_symtab *st = job->st;
	uint32_t v = fgk_rd32(job->old_offsets + 4 * (uint64_t)m->from);
	uint32_t name = job->name_at[m->from], size = job->name_at[m->from + 1] - name;

	job->new_index[m->from] = m->to;
	fgk_wr32(job->image + st->offsets + 4 * (uint64_t)m->to,
		 moved_offset(st, v, fgk_unit_delta(job->plan, m->unit)));
	if (m->to % 256 == 0)
		fgk_wr32(job->image + st->markers + 4 * (uint64_t)(m->to / 256), *names_at);
	fgk_copy(job->image + st->names + *names_at, job->old_names + name, size);
	*names_at += size;
}

static void remap_seqs(const struct sym_job *job)
{
	uint8_t *seqs = job->image + job->st->seqs;

	if (!(job->st->flags & FGK_SYMTAB_SEQS))
		return;
	for (uint64_t i = 0; i < job->st->nr_syms; i++)
		fgk_wr24be(seqs + 3 * i, job->new_index[fgk_rd24be(seqs + 3 * i)]);
}

uint32_t fgk_rebuild_symtab(const struct fgk_plan *plan, uint8_t *image)
{
	struct sym_job job;
	struct fgk_runs_iter it;
	struct fgk_entry_move m;
	uint32_t names_at = 0;

	if (!plan->map->symtab)
		return 0;
	job.plan = plan;
	job.st = plan->map->symtab;
	job.image = image;
	carve(&job, plan->work);
	read_old(&job);
	for (fgk_runs_iter_init(&it, &job.runs); fgk_runs_next(&it, &m);)
		emit_sym(&job, &m, &names_at);
	remap_seqs(&job);
	return job.st->nr_syms;
}
