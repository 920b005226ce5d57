/* shuffle.c: fgk_shuffle: check arguments, plan, then run the phases in order. */
#include "fgk_internal.h"

/*
 * Every failure (FGK_E_ARG, FGK_E_NOMEM, FGK_E_NOSPACE) is detected in
 * PLAN, before the first write (a base delta that a 32-bit relocation
 * cannot take is a bad argument); fgk_map_open checked the map against
 * `image`, which must still hold the bytes that were checked. Writes stay
 * inside the image and the scratch for any map that fgk_map_open took; the
 * result is right for a map that fgk_map_check took too.
 * With FGK_NO_SHUFFLE the layout is the identity: no scratch is needed,
 * no byte of a region changes and only the base relocations are applied.
 * Stats count what was processed: xrefs fixed, table entries and symbols
 * rewritten, relocations applied (none when base_delta is 0).
 */

static void enter(const struct fgk_shuffle_args *args, enum fgk_phase phase)
{
	if (args->phase)
		args->phase(args->phase_ctx, phase);
}

static int check_args(const struct fgk_map *map, const uint8_t *image,
		      const struct fgk_shuffle_args *args)
{
	if (!map || !map->hdr || !image || !args || (args->flags & ~FGK_NO_SHUFFLE))
		return FGK_E_ARG;
	if (map->relocs_missing)
		return FGK_E_NORELOCS;
	if (args->flags & FGK_NO_SHUFFLE || !map->scratch_size)
		return FGK_OK;
	if (!args->scratch || ((uintptr_t)args->scratch & 7))
		return FGK_E_ARG;
	return args->scratch_size < map->scratch_size ? FGK_E_NOMEM : FGK_OK;
}

static void count_moves(const struct fgk_plan *plan, struct fgk_stats *stats)
{
	const struct fgk_map *map = plan->map;

	stats->units = map->hdr->nr_units;
	for (uint32_t u = 0; u < map->hdr->nr_units; u++) {
		if (!fgk_unit_delta(plan, u))
			continue;
		stats->units_moved++;
		stats->bytes_moved += map->units[u].size;
	}
}

static void report(const struct fgk_plan *plan, const struct fgk_shuffle_args *args,
		   const struct fgk_stats *stats)
{
	if (args->unit_delta)
		for (uint32_t u = 0; u < plan->map->hdr->nr_units; u++)
			args->unit_delta[u] = fgk_unit_delta(plan, u);
	if (args->stats)
		*args->stats = *stats;
}

/* The writing phases; with no shuffle only the base relocations apply. */
static void run_phases(const struct fgk_plan *plan, uint8_t *image,
		       const struct fgk_shuffle_args *args, struct fgk_stats *stats)
{
	int shuffle = plan->delta != 0;

	enter(args, FGK_PHASE_XREFS);
	stats->xrefs = shuffle ? fgk_fix_xrefs(plan, image) : 0;
	enter(args, FGK_PHASE_MOVE);
	if (shuffle)
		fgk_move_units(plan, image);
	enter(args, FGK_PHASE_TABLES);
	stats->table_entries = shuffle ? fgk_resort_tables(plan, image, args) : 0;
	enter(args, FGK_PHASE_SYMTAB);
	stats->syms = shuffle ? fgk_rebuild_symtab(plan, image) : 0;
	enter(args, FGK_PHASE_RELOCS);
	stats->relocs = fgk_apply_relocs(plan, image, args->base_delta);
}

int fgk_shuffle(const struct fgk_map *map, uint8_t *image,
		const struct fgk_shuffle_args *args)
{
	struct fgk_plan plan = { map, 0, 0, 0, 0 };
	struct fgk_stats stats;
	int err = check_args(map, image, args);

	if (err)
		return err;
	fgk_fill(&stats, 0, sizeof(stats));
	enter(args, FGK_PHASE_PLAN);
	if (!fgk_relocs_fit(map, image, args->base_delta))
		return FGK_E_ARG;
	if (!(args->flags & FGK_NO_SHUFFLE) && map->scratch_size) {
		fgk_plan_carve(&plan, map, args->scratch);
		err = fgk_plan_layout(&plan, args);
		if (err)
			return err;
	}
	count_moves(&plan, &stats);
	run_phases(&plan, image, args, &stats);
	report(&plan, args, &stats);
	enter(args, FGK_PHASE_DONE);
	return FGK_OK;
}
