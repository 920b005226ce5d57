/* validate_table.c: (fgk_map_open) table entry layout and where the field units lie. */
#include "fgk_internal.h"

/*
 *   entry (entry_size bytes):  | key at key_offset | rel32 field at 4*i ... |
 *
 * Marked rel32 fields are whole s32 slots inside the entry and never touch
 * the key. The arrays' place in the image is checked by validate_arrays.c.
 */
static int fields_ok(const struct fgk_table *t, uint32_t key_width)
{
	for (uint32_t fields = t->rel32_fields; fields;) {
		uint64_t start = 4 * fgk_next_field(&fields), end = start + 4;

		if (end > t->entry_size)
			return 0;
		if (start < (uint64_t)t->key_offset + key_width && t->key_offset < end)
			return 0;
	}
	return 1;
}

/* What fgk_map_open needs: the entry layout, the field units' and the overrides' place. */
static int shape_ok(const struct fgk_map *map, const struct fgk_table *t)
{
	uint32_t width = fgk_key_width(t->key_kind);

	if (!width || t->reserved || (uint64_t)t->key_offset + width > t->entry_size)
		return 0;
	return fields_ok(t, width) &&
	       t->first_field_unit + fgk_table_field_units(t) <= map->hdr->nr_field_units &&
	       (uint64_t)t->first_override + t->nr_overrides <= map->hdr->nr_overrides;
}

int fgk_check_table_shapes(const struct fgk_map *map)
{
	for (uint32_t i = 0; i < map->hdr->nr_tables; i++)
		if (!shape_ok(map, &map->tables[i]))
			return FGK_E_TABLE;
	return FGK_OK;
}
