/* map.c: fgk_map_open: header, checksum, identity and array layout, then the structure every write relies on. */
#include "fgk_internal.h"

/*
 * Nothing here writes the image: fgk_shuffle trusts what is checked here
 * and can then fail only on its own arguments, memory or layout space,
 * all before its first write.
 */

/* Bytes of each payload array, in map order, each padded to 8. */
static uint64_t payload_bytes(const struct fgk_map_header *h)
{
	uint64_t sizes[] = {
		(uint64_t)h->nr_regions * sizeof(struct fgk_region),
		h->unit_bytes,
		(uint64_t)(h->nr_xrefs + 1ull) / 2 + h->xref_bytes,
		(uint64_t)h->nr_tables * sizeof(struct fgk_table),
		h->override_bytes,
		(uint64_t)h->nr_field_units * sizeof(uint32_t),
		(uint64_t)h->nr_symtabs * sizeof(struct fgk_symtab),
		(uint64_t)h->nr_sym_ties * sizeof(struct fgk_sym_tie),
	};
	uint64_t total = 0;

	/* Each term is below 2^38: the sum cannot overflow. */
	for (uint32_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		total += fgk_align8(sizes[i]);
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++)
		total += fgk_align8((uint64_t)h->nr_relocs[k] * sizeof(uint32_t));
	return total;
}

static int check_header(const struct fgk_map_header *h, uint64_t size)
{
	if (size < sizeof(*h))
		return FGK_E_TRUNCATED;
	if (h->magic != FGK_MAP_MAGIC)
		return FGK_E_MAGIC;
	if (h->version != FGK_MAP_VERSION || h->header_size != sizeof(*h) ||
	    (h->flags & ~(FGK_MAP_PIE | FGK_MAP_IMAGE_RELOCS)) || h->reserved)
		return FGK_E_VERSION;
	if (h->payload_size != payload_bytes(h) || h->payload_size > size - sizeof(*h))
		return FGK_E_TRUNCATED;
	if (fgk_xxh64((const uint8_t *)h + sizeof(*h), h->payload_size, 0) != h->payload_xxh64)
		return FGK_E_CHECKSUM;
	if (h->nr_symtabs > 1)
		return FGK_E_SYMTAB;
	if ((h->flags & FGK_MAP_IMAGE_RELOCS) &&
	    (h->nr_relocs[0] | h->nr_relocs[1] | h->nr_relocs[2]))
		return FGK_E_RELOC;	/* two lists: which one? */
	return FGK_OK;
}

/* Is this the image the map was made for? A few bytes, not a hash of it all. */
static int check_identity(const struct fgk_map_header *h, const uint8_t *image)
{
	if (h->image_id_size > FGK_IMAGE_ID_MAX ||
	    (uint64_t)h->image_id_offset + h->image_id_size > h->image_size)
		return FGK_E_VERSION;
	for (uint32_t i = 0; i < h->image_id_size; i++)
		if (image[h->image_id_offset + i] != h->image_id[i])
			return FGK_E_IMAGE_ID;
	return FGK_OK;
}

/* Take `count` elements of `elem` bytes at *at; advance past their padding. */
static const void *take(const uint8_t **at, uint64_t count, uint64_t elem)
{
	const void *p = *at;

	*at += fgk_align8(count * elem);
	return p;
}

static int point_arrays(struct fgk_map *map, const struct fgk_map_header *h,
			struct fgk_unit *units)
{
	const uint8_t *at = (const uint8_t *)h + h->header_size;
	const uint8_t *unit_stream;

	map->hdr = h;
	map->regions = take(&at, h->nr_regions, sizeof(struct fgk_region));
	unit_stream = take(&at, h->unit_bytes, 1);
	map->units = units;
	map->xrefs = take(&at, (h->nr_xrefs + 1ull) / 2 + h->xref_bytes, 1);
	map->tables = take(&at, h->nr_tables, sizeof(struct fgk_table));
	map->overrides = take(&at, h->override_bytes, 1);
	map->field_units = take(&at, h->nr_field_units, sizeof(uint32_t));
	map->symtab = take(&at, h->nr_symtabs, sizeof(struct fgk_symtab));
	if (!h->nr_symtabs)
		map->symtab = 0;
	map->sym_ties = take(&at, h->nr_sym_ties, sizeof(struct fgk_sym_tie));
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++) {
		map->relocs[k] = take(&at, h->nr_relocs[k], sizeof(uint32_t));
		map->nr_relocs[k] = h->nr_relocs[k];
	}
	map->relocs_missing = !!(h->flags & FGK_MAP_IMAGE_RELOCS);
	return fgk_decode_units(map, unit_stream, units);
}

/*
 * What keeps fgk_shuffle's reads and writes inside the image and its
 * scratch: the regions and units it moves, the arrays it rewrites, the
 * shapes of their entries. Structure first, so later steps may rely on it
 * (e.g. walks need sorted units). Per entry of a table or reference, the
 * writers check what they touch themselves (a few compares); whether the
 * result is right is fgk_map_check's part (check_*.c).
 */
static int check_contents(struct fgk_map *map)
{
	int err = fgk_check_regions(map);

	if (!err)
		err = fgk_check_units(map);
	if (!err && fgk_check_override_stream(map))
		err = FGK_E_TABLE;
	if (!err)
		err = fgk_check_table_shapes(map);
	if (!err)
		err = fgk_check_symtab_shape(map);
	if (!err)
		err = fgk_check_arrays(map);
	return err;
}

int fgk_map_open(struct fgk_map *map, const void *buf, uint64_t size,
		 const uint8_t *image, uint64_t image_size,
		 void *units, uint64_t units_size)
{
	const struct fgk_map_header *h = buf;
	int err;

	if (!map || !buf || !image || ((uintptr_t)buf & (FGK_MAP_ALIGN - 1)) ||
	    (units_size && !units) || ((uintptr_t)units & 7))
		return FGK_E_ARG;
	fgk_fill(map, 0, sizeof(*map));
	err = check_header(h, size);
	if (!err && units_size < fgk_map_units_bytes(buf, size))
		err = FGK_E_NOMEM;
	if (!err && (h->image_size > image_size || h->image_size > (1ULL << 32)))
		err = FGK_E_IMAGE;
	if (!err)
		err = check_identity(h, image);
	if (!err)
		err = point_arrays(map, h, units);
	if (!err)
		err = check_contents(map);
	if (!err)
		map->scratch_size = fgk_compute_scratch(map);
	else
		fgk_fill(map, 0, sizeof(*map));	/* an unusable map, not a half-checked one */
	return err;
}
