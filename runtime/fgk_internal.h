/* fgk_internal.h: helpers and phase entry points shared by the runtime's files (not API). */
#ifndef FGK_INTERNAL_H
#define FGK_INTERNAL_H

#include "fgk.h"

/*
 * Freestanding rules for every file in runtime/ (enforced by RT_CFLAGS and
 * `make check-freestanding`): no libc, no malloc, no floating point, no
 * static data holding pointers. All memory comes from the caller: the map,
 * the image and the scratch buffer. Lookups by image offset go through the
 * forward-only cursors of walk.c, except the xref targets (unit_index.c):
 * no sort anywhere.
 */

#define FGK_MAX_UNIT_ALIGN	(1u << 20)
#define FGK_MAX_SYMS		(1u << 24)	/* seqs are 3 bytes */
#define FGK_WALK_BAD		0xffffffffu	/* field crosses a unit edge or lies in padding */
/*
 * Where addresses far past the image map to: beyond every unit and region
 * (images are at most 4 GiB), yet far from INT64_MAX, so that the walks'
 * `off + width` cannot overflow.
 */
#define FGK_OFF_FAR		(1LL << 40)

static inline uint64_t fgk_align8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

static inline uint64_t fgk_max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Little-endian image access that tolerates any alignment. */
static inline uint32_t fgk_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t fgk_rd64(const uint8_t *p)
{
	return fgk_rd32(p) | (uint64_t)fgk_rd32(p + 4) << 32;
}

static inline void fgk_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void fgk_wr64(uint8_t *p, uint64_t v)
{
	fgk_wr32(p, (uint32_t)v);
	fgk_wr32(p + 4, (uint32_t)(v >> 32));
}

