/* map.c: fgk_map_open: header, checksum, identity, array layout, the structure writes rely on. */
#include "fgk_internal.h"

/*
 * Nothing here writes the image: fgk_shuffle trusts what is checked here
 * and can then fail only on its own arguments, memory or layout space,
 * all before its first write.
 */

/* Bytes of the payload arrays (fgk_map.h), each padded to 8. */
static uint64_t payload_bytes(const struct fgk_map_header *h)
{
	/* Each array is below 2^38 bytes: the sum cannot overflow. */
	return fgk_map_array_offset(h, FGK_MAP_NR_ARRAYS) - sizeof(*h);
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

/* Where array `a` lies in the map (fgk_map.h). */
static const void *array_at(const struct fgk_map_header *h, enum fgk_map_array a)
{
	return (const uint8_t *)h + fgk_map_array_offset(h, a);
}

static int point_arrays(struct fgk_map *map, const struct fgk_map_header *h,
			struct fgk_unit *units)
{
	static const uint8_t reloc_array[FGK_NR_RELOC_KINDS] = {
		[FGK_RELOC_ABS64] = FGK_MAP_RELOCS_ABS64,
		[FGK_RELOC_ABS32] = FGK_MAP_RELOCS_ABS32,
		[FGK_RELOC_INV32] = FGK_MAP_RELOCS_INV32,
	};

	map->hdr = h;
	map->regions = array_at(h, FGK_MAP_REGIONS);
	map->units = units;
	map->xrefs = array_at(h, FGK_MAP_XREFS);
	map->tables = array_at(h, FGK_MAP_TABLES);
	map->overrides = array_at(h, FGK_MAP_OVERRIDES);
	map->field_units = array_at(h, FGK_MAP_FIELD_UNITS);
	map->symtab = h->nr_symtabs ? array_at(h, FGK_MAP_SYMTABS) : 0;
	map->sym_ties = array_at(h, FGK_MAP_SYM_TIES);
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++) {
		map->relocs[k] = array_at(h, reloc_array[k]);
		map->nr_relocs[k] = h->nr_relocs[k];
	}
	map->relocs_missing = !!(h->flags & FGK_MAP_IMAGE_RELOCS);
	return fgk_decode_units(map, array_at(h, FGK_MAP_UNITS), units);
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
