/* test_validate_table.c: table shape, overrides, field units, sorted keys, owners and s32 bounds. */
#include "mutate.h"
#include "owner_cases.h"

#define M(name) static void name(struct fx *fx, const struct world *w)
#define T(i) (fx->tables[w->i])
#define OV (fx->overrides)

/* ex: 8 entries {insn, fixup, data} at 0x1000, fixup's units at field_units[0..8).
 * orc: 15 ip keys at 0x1100, overrides[0..4) for entries 3, 5, 9, 13.
 * mcount: 9 ABS64 keys at 0x1300. */

static void put_ex_key(struct fx *fx, uint32_t i, uint32_t target)
{
	fx_put32(fx, 0x1000 + 12 * i, target - (0x1000 + 12 * i));
}

M(key_kind_zero) { T(ex).key_kind = 0; }
M(key_kind_three) { T(ex).key_kind = 3; }
M(reserved_set) { T(orc).reserved = 1; }
M(entry_size_zero) { T(mcount).entry_size = 0; }
M(key_past_entry) { T(ex).key_offset = 10; }
M(abs64_key_past_entry) { T(mcount).key_offset = 4; }
M(field_past_entry) { T(ex).rel32_fields = 1 << 3; }
M(field_on_key) { T(ex).rel32_fields = 1 << 0 | 1 << 1; }
M(field_on_abs64_key) { T(mcount).rel32_fields = 1 << 1; }
M(field_units_past_array) { T(ex).first_field_unit = 1; }
M(field_unit_invalid) { (void)w; fx->field_units[3] = fx->nr_units; }
M(overrides_past_array) { T(orc).nr_overrides = 5; }
M(overrides_unsorted) { (void)w; struct fgk_override t = OV[1]; OV[1] = OV[2]; OV[2] = t; }
M(override_entry_too_big) { (void)w; OV[3].entry = 15; }
M(override_unit_invalid) { (void)w; OV[0].unit = fx->nr_units; }
M(keys_decrease) { (void)w; put_ex_key(fx, 2, 0x104); }
M(owners_go_back) { (void)w; OV[0].entry = 4; }
M(field_would_overflow) { (void)w; fx_put32(fx, 0x1004, 0x7fffffff - 0x400); }
M(key_would_overflow) { (void)w; fx_put32(fx, 0x1100 + 4 * 14, 0x7fffff00); }
M(abs64_keys_unsorted) { (void)w; fx_put64(fx, 0x1308, FX_LINK_BASE); }

static const struct mutation mutations[] = {
	{ "key kind 0", key_kind_zero, FGK_E_TABLE },
	{ "key kind 3", key_kind_three, FGK_E_TABLE },
	{ "reserved field", reserved_set, FGK_E_TABLE },
	{ "entry size 0", entry_size_zero, FGK_E_TABLE },
	{ "REL32 key past the entry", key_past_entry, FGK_E_TABLE },
	{ "ABS64 key past the entry", abs64_key_past_entry, FGK_E_TABLE },
	{ "rel32 field past the entry", field_past_entry, FGK_E_TABLE },
	{ "rel32 field on the key", field_on_key, FGK_E_TABLE },
	{ "rel32 field inside an ABS64 key", field_on_abs64_key, FGK_E_TABLE },
	{ "field units past their array", field_units_past_array, FGK_E_TABLE },
	{ "field unit out of range", field_unit_invalid, FGK_E_TABLE },
	{ "overrides past their array", overrides_past_array, FGK_E_TABLE },
	{ "overrides unsorted", overrides_unsorted, FGK_E_TABLE },
	{ "override entry out of range", override_entry_too_big, FGK_E_TABLE },
	{ "override unit out of range", override_unit_invalid, FGK_E_TABLE },
	{ "keys decrease", keys_decrease, FGK_E_TABLE },
	{ "owners go back", owners_go_back, FGK_E_TABLE },
	{ "ABS64 keys unsorted", abs64_keys_unsorted, FGK_E_TABLE },
	{ "rel32 field would overflow", field_would_overflow, FGK_E_OVERFLOW },
	{ "REL32 key would overflow", key_would_overflow, FGK_E_OVERFLOW },
};

static void rules(void **state)
{
	(void)state;
	RUN_MUTATIONS(mutations);
}

static void move_ex_key(struct fx *fx, uint32_t entry, uint32_t at)
{
	put_ex_key(fx, entry, at);
}

/* orc's first override (entry 3, ip 0x140: u0's terminator). */
static void orc_override(struct fx *fx, uint32_t entry, uint32_t unit)
{
	OV[0].entry = entry;
	OV[0].unit = unit;
}

/* ex entry 2 into the padding; orc entries 3 (0x140) and 2 (0x120, inside u0). */
static const struct owner_rules table_owner_rules = {
	"key", FGK_E_TABLE, move_ex_key, orc_override, 2, 3, 2, 2, 3
};

static void owner_rules(void **state)
{
	(void)state;
	owner_rules_refused(&table_owner_rules);
}

/* Empty tables, NONE field units, a zero-field table, NONE at a region's start: all fine. */
static void accepted(void **state)
{
	struct world w;
	struct fx *fx = world_new(&w);
	size_t size;
	void *buf;
	struct fgk_map map;

	(void)state;
	fx->field_units[1] = FGK_UNIT_NONE;
	fx->tables[w.mcount].nr_entries = 0;	/* its relocs are then plain data relocs */
	fx->tables[w.ex].rel32_fields = 0;	/* no fields: field units unused */
	fx->overrides[0] = (struct fgk_override){ 1, FGK_UNIT_NONE };	/* orc 0x100 */
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_OK);
	free(buf);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(owner_rules),
		cmocka_unit_test(accepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
