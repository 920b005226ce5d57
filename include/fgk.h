/* fgk.h: the freestanding fgkaslr runtime API: validate a map, size its scratch, shuffle. */
#ifndef FGK_H
#define FGK_H

#include "fgk_map.h"

enum fgk_error {
	FGK_OK = 0,
	FGK_E_ARG,		/* NULL pointer or bad argument */
	FGK_E_TRUNCATED,	/* map shorter than its header says */
	FGK_E_MAGIC,
	FGK_E_VERSION,
	FGK_E_CHECKSUM,
	FGK_E_IMAGE,		/* image smaller than the map describes */
	FGK_E_REGION,
	FGK_E_UNIT,
	FGK_E_XREF,
	FGK_E_TABLE,
	FGK_E_SYMTAB,
	FGK_E_RELOC,
	FGK_E_OVERFLOW,		/* a fixed field would not fit after the move */
	FGK_E_NOSPACE,		/* a region's new layout would not fit */
	FGK_E_NOMEM,		/* scratch memory too small */
	FGK_E_IMAGE_ID,		/* the image is not the one the map was made for */
	FGK_E_NORELOCS,		/* the map needs the image's relocations: none given */
	FGK_NR_ERRORS
};

const char *fgk_strerror(int err);

/* A validated view of a map; filled by fgk_map_open, read-only afterwards. */
struct fgk_map {
	const struct fgk_map_header *hdr;
	const struct fgk_region *regions;
	const struct fgk_unit *units;		/* decoded into the caller's memory */
	const uint8_t *xrefs;			/* the xref codes, then words */
	const struct fgk_table *tables;
	const uint8_t *overrides;		/* the override stream */
	const uint32_t *field_units;
	const struct fgk_symtab *symtab;	/* NULL: none */
	const struct fgk_sym_tie *sym_ties;	/* hdr->nr_sym_ties of them */
	/* The base relocations: the map's, or the image's list (fgk_map_use_relocs). */
	const uint32_t *relocs[FGK_NR_RELOC_KINDS];
	uint32_t nr_relocs[FGK_NR_RELOC_KINDS];
	uint32_t reloc_base;			/* site = entry - reloc_base (mod 2^32) */
	int relocs_missing;			/* FGK_MAP_IMAGE_RELOCS, no list given yet */
	/* Field values seen by fgk_map_check (0 before it ran). */
	int64_t pc32_min, pc32_max;		/* PC32 field values */
	int64_t abs32s_min, abs32s_max;		/* ABS32S field values */
	uint64_t abs32_max;			/* ABS32 field values */
	uint32_t max_region_size;
	uint64_t scratch_size;
};

/*
 * Bytes of memory fgk_map_open needs for the map in `buf` (its unit
 * table, decoded), read from the header; 0 if it is no map of this version.
 */
uint64_t fgk_map_units_bytes(const void *buf, uint64_t size);

/*
 * Check the map's header, checksum and identity, its regions, units and
 * the place and shape of every array against the image (which is only
 * read), decoding the unit table into `units` (8-byte aligned,
 * fgk_map_units_bytes() of it; it must live as long as the map). On
 * FGK_OK, `map` may be passed to the calls below, and fgk_shuffle reads
 * and writes nothing outside the image and its scratch, whatever the
 * map's references, table entries and relocations say. That they are
 * right is fgk_map_check's part. Cheap: what the boot runs.
 */
int fgk_map_open(struct fgk_map *map, const void *buf, uint64_t size,
		 const uint8_t *image, uint64_t image_size,
		 void *units, uint64_t units_size);

/*
 * For a map with FGK_MAP_IMAGE_RELOCS: the image's base relocations, in
 * the decompressor's vmlinux.relocs format (fgk_map.h), `size` bytes at
 * `relocs` (4-byte aligned; only its format is checked here: its sites,
 * like the map's own, by fgk_map_check). fgk_shuffle refuses such a map
 * until this succeeded; on an error the map keeps no list.
 */
int fgk_map_use_relocs(struct fgk_map *map, const void *relocs, uint64_t size,
		       const uint8_t *image);

