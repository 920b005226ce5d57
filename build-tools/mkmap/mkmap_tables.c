/* mkmap_tables.c: tables sorted by address after the link, read from their contents. */
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

/*
 * Tables such as __ex_table and ORC are sorted after the link, so their
 * relocations describe the entries that were there before sorting
 * (each describes the entry that was there before sorting): keys and
 * fields are read from the image instead.
 *
 *   entry i at start + i * entry:   [ ... key ... field ... field ... ]
 *   rel32 key address: &key + (s32)key     abs64 key: (u64)key
 *
 * Owner of an entry: the unit holding its key (half-open), except a key
 * one past a unit's end: that unit if its parallel entry matches
 * end-marker= (ORC terminators) or if the key is in padding.
 */

struct tbl {
	struct mk *mk;
	const struct cfg_table *c;
	struct mk_table *t;
	uint64_t start_va;
	uint8_t *closed;		/* units whose run of entries ended */
	uint32_t prev_owner;
	uint64_t zero_start;		/* skip-zero: where the zeroed entries start */
};

static noreturn void tdie(const struct tbl *tb, uint32_t entry, const char *fmt, const char *what)
{
	uint64_t off = tb->t->t.offset + (uint64_t)entry * tb->t->t.entry_size;

	die_at(tb->mk->img.path, describe_off(&tb->mk->img, off), NOPOS, tb->c->start_sym,
	       "table %s (%s), entry %u: %s%s", tb->c->name, tb->c->where, entry, fmt,
	       what ? what : "");
}

static uint32_t field_bits(const struct tbl *tb)
{
	uint32_t bits = 0;

	for (uint32_t i = 0; i < tb->c->nfields; i++) {
		uint32_t f = tb->c->fields[i];

		if (f % 4 || f / 4 >= 32 || f + 4 > tb->c->entry || f == tb->c->key)
			die_at(tb->c->where, NULL, NOPOS, NULL,
			       "field offset %u: must be a multiple of 4 inside the entry, not the key", f);
		bits |= 1u << (f / 4);
	}
	return bits;
}

/*
 * skip-zero: scripts/sorttable zeroes the __mcount_loc entries of weak
 * functions that were overridden, and they sort first. They never move and
 * lie outside the image, so the table proper starts after them; their
 * slots keep their base relocations, as arch/x86/tools/relocs.c gives them.
 */
static void skip_zeros(struct tbl *tb)
{
	struct fgk_table *t = &tb->t->t;
	uint32_t n = 0;

	while (n < t->nr_entries &&
	       !img_rd(&tb->mk->img, t->offset + (uint64_t)n * t->entry_size + t->key_offset,
		       8, tb->c->name))
		n++;
	t->offset += n * t->entry_size;
	t->nr_entries -= n;
	tb->start_va += (uint64_t)n * t->entry_size;
}

static void setup(struct tbl *tb)
{
	const struct cfg_table *c = tb->c;
	struct mk_image *img = &tb->mk->img;
	uint64_t start = sym_off(img, c->where, c->start_sym);
	uint64_t end = sym_off(img, c->where, c->end_sym);
	uint32_t ksize = c->kind == FGK_KEY_REL32 ? 4 : 8;

	if (!c->entry || c->key + ksize > c->entry || end < start || (end - start) % c->entry)
		die_at(c->where, NULL, NOPOS, c->end_sym,
		       "table %s: %llu bytes, entry=%llu, key=%llu do not make whole entries",
		       c->name, (unsigned long long)(end - start),
		       (unsigned long long)c->entry, (unsigned long long)c->key);
	off_to_vaddr(img, start, &tb->start_va);
	struct fgk_table *t = &tb->t->t;
	*t = (struct fgk_table){ .offset = start, .nr_entries = (end - start) / c->entry,
		.entry_size = c->entry, .key_offset = c->key, .key_kind = c->kind,
		.rel32_fields = field_bits(tb) };
	img_at(img, start, end - start, c->name);
	tb->zero_start = start;
	if (c->skip_zero)
		skip_zeros(tb);
	if (c->par_sym) {
		t->par_offset = sym_off(img, c->where, c->par_sym);
		t->par_entry_size = c->par_size;
		img_at(img, t->par_offset, (uint64_t)t->nr_entries * c->par_size, c->par_sym);
		if (c->has_marker && c->marker_byte >= c->par_size)
			die_at(c->where, NULL, NOPOS, NULL, "end-marker byte outside the parallel entry");
	}
}

static uint64_t key_vaddr(const struct tbl *tb, uint32_t i)
{
	const struct fgk_table *t = &tb->t->t;
	uint64_t field = t->offset + (uint64_t)i * t->entry_size + t->key_offset;

	if (t->key_kind == FGK_KEY_ABS64)
		return img_rd(&tb->mk->img, field, 8, tb->c->name);
	return tb->start_va + (uint64_t)i * t->entry_size + t->key_offset +
	       rd_sle(img_at(&tb->mk->img, field, 4, tb->c->name), 4);
}

