/* verify_tables.c: re-sorted address tables (__ex_table, ORC, __mcount_loc): same entries, decoded, and sorted. */
#include <stdlib.h>
#include <string.h>

#include "verify.h"

/*
 * Each entry becomes a tuple that sorts by key address:
 *   +0 key address (big-endian u64)   +8 rel32 field addresses (8 each)
 *   then the entry with key and fields zeroed, then its parallel entry.
 * IN tuples hold the addresses OUT should have, so the two tables must be
 * the same multiset of tuples.
 */
struct tuples {
	uint8_t *buf;
	size_t n, width;
	unsigned nfields;
};

struct table_view {
	struct verify *v;
	const struct fgk_table *t;
	const char *name;
};

static void put_be(uint8_t *p, uint64_t x)
{
	for (int i = 7; i >= 0; i--, x >>= 8)
		p[i] = (uint8_t)x;
}

static uint64_t get_be(const uint8_t *p)
{
	uint64_t x = 0;

	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

/* The owner unit the map gives entry `i`: an override, or the unit holding the key. */
static uint32_t owner(const struct verify *v, uint32_t first, uint32_t nr, uint32_t i, uint64_t key)
{
	const struct fgk_override *o = v->overrides + first;
	uint32_t lo = 0, hi = nr;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (o[mid].entry < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nr && o[lo].entry == i)
		return o[lo].unit == FGK_UNIT_NONE ? NO_UNIT : o[lo].unit;
	uint64_t off = elfimg_off(&v->in, key);
	return off == ELFIMG_NO_OFF ? NO_UNIT : unit_at(&v->map, off);
}

/* "table ex entry 3 (key foo+0x4)" for a message about IN's entry i. */
static const char *entry_name(const struct table_view *tv, uint32_t i);

/* Where OUT should have IN address `a` of entry i, owned by unit `hint` as the map says. */
static uint64_t expect_one(const struct table_view *tv, uint32_t i, uint64_t a, uint32_t hint)
{
	struct verify *v = tv->v;
	uint64_t off = elfimg_off(&v->in, a);

	if (hint != NO_UNIT) {
		const struct fgk_unit *u = &v->map.units[hint];
		if (off == ELFIMG_NO_OFF || off < u->offset || off > (uint64_t)u->offset + u->size)
			fail(v, CHK_MAP, "%s: the map gives it to unit %u (%s), which does not hold %s",
			     entry_name(tv, i), hint, offname(v, &v->in, u->offset), symname(v, &v->in, a));
	} else if (off != ELFIMG_NO_OFF && in_padding(v, off)) {
		fail(v, CHK_TABLE, "%s: address %s is in region padding", entry_name(tv, i),
		     symname(v, &v->in, a));
		return a;
	}
	return owned_addr(v, a, hint);
}

static uint64_t rel32_addr(const struct elfimg *img, uint64_t off)
{
	return elfimg_addr(img, off) + (int64_t)(int32_t)get_le(img->image + off, 4);
}

static uint64_t key_addr(const struct table_view *tv, const struct elfimg *img, uint32_t i)
{
	uint64_t off = tv->t->offset + (uint64_t)i * tv->t->entry_size + tv->t->key_offset;

	if (tv->t->key_kind == FGK_KEY_REL32)
		return rel32_addr(img, off);
	return get_le(img->image + off, 8);
}

static const char *entry_name(const struct table_view *tv, uint32_t i)
{
	static char b[400];

	snprintf(b, sizeof(b), "table %s entry %u (key %s)", tv->name, i,
		 symname(tv->v, &tv->v->in, key_addr(tv, &tv->v->in, i)));
	return b;
}

/* Tuple of entry i of `img`; for IN, addresses are mapped to where OUT should have them. */
static void make_tuple(const struct table_view *tv, const struct elfimg *img, uint32_t i, uint8_t *dst)
{
	struct verify *v = tv->v;
	const struct fgk_table *t = tv->t;
	bool in = img == &v->in;
	uint64_t eoff = t->offset + (uint64_t)i * t->entry_size;
	uint8_t *raw = dst + 8 + 8 * __builtin_popcount(t->rel32_fields);
	uint64_t key = key_addr(tv, img, i);

	memcpy(raw, img->image + eoff, t->entry_size);
	memset(raw + t->key_offset, 0, t->key_kind == FGK_KEY_REL32 ? 4 : 8);
	if (in)
		key = expect_one(tv, i, key, owner(v, t->first_override, t->nr_overrides, i, key));
	put_be(dst, key);
	for (unsigned b = 0, j = 0; b < 32; b++) {
		if (!(t->rel32_fields >> b & 1))
			continue;
		uint64_t a = rel32_addr(img, eoff + 4 * b);
		if (in) {
			uint32_t fu = v->map.field_units[t->first_field_unit + i *
				__builtin_popcount(t->rel32_fields) + j];
			a = expect_one(tv, i, a, fu == FGK_UNIT_NONE ? NO_UNIT : fu);
		}
		put_be(dst + 8 + 8 * j++, a);
		memset(raw + 4 * b, 0, 4);
	}
	if (t->par_entry_size)
		memcpy(raw + t->entry_size, img->image + t->par_offset + (uint64_t)i * t->par_entry_size,
		       t->par_entry_size);
}

static size_t sort_width;

static int cmp_tuple(const void *a, const void *b)
{
	return memcmp(a, b, sort_width);
}

static void build_tuples(const struct table_view *tv, const struct elfimg *img, struct tuples *ts)
{
	const struct fgk_table *t = tv->t;

	ts->nfields = __builtin_popcount(t->rel32_fields);
	ts->width = 8 + 8 * ts->nfields + t->entry_size + t->par_entry_size;
	ts->n = t->nr_entries;
	ts->buf = xcalloc(ts->n, ts->width);
	for (uint32_t i = 0; i < t->nr_entries; i++)
		make_tuple(tv, img, i, ts->buf + i * ts->width);
}

/* "key foo+0x3, field@4 bar+0x10, data 00 00 .." for a message. */
static const char *tuple_text(const struct table_view *tv, const struct tuples *ts, const uint8_t *tp)
{
	static char bufs[2][600];
	static unsigned next;
	char *b = bufs[next++ % 2];
	int n = snprintf(b, 600, "key %s", symname(tv->v, &tv->v->out, get_be(tp)));

	for (unsigned b32 = 0, j = 0; b32 < 32; b32++)
		if (tv->t->rel32_fields >> b32 & 1)
			n += snprintf(b + n, 600 - n, ", field@%u %s", 4 * b32,
				      symname(tv->v, &tv->v->out, get_be(tp + 8 + 8 * j++)));
	const uint8_t *raw = tp + 8 + 8 * ts->nfields;
	size_t nraw = tv->t->entry_size + tv->t->par_entry_size;
	n += snprintf(b + n, 600 - n, ", bytes");
	for (size_t k = 0; k < nraw && k < 16 && n < 590; k++)
		n += snprintf(b + n, 600 - n, " %02x", raw[k]);
	return b;
}

/* Walk both sorted multisets; report what one has and the other lacks, paired by key. */
static void compare_tuples(const struct table_view *tv, const struct tuples *want, const struct tuples *got)
{
	size_t i = 0, j = 0, w = want->width;

	while (i < want->n || j < got->n) {
		const uint8_t *a = i < want->n ? want->buf + i * w : NULL;
		const uint8_t *b = j < got->n ? got->buf + j * w : NULL;
		int c = !a ? 1 : !b ? -1 : memcmp(a, b, w);
		if (!c) {
			i++, j++;
			continue;
		}
		if (a && b && !memcmp(a, b, 8)) {
			fail(tv->v, CHK_TABLE, "table %s: entry for %s differs: expected {%s}, OUT {%s}",
			     tv->name, symname(tv->v, &tv->v->out, get_be(a)), tuple_text(tv, want, a),
			     tuple_text(tv, got, b));
			i++, j++;
		} else if (c < 0) {
			fail(tv->v, CHK_TABLE, "table %s: OUT lacks the entry {%s}", tv->name,
			     tuple_text(tv, want, a));
			i++;
		} else {
			fail(tv->v, CHK_TABLE, "table %s: OUT has an unexpected entry {%s}", tv->name,
			     tuple_text(tv, got, b));
			j++;
		}
	}
}

static void check_sorted(const struct table_view *tv)
{
	for (uint32_t i = 0; i + 1 < tv->t->nr_entries; i++) {
		uint64_t a = key_addr(tv, &tv->v->out, i), b = key_addr(tv, &tv->v->out, i + 1);
		if (a > b) {
			fail(tv->v, CHK_TABLE, "table %s: OUT is not sorted: entry %u key %s > entry %u key %s",
			     tv->name, i, symname(tv->v, &tv->v->out, a), i + 1,
			     symname(tv->v, &tv->v->out, b));
			return;
		}
	}
}

static void check_table(struct verify *v, const struct fgk_table *t)
{
	struct table_view tv = { v, t, secname_at(&v->in, t->offset) };
	struct tuples want, got;

	build_tuples(&tv, &v->in, &want);
	build_tuples(&tv, &v->out, &got);
	sort_width = want.width;
	qsort(want.buf, want.n, want.width, cmp_tuple);
	qsort(got.buf, got.n, got.width, cmp_tuple);
	compare_tuples(&tv, &want, &got);
	check_sorted(&tv);
	v->nr_entries += t->nr_entries;
	free(want.buf);
	free(got.buf);
}

void check_tables(struct verify *v)
{
	for (uint32_t i = 0; i < v->map.hdr->nr_tables; i++)
		check_table(v, &v->map.tables[i]);
}
