/* fixture.h: build synthetic images and their maps for the runtime's unit tests. */
#ifndef FGK_TEST_FIXTURE_H
#define FGK_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fgk.h"
#include "fgk_internal.h"
#include "map_write.h"

#define FX_MAX 1024
#define FX_LINK_BASE 0xffffffff81000000ULL

/* An image under construction and the arrays of its map. */
struct fx {
	uint8_t *image;
	uint32_t image_size;
	uint64_t link_base;
	struct fgk_region regions[16];
	uint32_t nr_regions;
	struct fgk_unit units[FX_MAX];
	uint32_t nr_units;
	struct fgk_xref xrefs[FX_MAX];
	uint32_t nr_xrefs;
	struct fgk_table tables[8];
	uint32_t nr_tables;
	struct fgk_override overrides[FX_MAX];
	uint32_t nr_overrides;
	uint32_t field_units[FX_MAX];
	uint32_t nr_field_units;
	struct fgk_symtab symtab;
	uint32_t nr_symtabs;
	struct fgk_sym_tie sym_ties[16];
	uint32_t nr_sym_ties;
	uint32_t image_id_offset, image_id_size;	/* size 0: the map names no image */
	uint8_t image_id[FGK_IMAGE_ID_MAX];
	uint32_t relocs[FGK_NR_RELOC_KINDS][FX_MAX];
	uint32_t nr_relocs[FGK_NR_RELOC_KINDS];
	/*
	 * 0: every xref's target is stored in the map, whatever its field
	 * holds. 1: fx_map leaves out the targets the runtime can find from
	 * the field (as fgk-mkmap does).
	 */
	int derive;
	/*
	 * 1: the map carries no base relocations (FGK_MAP_IMAGE_RELOCS) and
	 * fx_open hands the runtime fx's relocs as an image list instead.
	 */
	int image_relocs;
	/*
	 * 1 (with image_relocs): a PIE image's map (FGK_MAP_PIE); fx_open
	 * hands the runtime fx's ABS64 relocs as RELA and RELR lists.
	 */
	int pie;
};

/* A shuffle's outcome. */
struct fx_run {
	int err;
	int32_t delta[FX_MAX];
	struct fgk_stats stats;
	uint64_t scratch_size;
};

struct fx *fx_new(uint32_t image_size);
void fx_free(struct fx *fx);

/* Builders; units go into the last region and get a recognisable pattern. */
uint32_t fx_region(struct fx *fx, uint32_t start, uint32_t end);
uint32_t fx_unit(struct fx *fx, uint32_t offset, uint32_t size, uint32_t align);
uint8_t fx_pattern(uint32_t unit, uint32_t i);
void fx_xref(struct fx *fx, uint32_t site, uint32_t kind, uint32_t target, uint64_t value);
void fx_reloc(struct fx *fx, uint32_t kind, uint32_t site);
uint32_t fx_override(struct fx *fx, uint32_t entry, uint32_t unit);

/* Image access. */
void fx_put32(struct fx *fx, uint32_t off, uint32_t v);
void fx_put64(struct fx *fx, uint32_t off, uint64_t v);
uint32_t get32(const uint8_t *image, uint64_t off);
uint64_t get64(const uint8_t *image, uint64_t off);

/*
 * Memory for a map's decoded units (fgk_map_open): one of a few static
 * buffers in turn, so that a test may hold two maps open at once.
 */
#define FX_UNITS_BYTES	(8 * FX_MAX + 4 * FX_MAX + 8)
void *fx_units_mem(void);
#define FX_UNITS	fx_units_mem(), FX_UNITS_BYTES

/* fx's relocs as an image list (fgk_map.h), in a buffer valid until the next call. */
const uint32_t *fx_image_relocs(const struct fx *fx, uint64_t *size);

/*
 * fx's ABS64 relocs as a PIE image's lists: every third site and any odd
 * one as an R_X86_64_RELATIVE RELA entry, the others packed as RELR
 * (address words and bitmaps); in buffers valid until the next call.
 */
