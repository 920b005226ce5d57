/* override_codec.c: the map's override stream from and to struct fgk_override arrays. */
#include <stdlib.h>

#include "map_write.h"

static uint64_t zigzag(int64_t d)
{
	return d >= 0 ? (uint64_t)d << 1 : ((uint64_t)-d << 1) - 1;
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

uint8_t *fgk_overrides_encode(const struct fgk_override *ov, uint32_t n, size_t *bytes)
{
	uint8_t *buf = malloc(20 * (size_t)n + 1), *p = buf;
	int64_t entry = 0, unit = 0;

	for (uint32_t i = 0; buf && i < n; i++) {
		p = fgk_put_uleb(p, zigzag((int64_t)ov[i].entry - entry));
		entry = ov[i].entry;
		if (ov[i].unit == FGK_UNIT_NONE) {
			p = fgk_put_uleb(p, 0);
			continue;
		}
		p = fgk_put_uleb(p, zigzag((int64_t)ov[i].unit - unit) + 1);
		unit = ov[i].unit;
	}
	*bytes = buf ? (size_t)(p - buf) : 0;
	return buf;
}

struct fgk_override *fgk_overrides_decode(const void *map)
{
	const struct fgk_map_header *h = map;
	const uint8_t *at = fgk_map_section(map, FGK_MAP_OVERRIDES), *end;
	struct fgk_override *ov = calloc(h->nr_overrides + 1, sizeof(*ov));
	int64_t entry = 0, unit = 0;
	uint64_t e, u;

	end = at + h->override_bytes;
	for (uint32_t i = 0; ov && i < h->nr_overrides; i++) {
		if (!fgk_get_uleb(&at, end, &e) || !fgk_get_uleb(&at, end, &u)) {
			free(ov);
			return NULL;
		}
		entry += unzigzag(e);
		if (u)
			unit += unzigzag(u - 1);
		ov[i].entry = (uint32_t)entry;
		ov[i].unit = u ? (uint32_t)unit : FGK_UNIT_NONE;
	}
	return ov;
}
