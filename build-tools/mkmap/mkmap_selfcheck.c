/* mkmap_selfcheck.c: the map through the runtime's boot and full checks; the boot's scratch. */
#include <stdlib.h>
#include <string.h>

#include "fgk.h"
#include "mkmap.h"

/*
 * What the boot does (fgk_map_open; fgk_map_use_relocs with the image's
 * own list when the map leaves the relocations out), then fgk_map_check,
 * which the boot leaves out: every reference, table entry, symbol and
 * relocation against the image. A map that fails is fgk-mkmap's bug: it
 * is reported, never written. Returns the scratch bytes a boot needs: the
 * decoded units, then fgk_shuffle's.
 */
uint64_t map_selfcheck(const struct mk *mk, const void *map, size_t size,
		       const char *relocs_path)
{
	uint64_t units_size = fgk_map_units_bytes(map, size), scratch;
	void *copy = xcalloc(size + 8, 1);	/* calloc: aligned for the map */
	void *units = xcalloc(units_size + 8, 1);
	void *relocs = NULL;
	struct fgk_map fm;
	size_t relocs_size;
	int err;

	memcpy(copy, map, size);
	err = fgk_map_open(&fm, copy, size, mk->img.mem, mk->img.image_size, units, units_size);
	if (!err && (fm.hdr->flags & FGK_MAP_IMAGE_RELOCS)) {
		relocs = read_whole_file(relocs_path, &relocs_size);
		err = fgk_map_use_relocs(&fm, relocs, relocs_size, mk->img.mem);
	}
	if (!err)
		err = fgk_map_check(&fm, mk->img.mem);
	if (err)
		die("%s: the map made for it fails the runtime's check: %s (an fgk-mkmap bug: "
		    "nothing written)", mk->img.path, fgk_strerror(err));
	scratch = units_size + fgk_scratch_size(&fm);
	free(relocs);
	free(units);
	free(copy);
	return scratch;
}
