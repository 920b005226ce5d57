/* test_validate_arrays.c: table and symtab arrays inside the image, disjoint, outside every region. */
#include "mutate.h"

#define M(name) static void name(struct fx *fx, const struct world *w)
#define T(i) (fx->tables[w->i])
#define S (fx->symtab)

M(tables_overlap) { T(ex).offset = 0x1100 - 8; }
M(table_in_region) { T(mcount).offset = 0x200; }
M(table_touches_region_end) { T(mcount).offset = 0x600 - 8 * 9 + 8; }
M(table_past_image) { T(mcount).offset = fx->image_size - 8; }
M(table_size_wraps) { T(mcount).nr_entries = 0x80000000u; T(mcount).entry_size = 0x20; }
M(parallel_in_region) { T(orc).par_offset = 0x720; }
M(parallel_overlaps_table) { T(orc).par_offset = 0x1300; }
M(names_overlap_table) { (void)w; S.names = 0x1000; }
M(offsets_in_region) { (void)w; S.offsets = 0x800; }
M(seqs_past_image) { (void)w; S.seqs = fx->image_size - 4; }
M(markers_overlap_names) { (void)w; S.markers = S.names + 4; }

static const struct mutation mutations[] = {
	{ "tables overlap", tables_overlap, FGK_E_TABLE },
	{ "table inside a region", table_in_region, FGK_E_TABLE },
	{ "table's last entry in a region", table_touches_region_end, FGK_E_TABLE },
	{ "table past the image", table_past_image, FGK_E_TABLE },
	{ "table size beyond 32 bits", table_size_wraps, FGK_E_TABLE },
	{ "parallel array inside a region", parallel_in_region, FGK_E_TABLE },
	{ "parallel array over another table", parallel_overlaps_table, FGK_E_TABLE },
	{ "symtab names over a table", names_overlap_table, FGK_E_SYMTAB },
	{ "symtab offsets inside a region", offsets_in_region, FGK_E_SYMTAB },
	{ "symtab seqs past the image", seqs_past_image, FGK_E_SYMTAB },
	{ "symtab arrays overlap", markers_overlap_names, FGK_E_SYMTAB },
};

static void rules(void **state)
{
	(void)state;
	RUN_MUTATIONS(mutations);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
