/* validate_symtab.c: the kallsyms-style symtab's shape: kind, count, tie runs (fgk_map_open). */
#include "fgk_internal.h"

/* Tie runs: only with seqs, sorted, apart, two or more positions each, inside seqs. */
static int ties_ok(const struct fgk_map *map)
{
	const struct fgk_symtab *st = map->symtab;
	uint64_t prev_end = 0;

	if (!map->hdr->nr_sym_ties)
		return 1;
	if (!st || !(st->flags & FGK_SYMTAB_SEQS))
		return 0;
	for (uint32_t r = 0; r < map->hdr->nr_sym_ties; r++) {
		const struct fgk_sym_tie *t = &map->sym_ties[r];
		uint64_t end = (uint64_t)t->first + t->count;

		if (t->count < 2 || t->first < prev_end || end > st->nr_syms)
			return 0;
		prev_end = end;
	}
	return 1;
}

int fgk_check_symtab_shape(const struct fgk_map *map)
{
	const struct fgk_symtab *st = map->symtab;

	if (!ties_ok(map))
		return FGK_E_SYMTAB;
	if (!st)
		return FGK_OK;
	if (st->flags & ~FGK_SYMTAB_SEQS || st->nr_syms > FGK_MAX_SYMS)
		return FGK_E_SYMTAB;
	if (st->offsets_kind != FGK_SYMOFF_RELATIVE &&
	    st->offsets_kind != FGK_SYMOFF_ABS_PERCPU)
		return FGK_E_SYMTAB;
	/* the owner walk decodes this run of overrides */
	if ((uint64_t)st->first_override + st->nr_overrides > map->hdr->nr_overrides)
		return FGK_E_SYMTAB;
	return FGK_OK;
}
