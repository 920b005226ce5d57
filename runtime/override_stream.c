/* override_stream.c: decode the map's overrides in order, from any index, and check the whole stream once. */
#include "fgk_internal.h"

/*
 * The overrides are one stream of ULEB128 words (fgk_map.h): per override
 * the entry and the unit, each as a zigzag delta from the previous one.
 * Users name a run by its first index; the cursor decodes from the start
 * to get there (a few thousand words, a handful of times per boot).
 */

/* A ULEB128 word below 2^35 (deltas of u32 values) from [*at, end); 0 if none. */
static int read_long_word(const uint8_t **at, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *at;
	uint64_t value = 0;

	for (uint32_t shift = 0; p < end && shift < 35; shift += 7) {
		uint8_t byte = *p++;

		value |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*at = p;
			*v = value;
			return 1;
		}
	}
	return 0;
}

static inline int read_word(const uint8_t **at, const uint8_t *end, uint64_t *v)
{
	if (*at < end && !(**at & 0x80)) {	/* one byte: most of them */
		*v = *(*at)++;
		return 1;
	}
	return read_long_word(at, end, v);
}

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

	if (!read_word(&c->at, c->end, &e) || !read_word(&c->at, c->end, &u))
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
