/* validate_arrays.c: table and symtab arrays inside the image, apart, outside every region. */
#include "fgk_internal.h"

/*
 * The runtime rewrites these arrays as a whole after the move, so they
 * must not share bytes with each other or with anything that moves.
 */

static int span_error(const struct fgk_map *map, uint32_t id)
{
	return id / 2 < map->hdr->nr_tables ? FGK_E_TABLE : FGK_E_SYMTAB;
}

int fgk_check_arrays(const struct fgk_map *map)
{
	struct fgk_guard g;
	struct fgk_region_walk rw;
	uint64_t prev_end = 0;

	fgk_region_walk_init(&rw, map);
	for (fgk_guard_init(&g, map); g.valid; fgk_guard_next(&g)) {
		const struct fgk_span *s = &g.cur;

		if (s->end > map->hdr->image_size || s->start < prev_end ||
		    fgk_region_overlaps(&rw, (int64_t)s->start, (int64_t)s->end))
			return span_error(map, s->id);
		prev_end = s->end;
	}
	return FGK_OK;
}
