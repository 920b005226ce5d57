/* xref_codec.c: the map's xref stream from decoded xrefs (findable targets left out), and back. */
#include <stdlib.h>
#include <string.h>

#include "map_write.h"

struct out {
	uint8_t *buf;
	size_t n, cap;
};

/* Room for `more` bytes after the n written; 0 when out of memory. */
static int grow(struct out *o, size_t more)
{
	size_t cap = o->cap ? o->cap : 4096;
	uint8_t *buf;

	while (cap < o->n + more)
		cap *= 2;
	if (cap == o->cap)
		return 1;
	buf = realloc(o->buf, cap);
	if (!buf)
		return 0;
	o->buf = buf;
	o->cap = cap;
	return 1;
}

static int put_uleb(struct out *o, uint64_t v)
{
	if (!grow(o, 10))
		return 0;
	o->n = (size_t)(fgk_put_uleb(o->buf + o->n, v) - o->buf);
	return 1;
}

/* The unit holding image offset `off` (units sorted), or FGK_UNIT_NONE. */
static uint32_t unit_at(const struct fgk_map_parts *p, int64_t off)
{
	uint32_t a = 0, b = p->nr_units;

	while (a < b) {		/* the first unit ending after `off` */
		uint32_t mid = a + (b - a) / 2;

		if ((int64_t)p->units[mid].offset + p->units[mid].size <= off)
			a = mid + 1;
		else
			b = mid;
	}
	return a < p->nr_units && p->units[a].offset <= off ? a : FGK_UNIT_NONE;
}

static uint64_t rd_le(const uint8_t *q, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | q[n];
	return v;
}

/* As the runtime maps an address to an image offset: below is -1, far is 2^40. */
static int64_t addr_offset(const struct fgk_map_parts *p, uint64_t addr)
{
	if (addr < p->link_base)
		return -1;
	return addr - p->link_base > (1ULL << 40) ? 1LL << 40 : (int64_t)(addr - p->link_base);
}

/* Where the field of `code` at `site` points (fgk_map.h), or 0 if unreadable. */
static int pointee(const struct fgk_map_parts *p, uint32_t code, uint32_t site, int64_t *d)
{
	int width = code == FGK_CODE_ABS64 ? 8 : 4;
	uint64_t v;

	if (!p->image || (uint64_t)site + width > p->image_size)
		return 0;
	v = rd_le(p->image + site, width);
	if (code == FGK_CODE_PC32_INSN)
		*d = (int64_t)site + 4 + (int32_t)v;
	else if (code == FGK_CODE_PC32_SELF)
		*d = (int64_t)site + (int32_t)v;
	else if (code == FGK_CODE_ABS64)
		*d = addr_offset(p, v);
	else
		*d = addr_offset(p, (uint64_t)(int64_t)(int32_t)v);
	return 1;
}

/* The code that finds this xref's target from its field, or FGK_CODE_STORED. */
static uint32_t choose_code(const struct fgk_map_parts *p, const struct fgk_xref *x)
{
	static const uint32_t pc32[] = { FGK_CODE_PC32_INSN, FGK_CODE_PC32_SELF };
	uint32_t kind = FGK_XREF_KIND(x->info), n = 0;
	const uint32_t *codes = pc32;
	uint32_t one;
	int64_t d;

	if (kind == FGK_XREF_PC32) {
		n = 2;
	} else if (kind == FGK_XREF_ABS64 || kind == FGK_XREF_ABS32S) {
		one = kind == FGK_XREF_ABS64 ? FGK_CODE_ABS64 : FGK_CODE_ABS32S;
		codes = &one;
		n = 1;
	}
	for (uint32_t i = 0; i < n; i++)
		if (pointee(p, codes[i], x->site, &d) && unit_at(p, d) == FGK_XREF_UNIT(x->info))
			return codes[i];
	return FGK_CODE_STORED;
}

