/* mkmap_pie_relocs.c: --image-relocs: no relocs in the map when a PIE image's RELA/RELR hold them. */
#include "mkmap.h"

void pie_relocs_find(const struct mk *mk, const struct mk_sec **rela, const struct mk_sec **relr)
{
	*rela = *relr = NULL;
	for (size_t i = 1; i < mk->img.nsecs; i++) {
		const struct mk_sec *s = &mk->img.secs[i];
		const struct mk_sec **slot = s->type == SHT_RELA ? rela : s->type == SHT_RELR ? relr : NULL;

		if (!slot || !s->loaded || !s->size)
			continue;
		if (*slot)
			die_at(mk->img.path, s->name, NOPOS, NULL,
			       "a second %s section after %s: the boot reads one of each",
			       s->type == SHT_RELA ? "RELA" : "RELR", (*slot)->name);
		*slot = s;
	}
}

/*
 * The boot decodes the image's own lists instead of a copy in the map:
 * only a PIE image has them, and it has no 32-bit base relocations. That
 * the decoded sites equal the ones found here is checked when the map is
 * checked (map_selfcheck), with the runtime's own decoder.
 */
void pie_relocs_left_out(struct mk *mk)
{
	const struct mk_sec *rela, *relr;

	if (mk->img.type != ET_DYN)
		die_at(mk->img.path, NULL, NOPOS, NULL,
		       "--image-relocs: not a PIE image (no loaded RELA or RELR relocations)");
	if (mk->relocs[FGK_RELOC_ABS32].n || mk->relocs[FGK_RELOC_INV32].n)
		die_at(mk->img.path, describe_off(&mk->img, mk->relocs[FGK_RELOC_ABS32].n ?
			mk->relocs[FGK_RELOC_ABS32].v[0] : mk->relocs[FGK_RELOC_INV32].v[0]),
		       NOPOS, NULL, "--image-relocs: a 32-bit base relocation, which RELA/RELR cannot hold");
	pie_relocs_find(mk, &rela, &relr);
	mk->image_relocs = true;
}
