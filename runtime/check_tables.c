/* check_tables.c: (fgk_map_check) tables: overrides, field units, keys, owners, s32 bounds. */
#include "fgk_internal.h"

/* Each unit a field unit names exists (fgk_map_check). */
static int field_units_ok(const struct fgk_map *map, const struct fgk_table *t)
{
	for (uint64_t i = 0; i < fgk_table_field_units(t); i++) {
		uint32_t unit = map->field_units[t->first_field_unit + i];

		if (unit != FGK_UNIT_NONE && unit >= map->hdr->nr_units)
			return 0;
	}
	return 1;
}

/*
 * A moved entry's s32 changes by its target's move (at most a region) plus
 * the entry's own move within the table (at most the table's span).
 */
static int rel32s_fit(const struct fgk_table *t, const uint8_t *entry, int64_t slack)
{
	if (t->key_kind == FGK_KEY_REL32 &&
	    !fgk_fits_s32((int32_t)fgk_rd32(entry + t->key_offset), slack))
		return 0;
	for (uint32_t fields = t->rel32_fields; fields;)
		if (!fgk_fits_s32((int32_t)fgk_rd32(entry + 4 * fgk_next_field(&fields)), slack))
			return 0;
	return 1;
}

static int check_entries(const struct fgk_map *map, const struct fgk_table *t,
			 const uint8_t *image)
{
	struct fgk_owner_check oc;
	int64_t prev_key = INT64_MIN, span = (int64_t)t->nr_entries * t->entry_size;
	int64_t slack = span + map->max_region_size;
	uint32_t owner;

	fgk_owner_check_init(&oc, map, t->first_override, t->nr_overrides);
	for (uint32_t i = 0; i < t->nr_entries; i++) {
		const uint8_t *entry = image + t->offset + (uint64_t)i * t->entry_size;
		int64_t key = fgk_table_key(map, t, entry, i);

		if (key < prev_key || fgk_owner_check_next(&oc, i, key, &owner))
			return FGK_E_TABLE;
		if (!rel32s_fit(t, entry, slack))
			return FGK_E_OVERFLOW;
		prev_key = key;
	}
	return FGK_OK;
}

int fgk_check_tables(const struct fgk_map *map, const uint8_t *image)
{
	for (uint32_t i = 0; i < map->hdr->nr_tables; i++) {
		const struct fgk_table *t = &map->tables[i];
		int err;

		if (!field_units_ok(map, t) ||
		    fgk_check_overrides(map, t->first_override, t->nr_overrides, t->nr_entries))
			return FGK_E_TABLE;
		err = check_entries(map, t, image);
		if (err)
			return err;
	}
	return FGK_OK;
}
