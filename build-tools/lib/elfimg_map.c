/* elfimg_map.c: read an fgkaslr map for an ELF image; find the units holding offsets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elfimg_map.h"

void *elfimg_open_map(struct fgk_map *map, const char *path, const struct elfimg *img)
{
	size_t size;
	void *buf = read_whole_file(path, &size);
	uint64_t units_size = fgk_map_units_bytes(buf, size);
	void *units = NULL;
	int err;

	/* The decoded units go after the map, in the buffer the caller frees. */
	if (units_size) {
		buf = realloc(buf, ((size + 7) & ~(size_t)7) + units_size);
		if (!buf)
			die("%s: no memory for %" PRIu64 " bytes of units", path, units_size);
		units = (uint8_t *)buf + ((size + 7) & ~(size_t)7);
	}
	err = fgk_map_open(map, buf, size, img->image, img->size, units, units_size);

	if (err)
		die("%s: map rejected for image %s (%" PRIu64 " bytes): %s", path, img->path,
		    img->size, fgk_strerror(err));
	if (map->hdr->link_base != img->link_base)
		die("%s: map link_base %#" PRIx64 " but %s loads image offset 0 at %#" PRIx64,
		    path, map->hdr->link_base, img->path, img->link_base);
	return buf;
}

void elfimg_check_map(struct fgk_map *map, const char *map_path, const struct elfimg *img)
{
	int err = fgk_map_check(map, img->image);

	if (err)
		die("%s: map wrong for image %s: %s", map_path, img->path, fgk_strerror(err));
}

uint32_t unit_at(const struct fgk_map *map, uint64_t off)
{
	uint32_t lo = 0, hi = map->hdr->nr_units;

	while (lo < hi) {	/* first unit ending after off */
		uint32_t mid = lo + (hi - lo) / 2;
		const struct fgk_unit *u = &map->units[mid];

		if ((uint64_t)u->offset + u->size <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < map->hdr->nr_units && map->units[lo].offset <= off)
		return lo;
	return NO_UNIT;
}

uint32_t unit_ending_at(const struct fgk_map *map, uint64_t off)
{
	uint32_t lo = 0, hi = map->hdr->nr_units;

	while (lo < hi) {	/* first unit ending at or after off */
		uint32_t mid = lo + (hi - lo) / 2;
		const struct fgk_unit *u = &map->units[mid];

		if ((uint64_t)u->offset + u->size < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Zero-size units are skipped: several may end at one offset. */
	while (lo < map->hdr->nr_units && !map->units[lo].size &&
	       map->units[lo].offset == off)
		lo++;
	if (lo < map->hdr->nr_units &&
	    (uint64_t)map->units[lo].offset + map->units[lo].size == off)
		return lo;
	return NO_UNIT;
}

uint32_t unit_of_symbol(const struct fgk_map *map, const struct elfimg_sym *sym)
{
	if (sym->img_off == ELFIMG_NO_OFF || sym->type == STT_SECTION || sym->type == STT_FILE)
		return NO_UNIT;
	uint32_t u = unit_at(map, sym->img_off);
	/* At a region's end (e.g. etext) a label is no unit's: it stays. */
	if (u == NO_UNIT && sym->size == 0 && region_at(map, sym->img_off))
		u = unit_ending_at(map, sym->img_off);
	return u;
}

const struct fgk_region *region_at(const struct fgk_map *map, uint64_t off)
{
	for (uint32_t i = 0; i < map->hdr->nr_regions; i++) {
		const struct fgk_region *r = &map->regions[i];

		if (off >= r->start && off < r->end)
			return r;
	}
	return NULL;
}

/* The image's one loaded section of this type: its bytes and size (NULL, 0: none). */
static const void *loaded_sec(const struct elfimg *img, uint32_t type, uint64_t *size)
{
	const void *at = NULL;

	*size = 0;
	for (size_t i = 1; i < img->nr_secs; i++) {
		GElf_Shdr sh;

		elfimg_shdr(img, i, &sh);
		if (sh.sh_type != type || img->sec_off[i] == ELFIMG_NO_OFF || !sh.sh_size)
			continue;
		if (at)
			die_at(img->path, elfimg_secname(img, i), NOPOS, NULL,
			       "a second loaded section of type %u: the boot reads one", type);
		at = img->image + img->sec_off[i];
		*size = sh.sh_size;
	}
	return at;
}

/* A PIE image's own RELA/RELR, decoded as the boot does; the sites buffer is returned. */
static void *use_pie_relocs(struct fgk_map *map, const char *map_path, const struct elfimg *img)
{
	uint64_t rela_size, relr_size;
	const void *rela = loaded_sec(img, SHT_RELA, &rela_size);
	const void *relr = loaded_sec(img, SHT_RELR, &relr_size);
	int64_t n = fgk_pie_relocs_count(rela, rela_size, relr, relr_size, map->hdr->link_base);
	uint32_t *sites;
	int err;

	if (n < 0)
		die("%s: its RELA/RELR relocations cannot be decoded (map %s)", img->path, map_path);
	sites = xcalloc((size_t)n + 1, 4);
	err = fgk_map_use_pie_relocs(map, rela, rela_size, relr, relr_size, sites, 4ull * n);
	if (err)
		die("%s: RELA/RELR relocations refused for map %s: %s", img->path, map_path,
		    fgk_strerror(err));
	return sites;
}

void *elfimg_use_relocs(struct fgk_map *map, const char *map_path, const char *path,
			const struct elfimg *img)
{
	size_t size;
	void *buf;
	int err;

	if (!path && map->relocs_missing && (map->hdr->flags & FGK_MAP_PIE))
		return use_pie_relocs(map, map_path, img);
	if (!path) {
		if (map->relocs_missing)
			die("%s: the map leaves the base relocations to the image's own list: "
			    "give it with --relocs (the kernel's vmlinux.relocs)", map_path);
		return NULL;
	}
	buf = read_whole_file(path, &size);
	err = fgk_map_use_relocs(map, buf, size, img->image);
	if (err)
		die("%s: relocation list refused for map %s: %s%s", path, map_path,
		    fgk_strerror(err), err == FGK_E_ARG ? " (the map has its own)" : "");
	return buf;
}
