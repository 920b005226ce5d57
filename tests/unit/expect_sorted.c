/* expect_sorted.c: independent checks of re-sorted tables and the rebuilt symtab. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/* One entry of a table or symtab, before, with where it must end up. */
struct xentry {
	int64_t new_key;	/* key after the move */
	int edge;		/* unowned at a region's start -1, end +1: orders equal keys */
	int64_t tie;		/* then the owner's new offset */
	uint32_t index;		/* original index */
	uint32_t owner;
};

static int by_new_key(const void *a, const void *b)
{
	const struct xentry *x = a, *y = b;

	if (x->new_key != y->new_key)
		return x->new_key < y->new_key ? -1 : 1;
	if (x->edge != y->edge)
		return x->edge - y->edge;
	if (x->tie != y->tie)
		return x->tie < y->tie ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static uint32_t owner_of(const struct fx *fx, uint32_t first_ov, uint32_t nr_ov,
			 uint32_t entry, int64_t key)
{
	for (uint32_t i = first_ov; i < first_ov + nr_ov; i++)
		if (fx->overrides[i].entry == entry)
			return fx->overrides[i].unit;
	return fx_unit_at(fx, key);
}

/* An unowned entry at a region's start comes before its units' entries there, at its end after. */
static int region_edge(const struct fx *fx, uint32_t owner, int64_t key)
{
	for (uint32_t r = 0; owner == FGK_UNIT_NONE && r < fx->nr_regions; r++) {
		if (key == fx->regions[r].start)
			return -1;
		if (key == fx->regions[r].end)
			return 1;
	}
	return 0;
}

static void place(const struct fx *fx, const struct fx_run *run, struct xentry *e,
		  uint32_t index, int64_t key, uint32_t owner)
{
	e->index = index;
	e->owner = owner;
	e->edge = region_edge(fx, owner, key);
	e->new_key = key + fx_delta(run, owner);
	e->tie = owner == FGK_UNIT_NONE ? e->new_key
					: fx->units[owner].offset + fx_delta(run, owner);
}

static int64_t old_key(const struct fx *fx, const uint8_t *image, const struct fgk_table *t,
		       uint32_t i)
{
	uint64_t pos = t->offset + (uint64_t)i * t->entry_size + t->key_offset;

	if (t->key_kind == FGK_KEY_REL32)
		return (int64_t)pos + (int32_t)get32(image, pos);
	return (int64_t)(get64(image, pos) - fx->link_base);
}

static int has_key_relocs(const struct fx *fx, const struct fgk_table *t)
{
	for (uint32_t i = 0; i < fx->nr_relocs[FGK_RELOC_ABS64]; i++)
		if (fx->relocs[FGK_RELOC_ABS64][i] == t->offset + t->key_offset)
			return 1;
	return 0;
}

/* Entry j of the new table must be old entry e->index, moved. */
static void expect_entry(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
			 const struct fgk_table *t, const struct xentry *e, uint32_t j,
			 int64_t key_add)
{
	uint32_t i = e->index, nf = __builtin_popcount(t->rel32_fields), k = 0;
	uint64_t from = t->offset + (uint64_t)i * t->entry_size;
	uint64_t to = t->offset + (uint64_t)j * t->entry_size;
	uint8_t *other = calloc(1, t->entry_size);

	assert_int_equal(old_key(fx, fx->image, t, j), e->new_key + key_add);
	memset(other + t->key_offset, 1, t->key_kind == FGK_KEY_REL32 ? 4 : 8);
	for (uint32_t bit = 0; bit < 32; bit++) {
		if (!(t->rel32_fields >> bit & 1))
			continue;
		uint32_t fu = fx->field_units[t->first_field_unit + i * nf + k++];
		int64_t target = (int64_t)from + 4 * bit + (int32_t)get32(before, from + 4 * bit);

		assert_int_equal((int64_t)to + 4 * bit + (int32_t)get32(fx->image, to + 4 * bit),
				 target + fx_delta(run, fu));
		memset(other + 4 * bit, 1, 4);
	}
	for (uint32_t b = 0; b < t->entry_size; b++)
		if (!other[b])
			assert_int_equal(fx->image[to + b], before[from + b]);
	assert_memory_equal(fx->image + t->par_offset + (uint64_t)j * t->par_entry_size,
			    before + t->par_offset + (uint64_t)i * t->par_entry_size, t->par_entry_size);
	free(other);
}

void expect_table(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
		  uint32_t t, int64_t base_delta)
{
	const struct fgk_table *tab = &fx->tables[t];
	struct xentry *e = calloc(tab->nr_entries + 1, sizeof(*e));
	int64_t key_add = has_key_relocs(fx, tab) ? base_delta : 0;

	for (uint32_t i = 0; i < tab->nr_entries; i++) {
		int64_t key = old_key(fx, before, tab, i);

		place(fx, run, &e[i], i, key,
		      owner_of(fx, tab->first_override, tab->nr_overrides, i, key));
	}
	qsort(e, tab->nr_entries, sizeof(*e), by_new_key);
	for (uint32_t j = 0; j < tab->nr_entries; j++) {
		expect_entry(fx, before, run, tab, &e[j], j, key_add);
		if (j)	/* the point of it all: sorted again */
			assert_true(old_key(fx, fx->image, tab, j) >= old_key(fx, fx->image, tab, j - 1));
	}
	free(e);
}

/* u64 address <-> int64 sort key, order-preserving both ways. */
static int64_t flip(uint64_t addr)
{
	return (int64_t)(addr ^ 0x8000000000000000ULL);
}

static uint64_t sym_addr(const struct fgk_symtab *st, uint32_t v)
{
	if (st->offsets_kind == FGK_SYMOFF_RELATIVE)
		return st->relative_base + v;
	if ((int32_t)v >= 0)
		return v;
	return st->relative_base - 1 - (int64_t)(int32_t)v;
}

/* Old name entries: where each starts and its size with the length prefix. */
static void index_names(const uint8_t *names, uint32_t n, uint32_t *at, uint32_t *size)
{
	uint32_t p = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = names[p], prefix = 1;

		if (len & 0x80) {
			len = (len & 0x7f) | (uint32_t)names[p + 1] << 7;
			prefix = 2;
		}
		at[i] = p;
		size[i] = prefix + len;
		p += size[i];
	}
}