static bool marker(const struct tbl *tb, uint32_t i)
{
	const struct fgk_table *t = &tb->t->t;

	if (!tb->c->has_marker)
		return false;
	uint8_t b = tb->mk->img.mem[t->par_offset + (uint64_t)i * t->par_entry_size +
				    tb->c->marker_byte];
	return (b & tb->c->marker_mask) == tb->c->marker_value;
}

/* The owner of entry i; an override where it differs from the half-open rule. */
static uint32_t entry_owner(struct tbl *tb, uint32_t i, uint64_t key_va)
{
	struct mk *mk = tb->mk;
	uint64_t off;
	uint32_t unit = FGK_UNIT_NONE;

	if (!vaddr_to_off(&mk->img, key_va, &off))
		return FGK_UNIT_NONE;
	struct own o = own_at(mk, off);

	if (o.ended != FGK_UNIT_NONE && marker(tb, i))
		unit = o.ended;
	else if (!own_unit(&o, &unit))
		tdie(tb, i, "key points into region padding, in no unit: ",
		     describe_off(&mk->img, off));
	if (unit != o.half)
		*vec_push(&mk->overrides) = (struct fgk_override){ i, unit };
	return unit;
}

/* Entries owned by one unit must form one run (the runtime moves runs). */
static void check_run(struct tbl *tb, uint32_t i, uint32_t owner)
{
	if (owner == tb->prev_owner)
		return;
	if (tb->prev_owner != FGK_UNIT_NONE)
		tb->closed[tb->prev_owner] = 1;
	if (owner != FGK_UNIT_NONE && tb->closed[owner])
		tdie(tb, i, "the entries of one unit are not contiguous", NULL);
	tb->prev_owner = owner;
}

static void fields(struct tbl *tb, uint32_t i)
{
	struct mk *mk = tb->mk;
	const struct fgk_table *t = &tb->t->t;

	for (uint32_t f = 0; f < 32; f++) {
		if (!(t->rel32_fields & 1u << f))
			continue;
		uint64_t at = (uint64_t)i * t->entry_size + 4 * f;
		int64_t v = rd_sle(img_at(&mk->img, t->offset + at, 4, tb->c->name), 4);
		uint64_t off;
		uint32_t unit = FGK_UNIT_NONE;

		if (vaddr_to_off(&mk->img, tb->start_va + at + v, &off)) {
			struct own o = own_at(mk, off);

			if (!own_unit(&o, &unit))
				tdie(tb, i, "a field points into region padding, in no unit: ",
				     describe_off(&mk->img, off));
		}
		*vec_push(&mk->field_units) = unit;
	}
}

static void build_table(struct mk *mk, const struct cfg_table *c)
{
	struct mk_table *t = vec_push(&mk->tables);
	struct tbl tb = { .mk = mk, .c = c, .t = t, .closed = xcalloc(mk->units.n, 1),
			  .prev_owner = FGK_UNIT_NONE };
	int64_t prev = 0;

	memset(t, 0, sizeof(*t));
	t->name = c->name;
	setup(&tb);
	t->t.first_override = mk->overrides.n;
	t->t.first_field_unit = mk->field_units.n;
	for (uint32_t i = 0; i < t->t.nr_entries; i++) {
		uint64_t key = key_vaddr(&tb, i);
		/* The order the runtime checks: keys as signed offsets from link_base. */
		int64_t pos = (int64_t)(key - mk->img.link_base);

		if (i && pos < prev)
			tdie(&tb, i, "the table is not sorted by key (as offsets from the image base; "
			     "keys outside the image such as zeroed entries count as such): key ",
			     xasprintf("0x%llx", (unsigned long long)key));
		prev = pos;
		check_run(&tb, i, entry_owner(&tb, i, key));
		fields(&tb, i);
	}
	t->t.nr_overrides = mk->overrides.n - t->t.first_override;
	free(tb.closed);
	int idx = t->t.key_kind == FGK_KEY_ABS64 ? (int)(mk->tables.n - 1) : SKIP_ALL;

	add_skip(mk, tb.zero_start, t->t.offset, SKIP_XREFS);
	add_skip(mk, t->t.offset, t->t.offset + (uint64_t)t->t.nr_entries * t->t.entry_size, idx);
	if (t->t.par_entry_size)
		add_skip(mk, t->t.par_offset,
			 t->t.par_offset + (uint64_t)t->t.nr_entries * t->t.par_entry_size, SKIP_ALL);
}

void tables_build(struct mk *mk)
{
	for (size_t i = 0; i < mk->cfg.tables.n; i++)
		build_table(mk, &mk->cfg.tables.v[i]);
}
