/* owner.c: which unit owns each entry of a table or symtab: an override, else the key's unit. */
#include "fgk_internal.h"

/*
 * Overrides exist for keys the walk cannot attribute, such as an ORC
 * terminator one past its function's end: the unit holding that address
 * is the next one (or none), yet the entry belongs to the previous unit.
 */
void fgk_owner_init(struct fgk_owner_iter *it, const struct fgk_map *map,
		    uint32_t first_override, uint32_t nr_overrides)
{
	fgk_walk_init(&it->walk, map);
	it->left = nr_overrides;
	if (!it->left)
		return;		/* nothing to decode on the way to `first` */
	fgk_override_cursor_at(&it->ov, map, first_override);
	/* fgk_map_open checked the stream and that the run lies in it: it succeeds */
	fgk_override_next(&it->ov, &it->next);
}

/*
 * Owner of entry `entry`, whose key points at image offset `key`. Call for
 * every entry in order: entries and keys must not decrease.
 */
uint32_t fgk_owner_next(struct fgk_owner_iter *it, uint32_t entry, int64_t key)
{
	uint32_t unit = fgk_walk_unit(&it->walk, key);

	if (it->left && it->next.entry == entry) {
		/* a unit past the map's (fgk_map_check refuses it): no owner */
		unit = it->next.unit < it->walk.nr_units ? it->next.unit : FGK_UNIT_NONE;
		if (--it->left)
			fgk_override_next(&it->ov, &it->next);	/* checked: it succeeds */
	}
	return unit;
}
