/* test_validate_symtab.c: symtab shape, names stream, markers, seqs, sorted addresses, owners, encodable ranges. */
#include "mutate.h"
#include "owner_cases.h"

#define M(name) static void name(struct fx *fx, const struct world *w)
#define S (fx->symtab)

/* World symbols (unit, offset): 0 fixed 0x0, 1 u0 0x100, 2 u0 0x120, 3 u1 0x140,
 * 4 u2 0x180, 5 u3 0x200, 6 u4 0x210, 7 fixed 0x600, 8 u5 0x700, 9 u6 0x720,
 * 10 u7 0x740, 11 fixed 0x3000; names 2 (200 bytes) and 9 (300) have 2-byte lengths. */

static void set_offset(struct fx *fx, uint32_t i, uint32_t image_offset)
{
	fx_put32(fx, S.offsets + 4 * i, (uint32_t)(fx->link_base + image_offset - S.relative_base));
}

static void sym_override(struct fx *fx, uint32_t entry, uint32_t unit)
{
	S.first_override = fx_override(fx, entry, unit);
	S.nr_overrides = 1;
}

M(unknown_flag) { (void)w; S.flags |= 4; }
M(too_many_syms) { (void)w; S.nr_syms = (1u << 24) + 1; }
M(kind_zero) { (void)w; S.offsets_kind = 0; }
M(kind_three) { (void)w; S.offsets_kind = 3; }
M(overrides_past_array) { (void)w; S.first_override = 3; S.nr_overrides = 2; }
M(override_entry_too_big) { (void)w; sym_override(fx, 12, 0); }
M(names_longer) { (void)w; S.names_size += 1; }
M(names_shorter) { (void)w; S.names_size -= 1; }
M(name_runs_past) { (void)w; fx->image[S.names + S.names_size - 5] = 0x7f; }
M(name_three_byte_length) { (void)w; fx->image[S.names + 6 + 4 + 1] |= 0x80; }
M(marker_wrong) { (void)w; fx_put32(fx, S.markers, 1); }
M(seq_out_of_range) { (void)w; fx->image[S.seqs + 3 * 4 + 2] = 12; }
M(addresses_decrease) { (void)w; set_offset(fx, 11, 0x650); }	/* fixed, after 0x740 */
/* World ties: seqs positions [1, 4) and [6, 9) of 12. */
M(tie_of_one) { (void)w; fx->sym_ties[0].count = 1; }
M(tie_past_seqs) { (void)w; fx->sym_ties[1] = (struct fgk_sym_tie){ 11, 2 }; }
M(tie_wraps) { (void)w; fx->sym_ties[1] = (struct fgk_sym_tie){ 0xffffffffu, 2 }; }
M(ties_overlap) { (void)w; fx->sym_ties[1].first = 3; }
M(ties_unsorted) { (void)w; fx->sym_ties[0].first = 9; }
M(ties_without_seqs) { (void)w; S.flags = 0; }
M(ties_without_symtab) { (void)w; fx->nr_symtabs = 0; }

static const struct mutation mutations[] = {
	{ "unknown symtab flag", unknown_flag, FGK_E_SYMTAB },
	{ "more than 2^24 symbols", too_many_syms, FGK_E_SYMTAB },
	{ "offsets kind 0", kind_zero, FGK_E_SYMTAB },
	{ "offsets kind 3", kind_three, FGK_E_SYMTAB },
	{ "overrides past their array", overrides_past_array, FGK_E_SYMTAB },
	{ "override entry out of range", override_entry_too_big, FGK_E_SYMTAB },
	{ "names_size larger than the names", names_longer, FGK_E_SYMTAB },
	{ "names_size smaller than the names", names_shorter, FGK_E_SYMTAB },
	{ "a name runs past names_size", name_runs_past, FGK_E_SYMTAB },
	{ "a 3-byte name length", name_three_byte_length, FGK_E_SYMTAB },
	{ "marker does not match", marker_wrong, FGK_E_SYMTAB },
	{ "seq out of range", seq_out_of_range, FGK_E_SYMTAB },
	{ "addresses decrease", addresses_decrease, FGK_E_SYMTAB },
	{ "a tie of one position", tie_of_one, FGK_E_SYMTAB },
	{ "a tie past seqs", tie_past_seqs, FGK_E_SYMTAB },
	{ "a tie whose end wraps", tie_wraps, FGK_E_SYMTAB },
	{ "overlapping ties", ties_overlap, FGK_E_SYMTAB },
	{ "ties out of order", ties_unsorted, FGK_E_SYMTAB },
	{ "ties without seqs", ties_without_seqs, FGK_E_SYMTAB },
	{ "ties without a symtab", ties_without_symtab, FGK_E_SYMTAB },
};

