/* override_stream.c: decode the overrides in order, from any index; check the stream once. */
#include "fgk_internal.h"

/*
 * The overrides are one stream of ULEB128 words (fgk_map.h): per override
 * the entry and the unit, each as a zigzag delta from the previous one.
 * Users name a run by its first index; the cursor decodes from the start
 * to get there (a few thousand words, a handful of times per boot).
 */

/* Words below 2^35: deltas of u32 values. */
#define WORD_BITS 35

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

void fgk_override_cursor_init(struct fgk_override_cursor *c, const struct fgk_map *map)
{
	c->at = map->overrides;
	c->end = map->overrides + map->hdr->override_bytes;
	c->entry = 0;
	c->unit = 0;
}

/* The next override; 0 if the stream is malformed there (a value outside u32). */
int fgk_override_next(struct fgk_override_cursor *c, struct fgk_override *o)
{
	uint64_t e, u;
	int64_t entry, unit = c->unit;

	if (!fgk_read_uleb(&c->at, c->end, WORD_BITS, &e) ||
	    !fgk_read_uleb(&c->at, c->end, WORD_BITS, &u))
		return 0;
	entry = c->entry + unzigzag(e);
	if (u)
		unit = c->unit + unzigzag(u - 1);
	if (entry < 0 || entry > UINT32_MAX || unit < 0 || unit >= FGK_UNIT_NONE)
		return 0;
	c->entry = entry;
	c->unit = unit;
	o->entry = (uint32_t)entry;
	o->unit = u ? (uint32_t)unit : FGK_UNIT_NONE;
	return 1;
}

/* Skip to index `first` of a checked stream. */
void fgk_override_cursor_at(struct fgk_override_cursor *c, const struct fgk_map *map,
			    uint32_t first)
{
	struct fgk_override o;

	fgk_override_cursor_init(c, map);
	for (uint32_t i = 0; i < first && fgk_override_next(c, &o); i++)
		;
}

/* The stream holds exactly nr_overrides well-formed overrides. */
int fgk_check_override_stream(const struct fgk_map *map)
{
	struct fgk_override_cursor c;
	struct fgk_override o;

	fgk_override_cursor_init(&c, map);
	for (uint32_t i = 0; i < map->hdr->nr_overrides; i++)
		if (!fgk_override_next(&c, &o))
			return -1;
	return c.at == c.end ? 0 : -1;
}
