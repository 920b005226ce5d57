/* layout.c: the plan: a seeded permutation of each region's units, then their new offsets. */
#include "fgk_internal.h"

/*
 * From the region's start, each unit in `order` is placed at the next
 * offset aligned to its alignment. The layout must end by region.end
 * (alignment padding can make a permutation longer than the original).
 */
int fgk_layout_region(const struct fgk_map *map, uint32_t region,
		      const uint32_t *order, int32_t *delta)
{
	const struct fgk_region *reg = &map->regions[region];
	uint64_t pos = reg->start;

	for (uint32_t k = reg->first_unit; k < reg->first_unit + reg->nr_units; k++) {
		const struct fgk_unit *u = &map->units[order[k]];

		pos = (pos + u->align - 1) & ~(uint64_t)(u->align - 1);
		delta[order[k]] = (int32_t)((int64_t)pos - u->offset);
		pos += u->size;
		if (pos > reg->end)
			return FGK_E_NOSPACE;
	}
	return FGK_OK;
}

/*
 * One generator stream for all regions, in region order, so the key (or
 * seed) alone fixes the whole layout. Nothing is written to the image here.
 * The generator's state is wiped afterwards: the key must not outlive the
 * layout on the stack.
 */
int fgk_plan_layout(const struct fgk_plan *plan, const struct fgk_shuffle_args *args)
{
	const struct fgk_map *map = plan->map;
	struct fgk_rng rng;
	int err = FGK_OK;

	if (args->key)
		fgk_rng_init(&rng, args->key);
	else
		fgk_rng_seed(&rng, args->seed);
	for (uint32_t i = 0; i < map->hdr->nr_units; i++)
		plan->order[i] = i;
	for (uint32_t r = 0; r < map->hdr->nr_regions && !err; r++) {
		const struct fgk_region *reg = &map->regions[r];

		fgk_rng_permute(&rng, plan->order + reg->first_unit, reg->nr_units);
		err = fgk_layout_region(map, r, plan->order, plan->delta);
	}
	fgk_fill(&rng, 0, sizeof(rng));
	return err;
}