/*
 * For a PIE image's map with FGK_MAP_IMAGE_RELOCS: the image's own base
 * relocations, read in place, R_X86_64_RELATIVE entries (Elf64_Rela,
 * `rela_size` bytes) and RELR words (`relr_size` bytes), both 8-byte
 * aligned and sorted by address, their sites decoded into `sites` (image
 * offsets, 4 bytes each; fgk_pie_relocs_count of them). FGK_E_RELOC if a
 * list holds another type or is unsorted, FGK_E_NOMEM if `sites` is too
 * small; on an error the map keeps no list.
 */
int fgk_map_use_pie_relocs(struct fgk_map *map, const void *rela, uint64_t rela_size,
			   const void *relr, uint64_t relr_size, uint32_t *sites,
			   uint64_t sites_size);

/* How many sites those lists hold for an image linked at link_base; -1 if they are bad. */
int64_t fgk_pie_relocs_count(const void *rela, uint64_t rela_size, const void *relr,
			     uint64_t relr_size, uint64_t link_base);

/*
 * After fgk_map_open (and fgk_map_use_relocs or fgk_map_use_pie_relocs, if
 * the map needs the image's relocations): is
 * the map right for this image? Every reference sorted, inside one unit
 * and clear of the rewritten arrays, every 32-bit field fitting after any
 * layout; table keys and symbols sorted, each owned as the re-sort needs;
 * relocations sorted and movable. A map that passes fgk_map_open but not
 * this cannot make fgk_shuffle touch memory outside the image and its
 * scratch, but may leave a wrong image: the kernel build runs this on
 * every map it writes (the checksum keeps the map as it was checked).
 * Reads the image only; fills the field bounds of `map`.
 */
int fgk_map_check(struct fgk_map *map, const uint8_t *image);

/* Bytes of scratch memory fgk_shuffle needs for this map (8-byte aligned). */
uint64_t fgk_scratch_size(const struct fgk_map *map);

enum fgk_phase {
	FGK_PHASE_PLAN,		/* permutation, layout, bound checks */
	FGK_PHASE_XREFS,
	FGK_PHASE_MOVE,
	FGK_PHASE_TABLES,
	FGK_PHASE_SYMTAB,
	FGK_PHASE_RELOCS,
	FGK_PHASE_DONE,
	FGK_NR_PHASES
};

struct fgk_stats {
	uint32_t units;			/* units in all regions */
	uint32_t units_moved;		/* units whose offset changed */
	uint64_t bytes_moved;		/* bytes of moved units */
	uint32_t xrefs;
	uint32_t table_entries;
	uint32_t syms;
	uint32_t relocs;
};

#define FGK_NO_SHUFFLE	0x1	/* keep the link order: apply base relocs only */

struct fgk_shuffle_args {
	/*
	 * The layout: 32 bytes of entropy in `key` (at boot), or, with key
	 * NULL, a 64-bit `seed` that reproduces one layout (not random).
	 */
	const uint8_t *key;
	uint64_t seed;
	int64_t base_delta;		/* base-KASLR move, 0 for none */
	void *scratch;			/* 8-byte aligned */
	uint64_t scratch_size;
	uint32_t flags;			/* FGK_NO_SHUFFLE */
	/* Optional: called as each phase starts, and with FGK_PHASE_DONE. */
	void (*phase)(void *ctx, enum fgk_phase phase);
	void *phase_ctx;
	struct fgk_stats *stats;	/* optional */
	int32_t *unit_delta;		/* optional: nr_units entries, new - old */
	/*
	 * Optional, for benchmarks: during FGK_PHASE_TABLES, called with each
	 * table index 0 .. nr_tables - 1 in order before that table is
	 * re-sorted (an empty table too: it has nothing to do), then once with
	 * nr_tables after the last. Not called when no table is re-sorted
	 * (FGK_NO_SHUFFLE, or a map with nothing to permute). Gets phase_ctx.
	 */
	void (*table)(void *ctx, uint32_t index);
};

/*
 * Permute the units of every region with ChaCha20 keyed by `key` (or
 * `seed`), move them, fix references and tables, then apply the base
 * relocations. The same map, image and key or seed give the same bytes. Returns FGK_OK, or an
 * error before any byte of the image was written.
 */
int fgk_shuffle(const struct fgk_map *map, uint8_t *image,
		const struct fgk_shuffle_args *args);

#endif /* FGK_H */