static uint32_t seq_at(const uint8_t *image, const struct fgk_symtab *st, uint32_t k)
{
	const uint8_t *q = image + st->seqs + 3 * k;

	return (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Each seq names its symbol's new index; each tie run's indexes ascend. */
static void expect_seqs(const struct fx *fx, const uint8_t *before, const uint32_t *new_index)
{
	const struct fgk_symtab *st = &fx->symtab;
	uint32_t n = st->nr_syms, *want = calloc(n + 1, 4);

	for (uint32_t k = 0; k < n; k++)
		want[k] = new_index[seq_at(before, st, k)];
	for (uint32_t r = 0; r < fx->nr_sym_ties; r++)
		qsort(want + fx->sym_ties[r].first, fx->sym_ties[r].count, 4, by_u32);
	for (uint32_t k = 0; k < n; k++)
		assert_int_equal(seq_at(fx->image, st, k), want[k]);
	free(want);
}

static void expect_sym_arrays(const struct fx *fx, const uint8_t *before,
			      const struct xentry *e, const uint32_t *at, const uint32_t *size)
{
	const struct fgk_symtab *st = &fx->symtab;
	uint32_t n = st->nr_syms, p = 0, *new_index = calloc(n + 1, 4);

	for (uint32_t j = 0; j < n; j++) {
		uint32_t i = e[j].index;

		new_index[i] = j;
		assert_int_equal(sym_addr(st, get32(fx->image, st->offsets + 4 * j)),
				 flip(e[j].new_key));
		if (j % 256 == 0)
			assert_int_equal(get32(fx->image, st->markers + 4 * (j / 256)), p);
		assert_memory_equal(fx->image + st->names + p, before + st->names + at[i], size[i]);
		p += size[i];
	}
	assert_int_equal(p, st->names_size);
	if (st->flags & FGK_SYMTAB_SEQS)
		expect_seqs(fx, before, new_index);
	free(new_index);
}

void expect_symtab(const struct fx *fx, const uint8_t *before, const struct fx_run *run)
{
	const struct fgk_symtab *st = &fx->symtab;
	uint32_t n = st->nr_syms;
	struct xentry *e = calloc(n + 1, sizeof(*e));
	uint32_t *at = calloc(n + 1, 4), *size = calloc(n + 1, 4);

	index_names(before + st->names, n, at, size);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t addr = sym_addr(st, get32(before, st->offsets + 4 * i));
		int64_t off = addr >= fx->link_base ? (int64_t)(addr - fx->link_base) : -1;

		place(fx, run, &e[i], i, off,
		      owner_of(fx, st->first_override, st->nr_overrides, i, off));
		/* Symbols sort by unsigned address (per-CPU absolutes first). */
		e[i].new_key = flip(off < 0 ? addr : fx->link_base + e[i].new_key);
		e[i].tie = flip(off < 0 ? addr : fx->link_base + e[i].tie);
	}
	qsort(e, n, sizeof(*e), by_new_key);
	expect_sym_arrays(fx, before, e, at, size);
	free(e);
	free(at);
	free(size);
}