/* kallsyms_seqs_of_names entries are 3 bytes, big-endian. */
static inline uint32_t fgk_rd24be(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline void fgk_wr24be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

/*
 * Our own copy and fill, so the object needs no memcpy/memset
 * (check-freestanding); build.mk passes -fno-tree-loop-distribute-patterns
 * so gcc does not turn the loops back into such calls. 8-byte accesses go
 * through a type that may alias anything and needs no alignment. The copy
 * is inline: most copies are a table entry of a few bytes.
 */
typedef uint64_t __attribute__((aligned(1), may_alias)) fgk_word;
typedef uint32_t __attribute__((aligned(1), may_alias)) fgk_word32;

/* Copy n bytes; the ranges must not overlap. */
static inline void fgk_copy(void *dst, const void *src, uint64_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(fgk_word *)d = *(const fgk_word *)s;
	if (n >= 4) {
		*(fgk_word32 *)d = *(const fgk_word32 *)s;
		n -= 4, d += 4, s += 4;
	}
	for (; n; n--)
		*d++ = *s++;
}

/*
 * Bulk copies (a region aside, each unit back, a table or the kallsyms
 * arrays to scratch) with the string instruction: on x86-64 `rep movsb`
 * moves whole cache lines (ERMS/FSRM) where fgk_copy's 8-byte loop issues
 * a load and a store per word, and it needs neither libc nor vector
 * registers (the decompressor has none). The ranges must not overlap.
 */
static inline void fgk_copy_bulk(void *dst, const void *src, uint64_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

void fgk_fill(void *dst, uint8_t byte, uint64_t n);

/* chacha20.c */
void fgk_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
			uint32_t out[16]);

/* random.c: the ChaCha20 keystream as 32-bit draws. */
struct fgk_rng {
	uint32_t key[8];
	uint32_t counter;	/* of the next block */
	uint32_t block[16];
	uint32_t used;		/* words of block handed out */
};

void fgk_rng_init(struct fgk_rng *rng, const uint8_t key[32]);
void fgk_rng_seed(struct fgk_rng *rng, uint64_t seed);
uint32_t fgk_rng_next32(struct fgk_rng *rng);
uint32_t fgk_rng_below(struct fgk_rng *rng, uint32_t n);
void fgk_rng_permute(struct fgk_rng *rng, uint32_t *v, uint32_t n);

/* walk.c: forward-only cursors over the sorted units and regions. */
struct fgk_walk {
	const struct fgk_unit *units;
	uint32_t nr_units;
	uint32_t next;		/* first unit ending after the last query */
};

struct fgk_region_walk {
	const struct fgk_region *regions;
	uint32_t nr_regions;
	uint32_t next;		/* first region ending after the last query */
};

struct fgk_locator {
	struct fgk_walk units;
	struct fgk_region_walk regions;
};

void fgk_walk_init(struct fgk_walk *w, const struct fgk_map *map);
/* The unit holding image offset `off`, or FGK_UNIT_NONE (inline: once per reference). */
static inline uint32_t fgk_walk_unit(struct fgk_walk *w, int64_t off)
{
	while (w->next < w->nr_units &&
	       (int64_t)w->units[w->next].offset + w->units[w->next].size <= off)
		w->next++;
	if (w->next < w->nr_units && w->units[w->next].offset <= off)
		return w->next;
	return FGK_UNIT_NONE;
}

uint32_t fgk_walk_field(struct fgk_walk *w, int64_t off, uint32_t width);
void fgk_region_walk_init(struct fgk_region_walk *rw, const struct fgk_map *map);
uint32_t fgk_region_at(struct fgk_region_walk *rw, int64_t off);
int fgk_region_overlaps(struct fgk_region_walk *rw, int64_t start, int64_t end);
uint32_t fgk_region_of_unit(const struct fgk_map *map, uint32_t *cursor, uint32_t unit);
uint32_t fgk_region_find(const struct fgk_map *map, int64_t off);
void fgk_locator_init(struct fgk_locator *loc, const struct fgk_map *map);
uint32_t fgk_locate_field(struct fgk_locator *loc, uint32_t off, uint32_t width);

/* uleb.c: one ULEB128 word, the one-byte case inline (most words). */
int fgk_read_uleb_long(const uint8_t **at, const uint8_t *end, uint32_t max_bits, uint64_t *v);

static inline int fgk_read_uleb(const uint8_t **at, const uint8_t *end, uint32_t max_bits,
				uint64_t *v)
{
	if (*at < end && !(**at & 0x80)) {
		*v = *(*at)++;
		return 1;
	}
	return fgk_read_uleb_long(at, end, max_bits, v);
}

/* unit_stream.c */
int fgk_decode_units(const struct fgk_map *map, const uint8_t *stream, struct fgk_unit *out);

/* xref_stream.c: the map's references, decoded in site order. */
struct fgk_xref_cursor {
	const uint8_t *codes;	/* a nibble per reference */
	uint32_t nr_codes, index;	/* of the next reference */
	const uint8_t *at, *end;	/* its words */
	uint64_t site;		/* of the last reference decoded */
};

struct fgk_ref {
	uint32_t site;
	uint32_t code;		/* FGK_CODE_* */
	uint32_t kind;		/* FGK_XREF_* */
	uint32_t target;	/* FGK_CODE_STORED: the target unit or FGK_UNIT_NONE */
};

void fgk_xref_cursor_init(struct fgk_xref_cursor *c, const struct fgk_map *map);
int fgk_xref_next_slow(struct fgk_xref_cursor *c, struct fgk_ref *r);

/* The next reference; 0 past the last or if it is malformed (xref_stream.c). */
static inline int fgk_xref_next(struct fgk_xref_cursor *c, struct fgk_ref *r)
{
	uint32_t code;

	/* The common case inline: a derived target and a site gap below 128. */
	if (c->index >= c->nr_codes || c->at >= c->end || (*c->at & 0x80) ||
	    c->site > UINT32_MAX - 0x7f)
		return fgk_xref_next_slow(c, r);
	code = (c->codes[c->index / 2] >> (4 * (c->index % 2))) & 0xf;
	if (code > FGK_CODE_ABS32S)
		return fgk_xref_next_slow(c, r);
	c->index++;
	c->site += *c->at++;
	r->site = (uint32_t)c->site;
	r->code = code;
	r->kind = code == FGK_CODE_ABS64 ? FGK_XREF_ABS64 :
		  code == FGK_CODE_ABS32S ? FGK_XREF_ABS32S : FGK_XREF_PC32;
	r->target = FGK_UNIT_NONE;
	return 1;
}

int64_t fgk_xref_pointee(const struct fgk_map *map, uint32_t code, uint32_t site,
			 const uint8_t *field);

/* unit_index.c: the unit holding an offset, for offsets in any order. */
#define FGK_BUCKET_SHIFT	5	/* 32-byte buckets (unit_index.c) */

struct fgk_unit_index {
	const struct fgk_unit *units;
	uint32_t nr_units;
	int64_t lo;		/* the first region's start */
	uint64_t span;		/* to the last region's end */
	uint32_t *first;	/* per bucket: first unit ending after its start */
};

uint64_t fgk_unit_index_bytes(const struct fgk_map *map);
void fgk_unit_index_build(struct fgk_unit_index *ix, const struct fgk_map *map, uint32_t *mem);

/* The unit holding image offset `off`, or FGK_UNIT_NONE. */
static inline uint32_t fgk_unit_index_find(const struct fgk_unit_index *ix, int64_t off)
{
	const struct fgk_unit *u;
	uint64_t rel;
	uint32_t i;

	if (off < ix->lo)
		return FGK_UNIT_NONE;
	rel = (uint64_t)off - (uint64_t)ix->lo;
	if (rel >= ix->span)
		return FGK_UNIT_NONE;
	i = ix->first[rel >> FGK_BUCKET_SHIFT];
	for (u = ix->units + i; i < ix->nr_units && (int64_t)u->offset + u->size <= off; u++)
		i++;
	return i < ix->nr_units && u->offset <= off ? i : FGK_UNIT_NONE;
}

/* guard.c: the table and symtab arrays, visited in address order. */
struct fgk_span {
	uint64_t start, end;
	uint32_t id;
};

struct fgk_guard {
	const struct fgk_map *map;
	uint32_t nr_ids;
	int valid;		/* cur is a span; 0 once past the last */
	struct fgk_span cur;
};

#define FGK_SPAN_SYM_OFFSETS	0
#define FGK_SPAN_SYM_NAMES	1
#define FGK_SPAN_SYM_MARKERS	2
#define FGK_SPAN_SYM_SEQS	3
#define FGK_NR_SYM_SPANS	4

void fgk_span_of(const struct fgk_map *map, uint32_t id, struct fgk_span *s);
uint32_t fgk_span_table(const struct fgk_map *map, uint32_t id);
void fgk_guard_init(struct fgk_guard *g, const struct fgk_map *map);
void fgk_guard_next(struct fgk_guard *g);
const struct fgk_span *fgk_guard_hit(struct fgk_guard *g, uint64_t off, uint32_t width);

/* table_entry.c, symtab_entry.c: decoding one entry. */
uint32_t fgk_key_width(uint32_t key_kind);
int64_t fgk_table_key(const struct fgk_map *map, const struct fgk_table *t,
		      const uint8_t *entry, uint32_t index);
uint32_t fgk_popcount(uint32_t v);

/* Field units a table's entries take in the map's field_units. */
static inline uint64_t fgk_table_field_units(const struct fgk_table *t)
{
	return (uint64_t)t->nr_entries * fgk_popcount(t->rel32_fields);
}

/* Take the lowest marked field from *fields: its s32 slot index (v != 0). */
static inline uint32_t fgk_next_field(uint32_t *fields)
{
	uint32_t slot = (uint32_t)__builtin_ctz(*fields);

	*fields &= *fields - 1;
	return slot;
}

uint64_t fgk_sym_addr(const struct fgk_symtab *st, uint32_t value);
int64_t fgk_addr_offset(const struct fgk_map *map, uint64_t addr);
uint32_t fgk_name_entry_size(const uint8_t *p, uint64_t avail);
uint64_t fgk_sym_nr_markers(const struct fgk_symtab *st);

/* override_stream.c: the overrides, decoded in order. */
struct fgk_override_cursor {
	const uint8_t *at, *end;
	int64_t entry, unit;	/* of the last override decoded (unit: last not none) */
};

void fgk_override_cursor_init(struct fgk_override_cursor *c, const struct fgk_map *map);
int fgk_override_next(struct fgk_override_cursor *c, struct fgk_override *o);
void fgk_override_cursor_at(struct fgk_override_cursor *c, const struct fgk_map *map,
			    uint32_t first);
int fgk_check_override_stream(const struct fgk_map *map);

/* owner.c: the unit owning each entry of a sorted table or symtab. */
struct fgk_owner_iter {
	struct fgk_walk walk;
	struct fgk_override_cursor ov;
	struct fgk_override next;	/* the next override, if left */
	uint32_t left;			/* overrides of the run not yet used */
};

/* The entry of the next override, or `none` past the run's last. */
static inline uint32_t fgk_owner_next_override(const struct fgk_owner_iter *it, uint32_t none)
{
	return it->left ? it->next.entry : none;
}

void fgk_owner_init(struct fgk_owner_iter *it, const struct fgk_map *map,
		    uint32_t first_override, uint32_t nr_overrides);
uint32_t fgk_owner_next(struct fgk_owner_iter *it, uint32_t entry, int64_t key);

/* check_owner.c: ownership rules shared by tables and the symtab (fgk_map_check). */
struct fgk_owner_check {
	const struct fgk_map *map;
	struct fgk_owner_iter it;
	struct fgk_region_walk regions;
	uint32_t last;		/* last unit that owned an entry */
};

int fgk_check_overrides(const struct fgk_map *map, uint32_t first,
			uint32_t nr, uint32_t nr_entries);
void fgk_owner_check_init(struct fgk_owner_check *oc, const struct fgk_map *map,
			  uint32_t first_override, uint32_t nr_overrides);
int fgk_owner_check_next(struct fgk_owner_check *oc, uint32_t entry,
			 int64_t key, uint32_t *owner);

/*
 * validate_*.c: the steps of fgk_map_open (regions, units, shapes, arrays:
 * what keeps every read and write inside the image and the scratch) and
 * of fgk_map_check (xrefs, table and symtab entries, relocations: what
 * makes the result right), each returning an fgk_error.
 */
int fgk_check_regions(struct fgk_map *map);
int fgk_check_units(const struct fgk_map *map);
int fgk_check_table_shapes(const struct fgk_map *map);
int fgk_check_symtab_shape(const struct fgk_map *map);
int fgk_check_arrays(const struct fgk_map *map);
int fgk_check_xrefs(struct fgk_map *map, const uint8_t *image);
int fgk_check_tables(const struct fgk_map *map, const uint8_t *image);
int fgk_check_symtab(const struct fgk_map *map, const uint8_t *image);
int fgk_check_relocs(const struct fgk_map *map);

/* Bytes of a reference's field and of a base relocation's. */
static inline uint32_t fgk_xref_width(uint32_t kind)
{
	return kind == FGK_XREF_PC64 || kind == FGK_XREF_ABS64 ? 8 : 4;
}

static inline uint32_t fgk_reloc_width(uint32_t kind)
{
	return kind == FGK_RELOC_ABS64 ? 8 : 4;
}

/* v +- slack fits in an s32. */
static inline int fgk_fits_s32(int64_t v, int64_t slack)
{
	return v - slack >= INT32_MIN && v + slack <= INT32_MAX;
}

/* The plan every phase reads: where each unit goes. */
struct fgk_plan {
	const struct fgk_map *map;
	uint32_t *order;	/* per region slice: its units in new address order */
	int32_t *delta;		/* per unit: new offset - old offset; NULL: all 0 */
	uint8_t *work;		/* the phase's scratch area */
	uint32_t nr_units;	/* entries of delta */
};

/*
 * 0 for FGK_UNIT_NONE, and for any other unit number past the map's: a
 * map fgk_map_check never saw may name one, which must not be read past.
 */
static inline int32_t fgk_unit_delta(const struct fgk_plan *plan, uint32_t unit)
{
	return unit < plan->nr_units ? plan->delta[unit] : 0;
}

/* scratch.c */
uint64_t fgk_plan_bytes(const struct fgk_map *map);
uint64_t fgk_compute_scratch(const struct fgk_map *map);
void fgk_plan_carve(struct fgk_plan *plan, const struct fgk_map *map, void *scratch);

/* layout.c */
int fgk_layout_region(const struct fgk_map *map, uint32_t region,
		      const uint32_t *order, int32_t *delta);
int fgk_plan_layout(const struct fgk_plan *plan, const struct fgk_shuffle_args *args);

/* runs.c: where each entry of an owned table goes, from per-unit runs. */
#define FGK_NO_ENTRY	0xffffffffu

struct fgk_block {		/* per region: its entries from first to last owned */
	uint32_t first, last;	/* first = FGK_NO_ENTRY: the region owns none */
	/* unowned entries at the region's start, end; after fgk_runs_place: their next index */
	uint32_t lead, tail;
};

struct fgk_runs {
	const struct fgk_map *map;
	const uint32_t *order;
	uint32_t *len;			/* per unit: entries it owns */
	uint32_t *next;			/* per unit: new index of its next entry */
	struct fgk_block *blocks;	/* per region */
	uint32_t region_cursor;
	uint32_t cur;			/* region of the last owned entry seen */
	uint32_t pend_tail;		/* unowned entries seen since, at its end */
};

uint64_t fgk_runs_bytes(const struct fgk_map *map);
uint8_t *fgk_runs_init(struct fgk_runs *r, const struct fgk_plan *plan, uint8_t *mem);
void fgk_runs_add(struct fgk_runs *r, uint32_t entry, uint32_t unit, int64_t key);
void fgk_runs_place(struct fgk_runs *r);
uint32_t fgk_runs_to(struct fgk_runs *r, uint32_t entry, uint32_t unit, int64_t key);
/*
 * The same for `count` consecutive entries from `first`, all owned by
 * `unit` (not FGK_UNIT_NONE): as many calls of fgk_runs_add, resp.
 * fgk_runs_to, whose new indexes are consecutive from the one returned.
 */
void fgk_runs_add_run(struct fgk_runs *r, uint32_t first, uint32_t count, uint32_t unit);
uint32_t fgk_runs_to_run(struct fgk_runs *r, uint32_t count, uint32_t unit);

/* The phases. */
uint32_t fgk_fix_xrefs(const struct fgk_plan *plan, uint8_t *image);
uint64_t fgk_move_work_bytes(const struct fgk_map *map);
void fgk_move_units(const struct fgk_plan *plan, uint8_t *image);
uint64_t fgk_table_work_bytes(const struct fgk_map *map, const struct fgk_table *t);
uint32_t fgk_resort_tables(const struct fgk_plan *plan, uint8_t *image,
			   const struct fgk_shuffle_args *args);
uint64_t fgk_symtab_work_bytes(const struct fgk_map *map);
uint32_t fgk_rebuild_symtab(const struct fgk_plan *plan, uint8_t *image);
/* The image offset of the i-th relocation of `kind`. */
static inline uint32_t fgk_reloc_site(const struct fgk_map *map, uint32_t kind, uint32_t i)
{
	return map->relocs[kind][i] - map->reloc_base;
}

int fgk_relocs_fit(const struct fgk_map *map, const uint8_t *image, int64_t base_delta);
uint32_t fgk_apply_relocs(const struct fgk_plan *plan, uint8_t *image, int64_t base_delta);

#endif /* FGK_INTERNAL_H */
