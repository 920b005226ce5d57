/* table_entry.c: decoding a table entry: key width, key position, marked fields. */
#include "fgk_internal.h"

/* Bytes of a key of this kind, 0 for an unknown kind. */
uint32_t fgk_key_width(uint32_t key_kind)
{
	if (key_kind == FGK_KEY_REL32)
		return 4;
	if (key_kind == FGK_KEY_ABS64)
		return 8;
	return 0;
}

/*
 * The image offset the key of entry `index` points to, as a signed value
 * (keys may point outside the image; ABS64 keys are clamped as by
 * fgk_addr_offset, REL32 ones are within 2^31 of it). `entry` holds the entry's bytes,
 * which may be a scratch copy: a REL32 key is relative to where the field
 * lies in the table, so the position comes from `index`.
 */
int64_t fgk_table_key(const struct fgk_map *map, const struct fgk_table *t,
		      const uint8_t *entry, uint32_t index)
{
	const uint8_t *key = entry + t->key_offset;

	if (t->key_kind == FGK_KEY_REL32) {
		int64_t pos = (int64_t)t->offset + (int64_t)index * t->entry_size +
			      t->key_offset;
		return pos + (int32_t)fgk_rd32(key);
	}
	return fgk_addr_offset(map, fgk_rd64(key));
}

/* Number of marked rel32 fields per entry. */
uint32_t fgk_popcount(uint32_t v)
{
	uint32_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}
