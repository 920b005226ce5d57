/* map_write.h: lay out and checksum an fgkaslr map from its arrays (host side). */
#ifndef FGK_MAP_WRITE_H
#define FGK_MAP_WRITE_H

#include <stddef.h>
#include "fgk_map.h"

/* The arrays of a map, in the order they are written. */
struct fgk_map_parts {
	uint64_t link_base;
	uint64_t image_size;
	uint32_t flags;
	uint32_t image_id_offset, image_id_size;	/* the image's build id, size 0: none */
	const uint8_t *image_id;
	/*
	 * The loaded image (image_size bytes): with it, the targets the
	 * runtime can find from a field's value are left out of the xref
	 * stream. NULL: every target is stored.
	 */
	const uint8_t *image;
	const struct fgk_region *regions;
	uint32_t nr_regions;
	const struct fgk_unit *units;
	uint32_t nr_units;
	const struct fgk_xref *xrefs;
	uint32_t nr_xrefs;
	const struct fgk_table *tables;
	uint32_t nr_tables;
	const struct fgk_override *overrides;
	uint32_t nr_overrides;
	const uint32_t *field_units;
	uint32_t nr_field_units;
	const struct fgk_symtab *symtabs;
	uint32_t nr_symtabs;
	const struct fgk_sym_tie *sym_ties;
	uint32_t nr_sym_ties;
	const uint32_t *relocs[FGK_NR_RELOC_KINDS];
	uint32_t nr_relocs[FGK_NR_RELOC_KINDS];
};

/* A malloc'd map (*size bytes), or NULL when out of memory. */
void *fgk_map_build(const struct fgk_map_parts *parts, size_t *size);

/*
 * The xref codes and words of parts->xrefs (malloc'd: (nr_xrefs + 1) / 2
 * code bytes, then *bytes of words), or NULL when out of memory.
 */
uint8_t *fgk_xrefs_encode(const struct fgk_map_parts *parts, size_t *bytes);

/*
 * The map's references decoded (malloc'd, nr_xrefs of them), each with its
 * target unit as the runtime would find it in `image` (image NULL: such
 * targets are FGK_UNIT_UNKNOWN); NULL on a malformed stream or out of
 * memory. The map's header and arrays must be in bounds (fgk_map_open or
 * the caller checked). For tools and tests, not for boot.
 */
#define FGK_UNIT_UNKNOWN	0x0ffffffeu

/* How many of the map's xrefs store their target (code 7). */
uint32_t fgk_xrefs_stored(const void *map);
struct fgk_xref *fgk_xrefs_decode(const void *map, const uint8_t *image, uint64_t image_size);

/*
 * The parts of an existing map (pointing into it), to build it again with
 * something changed; units, xrefs and overrides stay NULL: decode them
 * with fgk_units_decode, fgk_xrefs_decode and fgk_overrides_decode.
 * The map must be well-formed (fgk_map_open accepted it).
 */
struct fgk_map_parts fgk_map_parts_of(const void *map);

/* One ULEB128 word written at p (at most 10 bytes); returns the byte after it. */
uint8_t *fgk_put_uleb(uint8_t *p, uint64_t v);
/* One ULEB128 word of at most 64 bits read from [*at, end); 0 if it runs past. */
int fgk_get_uleb(const uint8_t **at, const uint8_t *end, uint64_t *v);

/* The unit stream of `n` units (malloc'd, *bytes long), or NULL. */
uint8_t *fgk_units_encode(const struct fgk_unit *u, uint32_t n, size_t *bytes);

/* The map's units decoded (malloc'd, nr_units of them), or NULL. */
struct fgk_unit *fgk_units_decode(const void *map);

/* The override stream of `n` overrides (malloc'd, *bytes long), or NULL. */
uint8_t *fgk_overrides_encode(const struct fgk_override *ov, uint32_t n, size_t *bytes);

/* The map's overrides decoded (malloc'd, nr_overrides of them), or NULL. */
struct fgk_override *fgk_overrides_decode(const void *map);

/* Where one of a map's payload arrays starts (fgk_map.h's enum fgk_map_array). */
const uint8_t *fgk_map_section(const void *map, enum fgk_map_array a);

/* Recompute the checksum, e.g. after a test corrupted the payload. */
void fgk_map_reseal(void *map);

#endif /* FGK_MAP_WRITE_H */
