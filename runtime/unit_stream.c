/* unit_stream.c: decode the map's unit stream into the caller's memory, indexed by unit. */
#include "fgk_internal.h"

/* Words below 2^40: a 32-bit gap shifted by 5, or a size. */
#define WORD_BITS 40

uint64_t fgk_map_units_bytes(const void *buf, uint64_t size)
{
	const struct fgk_map_header *h = buf;

	if (!buf || size < sizeof(*h) || h->magic != FGK_MAP_MAGIC ||
	    h->version != FGK_MAP_VERSION)
		return 0;
	return fgk_align8((uint64_t)h->nr_units * sizeof(struct fgk_unit));
}

/*
 * Decode into `out` (nr_units entries): offsets and sizes within 32 bits,
 * alignments powers of two up to 2^31, the stream used up exactly. Order
 * and placement are fgk_check_units' business.
 */
int fgk_decode_units(const struct fgk_map *map, const uint8_t *stream, struct fgk_unit *out)
{
	const uint8_t *at = stream, *end = stream + map->hdr->unit_bytes;
	uint64_t prev_end = 0, w, size;

	if (map->hdr->nr_units >= FGK_UNIT_NONE)
		return FGK_E_UNIT;	/* unit indexes must stay below FGK_UNIT_NONE */
	for (uint32_t i = 0; i < map->hdr->nr_units; i++) {
		uint64_t offset;

		if (!fgk_read_uleb(&at, end, WORD_BITS, &w) ||
		    !fgk_read_uleb(&at, end, WORD_BITS, &size))
			return FGK_E_UNIT;
		offset = prev_end + (w >> 5);
		if (offset > UINT32_MAX || size > UINT32_MAX)
			return FGK_E_UNIT;
		out[i].offset = (uint32_t)offset;
		out[i].size = (uint32_t)size;
		out[i].align = 1u << (w & 31);
		prev_end = offset + size;
	}
	return at == end ? FGK_OK : FGK_E_UNIT;
}
