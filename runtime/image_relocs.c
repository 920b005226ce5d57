/* image_relocs.c: fgk_map_use_relocs: use the image's own base relocs (vmlinux.relocs). */
#include "fgk_internal.h"

/*
 * The list (fgk_map.h) is read in place: three runs of u32 link addresses
 * split by zeros, the first word a zero. A run is found by its end, the
 * next zero; the last run ends with the list.
 *
 *   words:  0 | a64 a64 | 0 | inv | 0 | a32 a32 a32
 *               ABS64       INV32      ABS32
 */
static uint32_t run_end(const uint32_t *w, uint32_t from, uint32_t n)
{
	while (from < n && w[from])
		from++;
	return from;
}

/* The list's three runs into map; 0 if it is not made of them. */
static int split_list(struct fgk_map *map, const uint32_t *w, uint32_t n)
{
	static const uint8_t order[FGK_NR_RELOC_KINDS] = {
		FGK_RELOC_ABS64, FGK_RELOC_INV32, FGK_RELOC_ABS32,
	};
	uint32_t at = 1;

	if (!n || w[0])
		return 0;
	for (uint32_t r = 0; r < FGK_NR_RELOC_KINDS; r++) {
		uint32_t end = r + 1 < FGK_NR_RELOC_KINDS ? run_end(w, at, n) : n;

		if (end == n && r + 1 < FGK_NR_RELOC_KINDS)
			return 0;	/* a zero is missing */
		map->relocs[order[r]] = w + at;
		map->nr_relocs[order[r]] = end - at;
		at = end + 1;
	}
	return 1;
}

static void drop_list(struct fgk_map *map)
{
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++) {
		map->relocs[k] = 0;
		map->nr_relocs[k] = 0;
	}
	map->reloc_base = 0;
}

int fgk_map_use_relocs(struct fgk_map *map, const void *relocs, uint64_t size,
		       const uint8_t *image)
{
	if (!map || !map->hdr || !relocs || !image || ((uintptr_t)relocs & 3))
		return FGK_E_ARG;
	if (!(map->hdr->flags & FGK_MAP_IMAGE_RELOCS))
		return FGK_E_ARG;	/* the map has its own */
	if (map->hdr->flags & FGK_MAP_PIE)
		return FGK_E_ARG;	/* a PIE image's list is its RELA/RELR */
	drop_list(map);
	map->relocs_missing = 1;
	if (size % 4 || size / 4 > UINT32_MAX || !split_list(map, relocs, (uint32_t)(size / 4))) {
		drop_list(map);
		return FGK_E_RELOC;
	}
	/* Its sites are checked by fgk_map_check; writers stay inside the image anyway. */
	map->reloc_base = (uint32_t)map->hdr->link_base;
	map->relocs_missing = 0;
	return FGK_OK;
}
