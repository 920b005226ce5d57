/* elfimg_map.h: read an fgkaslr map for an ELF image; find the units holding offsets. */
#ifndef FGK_ELFIMG_MAP_H
#define FGK_ELFIMG_MAP_H

#include "elfimg.h"
#include "fgk.h"

#define NO_UNIT UINT32_MAX

/* Read MAP and validate it against the image with fgk_map_open, or die. */
void *elfimg_open_map(struct fgk_map *map, const char *path, const struct elfimg *img);

/*
 * The image's base-relocation list (vmlinux.relocs format) at `path` for
 * a map that leaves them out (FGK_MAP_IMAGE_RELOCS): checked and handed
 * to the runtime, or die. path NULL: fine only for a map with its own,
 * or a PIE image's map, which then takes the image's own RELA/RELR (as
 * the boot does). Returns the buffer the map now points into (free it
 * after the map).
 */
void *elfimg_use_relocs(struct fgk_map *map, const char *map_path, const char *path,
			const struct elfimg *img);
/* fgk_map_check (after elfimg_use_relocs): dies naming the map, the image and the fault. */
void elfimg_check_map(struct fgk_map *map, const char *map_path, const struct elfimg *img);

/* The unit whose [offset, offset + size) holds `off`, or NO_UNIT. */
uint32_t unit_at(const struct fgk_map *map, uint64_t off);
/* The unit that ends exactly at `off` (one past its last byte), or NO_UNIT. */
uint32_t unit_ending_at(const struct fgk_map *map, uint64_t off);
/*
 * The unit a symbol moves with: the one holding its offset, or, for a
 * zero-size symbol one past a unit's end in the region's padding, that
 * unit (not at the region's end: that is the region's own label).
 */
uint32_t unit_of_symbol(const struct fgk_map *map, const struct elfimg_sym *sym);
/* The region holding `off`, or NULL. */
const struct fgk_region *region_at(const struct fgk_map *map, uint64_t off);

#endif /* FGK_ELFIMG_MAP_H */
