/* mapbend.c: write a copy of a map with one bug of a map generator in it, and print what it damages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfimg_map.h"
#include "map_write.h"

/*
 * Map generator bugs in miniature; fgk-verify, given the good or the bad
 * map, must name what they damage:
 *   xref  the first data pointer xref names the wrong target unit: the
 *         runtime leaves the pointer stale (prints the function it should
 *         follow);
 *   ties  the map lists no runs of equal kallsyms names: equal names stay
 *         in their old order in kallsyms_seqs_of_names, which is no longer
 *         address order (prints kallsyms_seqs_of_names);
 *   image-id  the map names another image (its build id's first byte
 *         flipped): the runtime must refuse it (prints the runtime's
 *         message).
 */

static const struct elfimg_sym *func_at(const struct elfimg *img, uint64_t off)
{
	for (size_t i = 1; i < img->nr_syms; i++) {
		const struct elfimg_sym *s = &img->syms[i];
		if (s->type == STT_FUNC && s->size && s->img_off != ELFIMG_NO_OFF &&
		    off >= s->img_off && off < s->img_off + s->size)
			return s;
	}
	return NULL;
}

static void write_map(const char *path, const void *buf, size_t size)
{
	FILE *out = fopen(path, "wb");

	if (!out || fwrite(buf, 1, size, out) != size || fclose(out))
		die("cannot write %s", path);
}

/* The map built again from its parts with these xrefs (its ties kept or not), into `out`. */
static void write_rebuilt(const struct elfimg *img, const uint8_t *buf,
			  const struct fgk_xref *xrefs, int keep_ties, const char *out)
{
	struct fgk_map_parts p = fgk_map_parts_of(buf);
	size_t size;

	struct fgk_override *ov = fgk_overrides_decode(buf);
	struct fgk_unit *units = fgk_units_decode(buf);

	if (!ov || !units)
		die("cannot decode the overrides and units");
	p.units = units;
	p.xrefs = xrefs;
	p.overrides = ov;
	p.image = img->image;
	if (!keep_ties)
		p.nr_sym_ties = 0;
	void *bent = fgk_map_build(&p, &size);
	free(ov);
	free(units);
	if (!bent)
		die("out of memory");
	write_map(out, bent, size);
	free(bent);
}

static void bend_xref(const struct elfimg *img, const struct fgk_map *map, uint8_t *buf,
		      const char *out)
{
	struct fgk_xref *xrefs = fgk_xrefs_decode(buf, img->image, img->size);

	if (!xrefs)
		die("cannot decode the xrefs");
	for (uint32_t i = 0; i < map->hdr->nr_xrefs; i++) {
		struct fgk_xref *x = &xrefs[i];
		const struct elfimg_sym *f;
		if (FGK_XREF_KIND(x->info) != FGK_XREF_ABS64 || unit_at(map, x->site) != NO_UNIT ||
		    !(f = func_at(img, elfimg_off(img, get_le(img->image + x->site, 8)))))
			continue;
		uint32_t wrong = (FGK_XREF_UNIT(x->info) + 1) % map->hdr->nr_units;
		x->info = FGK_XREF_INFO(FGK_XREF_ABS64, wrong);
		write_rebuilt(img, buf, xrefs, 1, out);
		free(xrefs);
		printf("%s\n", f->name);
		return;
	}
	die("no ABS64 xref from data to a function");
}

/* The same map without its sym_ties, written again from its arrays. */
static void drop_ties(const struct elfimg *img, const struct fgk_map *map, const uint8_t *buf,
		      const char *out)
{
	struct fgk_xref *xrefs = fgk_xrefs_decode(buf, img->image, img->size);

	if (!map->hdr->nr_sym_ties)
		die("the map lists no equal kallsyms names");
	if (!xrefs)
		die("cannot decode the xrefs");
	write_rebuilt(img, buf, xrefs, 0, out);
	free(xrefs);
	printf("kallsyms_seqs_of_names\n");
}

static void bend_image_id(const struct fgk_map *map, uint8_t *buf, const char *out)
{
	struct fgk_map_header *h = (struct fgk_map_header *)buf;

	if (!h->image_id_size)
		die("the map names no image (no build id)");
	h->image_id[0] ^= 0xff;		/* the header is outside the checksum */
	write_map(out, buf, sizeof(*map->hdr) + map->hdr->payload_size);
	printf("%s\n", fgk_strerror(FGK_E_IMAGE_ID));
}

int main(int argc, char **argv)
{
	struct elfimg img;
	struct fgk_map map;
	const char *mode = argc == 5 ? argv[4] : "xref";

	host_tool = "mapbend";

	if (argc != 4 && argc != 5)
		die("usage: mapbend ELF MAP OUT-MAP [xref|ties|image-id]");
	elfimg_load(&img, argv[1]);
	uint8_t *buf = elfimg_open_map(&map, argv[2], &img);

	if (!strcmp(mode, "xref"))
		bend_xref(&img, &map, buf, argv[3]);
	else if (!strcmp(mode, "ties"))
		drop_ties(&img, &map, buf, argv[3]);
	else if (!strcmp(mode, "image-id"))
		bend_image_id(&map, buf, argv[3]);
	else
		die("unknown mode %s", mode);
	free(buf);
	elfimg_free(&img);
	return 0;
}
