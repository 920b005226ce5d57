/* mkmap_selfcheck.c: the map through the runtime's boot and full checks; the boot's scratch. */
#include <stdlib.h>
#include <string.h>

#include "fgk.h"
#include "mkmap.h"

/* A section's bytes in the image (NULL, 0 for none). */
static const void *sec_bytes(const struct mk *mk, const struct mk_sec *s, uint64_t *size)
{
	*size = s ? s->size : 0;
	return s ? mk->img.mem + s->img : NULL;
}

/*
 * A PIE image's own lists, decoded by the runtime as the boot does, into
 * *sites (malloc'd): they must hold the sites found here, one for one.
 * Returns the bytes of sites the boot needs (8-aligned).
 */
static uint64_t use_pie_relocs(const struct mk *mk, struct fgk_map *fm, uint32_t **sites, int *err)
{
	const struct mk_sec *rela, *relr;
	uint64_t rela_size, relr_size;
	const void *a, *r;
	int64_t n;

	pie_relocs_find(mk, &rela, &relr);
	a = sec_bytes(mk, rela, &rela_size);
	r = sec_bytes(mk, relr, &relr_size);
	n = fgk_pie_relocs_count(a, rela_size, r, relr_size, mk->img.link_base);
	if (n < 0)
		die_at(mk->img.path, rela ? rela->name : relr ? relr->name : NULL, NOPOS, NULL,
		       "the runtime cannot decode the image's RELA/RELR relocations");
	*sites = xcalloc((size_t)n + 1, 4);
	*err = fgk_map_use_pie_relocs(fm, a, rela_size, r, relr_size, *sites, 4ull * n);
	if (!*err && (size_t)n != mk->relocs[FGK_RELOC_ABS64].n)
		die_at(mk->img.path, NULL, NOPOS, NULL,
		       "the boot would decode %lld base relocations, fgk-mkmap found %zu",
		       (long long)n, mk->relocs[FGK_RELOC_ABS64].n);
	for (int64_t i = 0; !*err && i < n; i++)
		if ((*sites)[i] != mk->relocs[FGK_RELOC_ABS64].v[i])
			die_at(mk->img.path, describe_off(&mk->img, (*sites)[i]), NOPOS, NULL,
			       "the boot would relocate this site, fgk-mkmap found %s instead",
			       describe_off(&mk->img, mk->relocs[FGK_RELOC_ABS64].v[i]));
	return (4ull * n + 7) & ~7ull;
}

/*
 * What the boot does (fgk_map_open; fgk_map_use_relocs or, for a PIE
 * image, fgk_map_use_pie_relocs with the image's own list when the map
 * leaves the relocations out), then fgk_map_check,
 * which the boot leaves out: every reference, table entry, symbol and
 * relocation against the image. A map that fails is fgk-mkmap's bug: it
 * is reported, never written. Returns the scratch bytes a boot needs: the
 * decoded units, a PIE image's decoded relocation sites, then fgk_shuffle's.
 */
uint64_t map_selfcheck(const struct mk *mk, const void *map, size_t size,
		       const char *relocs_path)
{
	uint64_t units_size = fgk_map_units_bytes(map, size), scratch;
	void *copy = xcalloc(size + 8, 1);	/* calloc: aligned for the map */
	void *units = xcalloc(units_size + 8, 1);
	void *relocs = NULL;
	uint32_t *sites = NULL;
	uint64_t sites_size = 0;
	struct fgk_map fm;
	size_t relocs_size;
	int err;

	memcpy(copy, map, size);
	err = fgk_map_open(&fm, copy, size, mk->img.mem, mk->img.image_size, units, units_size);
	if (!err && (fm.hdr->flags & FGK_MAP_IMAGE_RELOCS) && (fm.hdr->flags & FGK_MAP_PIE)) {
		sites_size = use_pie_relocs(mk, &fm, &sites, &err);
	} else if (!err && (fm.hdr->flags & FGK_MAP_IMAGE_RELOCS)) {
		relocs = read_whole_file(relocs_path, &relocs_size);
		err = fgk_map_use_relocs(&fm, relocs, relocs_size, mk->img.mem);
	}
	if (!err)
		err = fgk_map_check(&fm, mk->img.mem);
	if (err)
		die("%s: the map made for it fails the runtime's check: %s (an fgk-mkmap bug: "
		    "nothing written)", mk->img.path, fgk_strerror(err));
	scratch = units_size + sites_size + fgk_scratch_size(&fm);
	free(sites);
	free(relocs);
	free(units);
	free(copy);
	return scratch;
}
