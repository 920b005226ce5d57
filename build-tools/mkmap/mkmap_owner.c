/* mkmap_owner.c: the unit or region of an image offset; the ranges whose relocs are skipped. */
#include <stdlib.h>

#include "mkmap.h"

/* Index of the last element of a sorted u32-keyed array with key <= off, or -1. */
#define LAST_LE(arr, n, field, off) ({					\
	size_t lo_ = 0, hi_ = (n);					\
	while (lo_ < hi_) {						\
		size_t mid_ = (lo_ + hi_) / 2;				\
		if ((arr)[mid_].field <= (off))				\
			lo_ = mid_ + 1;					\
		else							\
			hi_ = mid_;					\
	}								\
	(long)lo_ - 1; })

int region_of(const struct mk *mk, uint64_t off)
{
	long i = LAST_LE(mk->regions.v, mk->regions.n, r.start, off);

	return i >= 0 && off < mk->regions.v[i].r.end ? (int)i : -1;
}

static uint64_t unit_end(const struct mk *mk, long i)
{
	return (uint64_t)mk->units.v[i].u.offset + mk->units.v[i].u.size;
}

/*
 *        u                 v
 *   |=========|.pad..|=========|
 *   ^offset   ^end   ^offset
 * half:  offset <= off < end.  ended: off == end of u (the padding's first
 * byte, or v's offset when u and v touch).  pad: in a region, in no unit.
 */
struct own own_at(const struct mk *mk, uint64_t off)
{
	struct own o = { FGK_UNIT_NONE, FGK_UNIT_NONE, false };
	long i = LAST_LE(mk->units.v, mk->units.n, u.offset, off);

	if (i >= 0 && off < unit_end(mk, i))
		o.half = i;
	if (i >= 0 && off == unit_end(mk, i))
		o.ended = i;
	else if (i >= 1 && o.half == (uint32_t)i && off == unit_end(mk, i - 1))
		o.ended = i - 1;
	o.pad = o.half == FGK_UNIT_NONE && region_of(mk, off) >= 0;
	return o;
}

/* Half-open; one past a unit's end, in padding: that unit. False: padding. */
bool own_unit(const struct own *o, uint32_t *unit)
{
	if (o->half != FGK_UNIT_NONE)
		*unit = o->half;
	else if (o->pad && o->ended != FGK_UNIT_NONE)
		*unit = o->ended;
	else if (o->pad)
		return false;
	else
		*unit = FGK_UNIT_NONE;
	return true;
}

/* The unit holding a field of `size` bytes, which must not straddle a unit edge. */
uint32_t unit_of_site(const struct mk *mk, uint64_t off, uint64_t size)
{
	struct own a = own_at(mk, off), b = own_at(mk, off + size - 1);

	if (a.half != b.half)
		die_at(mk->img.path, describe_off(&mk->img, off), NOPOS, NULL,
		       "a %llu-byte field straddles the edge of a unit",
		       (unsigned long long)size);
	return a.half;
}

static int cmp_skip(const void *a, const void *b)
{
	const struct mk_skip *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void add_skip(struct mk *mk, uint64_t start, uint64_t end, int table)
{
	if (end > start)
		*vec_push(&mk->skips) = (struct mk_skip){ start, end, table };
	if (mk->skips.n)
		qsort(mk->skips.v, mk->skips.n, sizeof(*mk->skips.v), cmp_skip);
	for (size_t i = 1; i < mk->skips.n; i++)
		if (mk->skips.v[i].start < mk->skips.v[i - 1].end)
			die_at(mk->img.path, describe_off(&mk->img, mk->skips.v[i].start),
			       NOPOS, NULL, "declared tables or symtab arrays overlap");
}

/* Inside a declared table or symtab array? *table: the ABS64 table, or -1. */
bool in_skip(const struct mk *mk, uint64_t off, int *table)
{
	long i = LAST_LE(mk->skips.v, mk->skips.n, start, off);

	if (i < 0 || off >= mk->skips.v[i].end)
		return false;
	*table = mk->skips.v[i].table;
	return true;
}
