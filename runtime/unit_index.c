/* unit_index.c: which unit holds an image offset, for offsets in any order. */
#include "fgk_internal.h"

/*
 * The walks of walk.c need offsets in order; the addresses xref fields
 * point at come in any order. The span from the first region's start to
 * the last one's end is cut into buckets of 2^FGK_BUCKET_SHIFT bytes, and
 * a bucket names the first unit ending after its start: a lookup is one
 * range check (most pointers to data fail it), then a step over the
 * units of one bucket, rarely taken. Buckets are 32 bytes, against
 * functions of a few hundred: most lie inside one unit, so the step is
 * taken too seldom to be mispredicted, which with 256-byte buckets cost a
 * third of the xref pass's time (test config: 2.3 ms -> 1.5 ms natively).
 * The index takes an eighth of the span in the XREFS phase's scratch, less
 * than the region copy the move needs later. Offsets between units, or
 * between regions, hold none.
 *
 *   regions:  |u0      |u1 |u2  |  pad  |u3   |   fixed   |u4      |
 *   buckets:  [  b0: u0   ][  b1: u1  ][  b2: u3 ][ b3: u4 ][ b4: u4 ]
 */

static void span_of(const struct fgk_map *map, uint64_t *lo, uint64_t *span)
{
	uint32_t n = map->hdr->nr_regions;

	*lo = n ? map->regions[0].start : 0;
	*span = n ? map->regions[n - 1].end - *lo : 0;
}

uint64_t fgk_unit_index_bytes(const struct fgk_map *map)
{
	uint64_t lo, span;

	if (!map->hdr->nr_regions)
		return 0;	/* nothing moves: no scratch at all */
	span_of(map, &lo, &span);
	return fgk_align8(((span >> FGK_BUCKET_SHIFT) + 1) * sizeof(uint32_t));
}

void fgk_unit_index_build(struct fgk_unit_index *ix, const struct fgk_map *map, uint32_t *mem)
{
	uint32_t u = 0, n = map->hdr->nr_units;
	uint64_t lo, span;

	span_of(map, &lo, &span);
	ix->units = map->units;
	ix->nr_units = n;
	ix->lo = (int64_t)lo;
	ix->span = span;
	ix->first = mem;
	for (uint64_t b = 0; n && b <= span >> FGK_BUCKET_SHIFT; b++) {
		uint64_t at = lo + (b << FGK_BUCKET_SHIFT);

		while (u < n && (uint64_t)map->units[u].offset + map->units[u].size <= at)
			u++;
		mem[b] = u;
	}
}
