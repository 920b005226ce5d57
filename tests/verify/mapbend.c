/* mapbend.c: write a copy of a map whose first data pointer xref names the wrong target unit, and print the target function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfimg_map.h"
#include "map_write.h"

/*
 * A map generator bug in miniature: the runtime then leaves that pointer
 * stale. fgk-verify, given the good or the bad map, must name the function
 * the pointer should follow.
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

int main(int argc, char **argv)
{
	struct elfimg img;
	struct fgk_map map;

	if (argc != 4)
		die("usage: mapbend ELF MAP OUT-MAP");
	elfimg_load(&img, argv[1]);
	uint8_t *buf = elfimg_open_map(&map, argv[2], &img);
	size_t size = sizeof(*map.hdr) + map.hdr->payload_size;

	for (uint32_t i = 0; i < map.hdr->nr_xrefs; i++) {
		struct fgk_xref *x = (struct fgk_xref *)&map.xrefs[i];
		const struct elfimg_sym *f;
		if (FGK_XREF_KIND(x->info) != FGK_XREF_ABS64 || unit_at(&map, x->site) != NO_UNIT ||
		    !(f = func_at(&img, elfimg_off(&img, get_le(img.image + x->site, 8)))))
			continue;
		uint32_t wrong = (FGK_XREF_UNIT(x->info) + 1) % map.hdr->nr_units;
		x->info = FGK_XREF_INFO(FGK_XREF_ABS64, wrong);
		fgk_map_reseal(buf);
		FILE *out = fopen(argv[3], "wb");
		if (!out || fwrite(buf, 1, size, out) != size || fclose(out))
			die("mapbend: cannot write %s", argv[3]);
		printf("%s\n", f->name);
		free(buf);
		elfimg_free(&img);
		return 0;
	}
	die("mapbend: %s: no ABS64 xref from data to a function", argv[2]);
}