static void rules(void **state)
{
	(void)state;
	RUN_MUTATIONS(mutations);
}

/* Symbol 3 at 0x140 (u1's start) into the padding or to NONE; symbol 4 (0x180, u2) to u1 or NONE. */
static const struct owner_rules symtab_owner_rules = {
	"symbol", FGK_E_SYMTAB, set_offset, sym_override, 3, 4, 1, 4, 3
};

static void owner_rules(void **state)
{
	(void)state;
	owner_rules_refused(&symtab_owner_rules);
}

/* Symbols up to u5 (0x700), with a relative_base chosen by the case. */
static int open_with_base(uint32_t kind, uint64_t base)
{
	static const struct fx_sym syms[] = {
		{ 0, 0x100, 3 }, { 2, 0x180, 3 }, { 5, 0x700, 3 },
	};
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	size_t size;
	void *buf;
	int err;

	fx_symtab_rb(fx, 0x1800, syms, 3, kind, 0, FX_LINK_BASE + base);
	buf = fx_map(fx, &size);
	err = fx_open(fx, buf, size, &map);
	free(buf);
	fx_free(fx);
	return err;
}

/* Every address of an owning region must stay encodable wherever its units go. */
static void encodable_ranges(void **state)
{
	(void)state;
	assert_int_equal(open_with_base(FGK_SYMOFF_RELATIVE, 0x100), FGK_OK);
	/* base above region 0's start, though no symbol is below it */
	assert_int_equal(open_with_base(FGK_SYMOFF_RELATIVE, 0x101), FGK_E_OVERFLOW);
	/* region 1 [0x700, 0x900) ends more than 2^32 past the base */
	assert_int_equal(open_with_base(FGK_SYMOFF_RELATIVE, 0x900 - 0xffffffffULL), FGK_OK);
	assert_int_equal(open_with_base(FGK_SYMOFF_RELATIVE, 0x8ff - 0xffffffffULL), FGK_E_OVERFLOW);
	/* ABS_PERCPU: relative_base - 1 - address must stay a negative s32 */
	assert_int_equal(open_with_base(FGK_SYMOFF_ABS_PERCPU, 0x100), FGK_OK);
	assert_int_equal(open_with_base(FGK_SYMOFF_ABS_PERCPU, 0x900 - 0x7fffffffULL), FGK_OK);
	assert_int_equal(open_with_base(FGK_SYMOFF_ABS_PERCPU, 0x8ff - 0x7fffffffULL), FGK_E_OVERFLOW);
}

/* A region whose addresses run past 2^64 (link base just below it) is not encodable. */
static void region_addresses_wrap(void **state)
{
	static const struct fx_sym syms[] = { { 0, 0x100, 3 } };
	struct fx *fx = fx_new(0x1000);
	struct fgk_map map;
	size_t size;
	void *buf;

	(void)state;
	fx->link_base = UINT64_MAX - 0x3ff;	/* region [0x100, 0x600) ends past 2^64 */
	fx_region(fx, 0x100, 0x600);
	fx_unit(fx, 0x100, 0x40, 16);
	fx_symtab_rb(fx, 0x800, syms, 1, FGK_SYMOFF_RELATIVE, 0, fx->link_base + 0x100);
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_E_OVERFLOW);
	free(buf);
	fx_free(fx);
}

/* ABS_PERCPU absolute values never move, so they may not be owned. */
static void percpu_absolute_not_owned(void **state)
{
	static const struct fx_sym syms[] = {
		{ FX_SYM_PERCPU, 0x20, 3 }, { FX_SYM_PERCPU, 0x100, 3 }, { 1, 0x140, 3 },
	};
	struct world w;
	struct fx *fx = world_new(&w);
	struct fgk_map map;
	size_t size;
	void *buf;

	(void)state;
	fx->link_base = 0;	/* absolute 0x100 now lies in u0 */
	fx_symtab(fx, 0x1800, syms, 3, FGK_SYMOFF_ABS_PERCPU, 1);
	fx->nr_xrefs = 0;
	fx->nr_tables = 0;
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		fx->nr_relocs[k] = 0;
	buf = fx_map(fx, &size);
	assert_int_equal(fx_open(fx, buf, size, &map), FGK_E_SYMTAB);
	free(buf);
	fx_symtab(fx, 0x1800, syms + 1, 2, FGK_SYMOFF_RELATIVE, 1);	/* as RELATIVE: owned, fine */
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
		cmocka_unit_test(encodable_ranges),
		cmocka_unit_test(region_addresses_wrap),
		cmocka_unit_test(percpu_absolute_not_owned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
