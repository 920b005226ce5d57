/* unit_codec.c: the map's unit stream from and to struct fgk_unit arrays (host side). */
#include <stdlib.h>

#include "map_write.h"

static uint32_t log2_of(uint32_t align)
{
	uint32_t l = 0;

	while (l < 31 && (1u << l) < align)
		l++;
	return l;
}

/*
 * Units must be sorted and disjoint (a gap is offset - previous end); an
 * alignment that is not a power of two is written as the next one up.
 */
uint8_t *fgk_units_encode(const struct fgk_unit *u, uint32_t n, size_t *bytes)
{
	uint8_t *buf = malloc(20 * (size_t)n + 1), *p = buf;
	uint64_t prev_end = 0;

	for (uint32_t i = 0; buf && i < n; i++) {
		p = fgk_put_uleb(p, (uint64_t)(u[i].offset - prev_end) << 5 | log2_of(u[i].align));
		p = fgk_put_uleb(p, u[i].size);
		prev_end = (uint64_t)u[i].offset + u[i].size;
	}
	*bytes = buf ? (size_t)(p - buf) : 0;
	return buf;
}

struct fgk_unit *fgk_units_decode(const void *map)
{
	const struct fgk_map_header *h = map;
	const uint8_t *at = fgk_map_section(map, FGK_MAP_UNITS), *end = at + h->unit_bytes;
	struct fgk_unit *u = calloc(h->nr_units + 1, sizeof(*u));
	uint64_t prev_end = 0, w, size;

	for (uint32_t i = 0; u && i < h->nr_units; i++) {
		if (!fgk_get_uleb(&at, end, &w) || !fgk_get_uleb(&at, end, &size)) {
			free(u);
			return NULL;
		}
		u[i].offset = (uint32_t)(prev_end + (w >> 5));
		u[i].size = (uint32_t)size;
		u[i].align = 1u << (w & 31);
		prev_end = (uint64_t)u[i].offset + u[i].size;
	}
	return u;
}