uint8_t *fgk_xrefs_encode(const struct fgk_map_parts *p, size_t *bytes)
{
	size_t nr_code_bytes = ((size_t)p->nr_xrefs + 1) / 2;
	struct out o = { 0 };
	uint32_t prev = 0;

	/* The codes go first: room for them, filled as the words are written. */
	if (!grow(&o, nr_code_bytes + 1))
		return NULL;
	memset(o.buf, 0, nr_code_bytes);
	o.n = nr_code_bytes;
	for (uint32_t i = 0; i < p->nr_xrefs; i++) {
		const struct fgk_xref *x = &p->xrefs[i];
		uint32_t code = choose_code(p, x), unit = FGK_XREF_UNIT(x->info);
		int ok = put_uleb(&o, x->site - prev);

		o.buf[i / 2] |= (uint8_t)(code << (4 * (i % 2)));
		if (ok && code == FGK_CODE_STORED)
			ok = put_uleb(&o, (uint64_t)(unit == FGK_UNIT_NONE ? 0 : unit + 1)
					  << FGK_STORED_KIND_BITS | FGK_XREF_KIND(x->info));
		if (!ok) {
			free(o.buf);
			return NULL;
		}
		prev = x->site;
	}
	*bytes = o.n - nr_code_bytes;
	return o.buf;
}

static const uint32_t code_kind[] = {
	[FGK_CODE_PC32_INSN] = FGK_XREF_PC32, [FGK_CODE_PC32_SELF] = FGK_XREF_PC32,
	[FGK_CODE_ABS64] = FGK_XREF_ABS64, [FGK_CODE_ABS32S] = FGK_XREF_ABS32S,
};

/* One reference, of `code`, at *at into *x; 0 if malformed. */
static int decode_one(const struct fgk_map_parts *p, uint32_t code, const uint8_t **at,
		      const uint8_t *end, uint64_t *site, struct fgk_xref *x)
{
	uint64_t w, w2;
	int64_t d;

	if (!fgk_get_uleb(at, end, &w) || w > UINT32_MAX - *site)
		return 0;
	*site += w;
	x->site = (uint32_t)*site;
	if (code == FGK_CODE_STORED) {
		if (!fgk_get_uleb(at, end, &w2) || (w2 >> FGK_STORED_KIND_BITS) > FGK_UNIT_NONE)
			return 0;
		w = w2 >> FGK_STORED_KIND_BITS;
		x->info = FGK_XREF_INFO(w2 & FGK_STORED_KIND_MASK, w ? w - 1 : FGK_UNIT_NONE);
		return 1;
	}
	if (code > FGK_CODE_ABS32S)
		return 0;
	if (!p->image)
		x->info = FGK_XREF_INFO(code_kind[code], FGK_UNIT_UNKNOWN);
	else if (!pointee(p, code, x->site, &d))
		return 0;
	else
		x->info = FGK_XREF_INFO(code_kind[code], unit_at(p, d));
	return 1;
}

struct fgk_xref *fgk_xrefs_decode(const void *map, const uint8_t *image, uint64_t image_size)
{
	const struct fgk_map_header *h = map;
	struct fgk_unit *units = fgk_units_decode(map);
	struct fgk_map_parts p = {
		.link_base = h->link_base, .image_size = image_size, .image = image,
		.nr_units = h->nr_units, .units = units,
	};
	const uint8_t *codes = fgk_map_section(map, FGK_MAP_XREFS);
	const uint8_t *at = codes + (h->nr_xrefs + 1ull) / 2, *end = at + h->xref_bytes;
	struct fgk_xref *x = units ? calloc(h->nr_xrefs + 1, sizeof(*x)) : NULL;
	uint64_t site = 0;

	for (uint32_t i = 0; x && i < h->nr_xrefs; i++) {
		uint32_t code = (codes[i / 2] >> (4 * (i % 2))) & 0xf;

		if (!decode_one(&p, code, &at, end, &site, &x[i])) {
			free(x);
			x = NULL;
		}
	}
	free(units);
	return x;
}

uint32_t fgk_xrefs_stored(const void *map)
{
	const struct fgk_map_header *h = map;
	const uint8_t *codes = fgk_map_section(map, FGK_MAP_XREFS);
	uint32_t n = 0;

	for (uint32_t i = 0; i < h->nr_xrefs; i++)
		n += ((codes[i / 2] >> (4 * (i % 2))) & 0xf) == FGK_CODE_STORED;
	return n;
}
