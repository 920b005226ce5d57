/* check_map.c: fgk_map_check: every reference, entry, symbol and reloc of an open map. */
#include "fgk_internal.h"

/*
 * fgk_map_open checks what memory safety needs; this checks that the
 * shuffled image will be right: references sorted, inside units and
 * clear of the rewritten arrays, every 32-bit field still fitting after
 * any layout, tables and the symtab sorted with owners that let runs be
 * re-emitted, relocations sorted and where they can move. A map that fails
 * here was written wrong (fgk-mkmap's bug, or a map for another build):
 * the kernel build runs this on every map it writes, and the checksum
 * keeps the map as it was checked, so the boot need not repeat it.
 */
int fgk_map_check(struct fgk_map *map, const uint8_t *image)
{
	int err;

	if (!map || !map->hdr || !image)
		return FGK_E_ARG;
	if (map->relocs_missing)
		return FGK_E_NORELOCS;
	err = fgk_check_xrefs(map, image);
	if (!err)
		err = fgk_check_tables(map, image);
	if (!err)
		err = fgk_check_symtab(map, image);
	if (!err)
		err = fgk_check_relocs(map);
	return err;
}
