/* unit_index.c: which unit holds an image offset, for offsets in any order (the derived xref targets). */
#include "fgk_internal.h"

/*
 * The walks of walk.c need offsets in order; the addresses xref fields
 * point at come in any order. Each region is cut into buckets of
 * 2^FGK_BUCKET_SHIFT bytes, and a bucket names the first unit ending
 * after its start: a lookup is a search over the few regions, then a
 * step or two over the units of one bucket (units are at least 1 byte,
 * usually 16-aligned, so a bucket holds only a few).
 *
 *   index:  | base[nr_regions]: each region's first bucket | buckets |
 *
 *   region:   |u0      |u1 |u2  |  pad  |u3         |
 *   buckets:  [  b0: u0   ][  b1: u1  ][  b2: u3    ]
 */

static uint64_t region_buckets(const struct fgk_region *r)
{
	return ((uint64_t)(r->end - r->start) >> FGK_BUCKET_SHIFT) + 1;
}

uint64_t fgk_unit_index_bytes(const struct fgk_map *map)
{
	uint64_t n = map->hdr->nr_regions;

	for (uint32_t r = 0; r < map->hdr->nr_regions; r++)
		n += region_buckets(&map->regions[r]);
	return fgk_align8(n * sizeof(uint32_t));
}

void fgk_unit_index_build(struct fgk_unit_index *ix, const struct fgk_map *map, uint32_t *mem)
{
	uint32_t *bucket = mem + map->hdr->nr_regions;

	ix->map = map;
	ix->base = mem;
	ix->first = bucket;
	for (uint32_t r = 0; r < map->hdr->nr_regions; r++) {
		const struct fgk_region *reg = &map->regions[r];
		uint32_t u = reg->first_unit, last = reg->first_unit + reg->nr_units;
		uint64_t n = region_buckets(reg);

		ix->base[r] = (uint32_t)(bucket - ix->first);
		for (uint64_t b = 0; b < n; b++) {
			uint64_t at = reg->start + (b << FGK_BUCKET_SHIFT);

			while (u < last && (uint64_t)map->units[u].offset + map->units[u].size <= at)
				u++;
			*bucket++ = u;
		}
	}
}

/* The unit holding image offset `off`, or FGK_UNIT_NONE. */
uint32_t fgk_unit_index_find(const struct fgk_unit_index *ix, int64_t off)
{
	const struct fgk_unit *units = ix->map->units;
	uint32_t r = fgk_region_find(ix->map, off), u, last;
	const struct fgk_region *reg;

	if (r == FGK_UNIT_NONE)
		return FGK_UNIT_NONE;
	reg = &ix->map->regions[r];
	u = ix->first[ix->base[r] + ((uint64_t)(off - reg->start) >> FGK_BUCKET_SHIFT)];
	last = reg->first_unit + reg->nr_units;
	while (u < last && (int64_t)units[u].offset + units[u].size <= off)
		u++;
	return u < last && units[u].offset <= off ? u : FGK_UNIT_NONE;
}