struct fx_pie_lists {
	const void *rela, *relr;
	uint64_t rela_size, relr_size;
};
void fx_pie_lists(const struct fx *fx, struct fx_pie_lists *l);

/* The map, malloc'd (8-byte aligned); *size its bytes. */
void *fx_map(const struct fx *fx, size_t *size);
/* fgk_map_open, fgk_map_use_relocs if fx has image relocs, then fgk_map_check. */
int fx_open(const struct fx *fx, void *buf, size_t size, struct fgk_map *map);

/*
 * Shuffle a copy of fx->image with an open map and scratch of exactly the
 * size asked for (so ASan sees any access outside them); the copy is
 * dropped. Returns fgk_shuffle's result.
 */
int fx_shuffle_copy(const struct fx *fx, const struct fgk_map *map, uint64_t seed,
		    int64_t base_delta);

/* Open and shuffle fx->image in place with exactly-sized scratch. */
int fx_shuffle(struct fx *fx, uint64_t seed, int64_t base_delta, uint32_t flags,
	       struct fx_run *run);
/* Same with a map buffer the test has edited. */
int fx_shuffle_buf(struct fx *fx, void *buf, size_t size, uint64_t seed,
		   int64_t base_delta, uint32_t flags, struct fx_run *run);

/* Open + shuffle must fail with `err` and leave the image byte-identical. */
void fx_expect_error(struct fx *fx, int err, const char *what);
void fx_expect_error_buf(struct fx *fx, void *buf, size_t size, int err, const char *what);

/* A plan with hand-chosen deltas, for testing one phase. */
struct fx_plan {
	struct fgk_plan plan;
	uint32_t order[FX_MAX];
	int32_t delta[FX_MAX];
	uint8_t *work;
};
void fx_plan_init(struct fx_plan *p, const struct fgk_map *map);
void fx_plan_free(struct fx_plan *p);

/*
 * The "world": a small image with two regions, fixed code between them,
 * xrefs of every kind, an exception-table-like table with a fixup field,
 * an ORC-like table with a parallel array and terminators, an ABS64 table
 * with relocs at its keys, a symtab, and base relocs. Valid as built.
 */
struct world {
	uint32_t ex, orc, mcount;	/* table indexes */
	uint32_t nr_syms;
};
struct fx *world_new(struct world *w);

/*
 * Whole shuffles of the world, one fresh world per seed in [first_seed,
 * first_seed + seeds): prepare (may be NULL) adjusts it, delta (may be
 * NULL: 0) gives the base-KASLR move, fgk_shuffle must succeed, and expect
 * checks what the test is about against the bytes from before.
 */
struct world_shuffles {
	uint64_t first_seed, seeds;
	void (*prepare)(struct fx *fx, uint64_t seed);
	int64_t (*delta)(uint64_t seed);
	void (*expect)(const struct fx *fx, const struct world *w, const uint8_t *before,
		       const struct fx_run *run, int64_t delta);
};
void world_shuffles(const struct world_shuffles *ws);

/* The symtab builder (also used by world_new). */
#define FX_SYM_PERCPU 0xfffffffeu	/* unit: an ABS_PERCPU absolute value */

struct fx_sym {
	uint32_t unit;		/* owner, FGK_UNIT_NONE for a fixed address */
	uint32_t offset;	/* image offset of the symbol */
	uint32_t name_len;
};
void fx_symtab(struct fx *fx, uint32_t at, const struct fx_sym *syms, uint32_t n,
	       uint32_t kind, int seqs);
void fx_symtab_rb(struct fx *fx, uint32_t at, const struct fx_sym *syms, uint32_t n,
		  uint32_t kind, int seqs, uint64_t relative_base);
uint8_t fx_name_byte(uint32_t sym, uint32_t i);
/* n 32-bit words from hex bytes, each word little-endian (RFC 8439's serialisation). */
void fx_hex_words(const char *hex, uint32_t *w, int n);
/* A run of seqs positions whose indexes must end up ascending. */
void fx_sym_tie(struct fx *fx, uint32_t first, uint32_t count);

#endif /* FGK_TEST_FIXTURE_H */
