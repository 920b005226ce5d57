/* mkmap_base_relocs.c: --base-relocs: no relocs in the map when vmlinux.relocs holds them all. */
#include <inttypes.h>
#include <string.h>
#include <stdlib.h>

#include "mkmap.h"

/*
 * The list the decompressor already carries (fgk_map.h): u32 link
 * addresses, each kind sorted, after a 0, in the order ABS64, INV32,
 * ABS32. The runtime reads it instead of a copy in the map, so it must
 * hold what fgk-mkmap found, site for site: any difference is an error
 * here, at build time, not a wrong kernel at boot.
 */
static const int list_order[FGK_NR_RELOC_KINDS] = {
	FGK_RELOC_ABS64, FGK_RELOC_INV32, FGK_RELOC_ABS32,
};

static const char *const kind_names[FGK_NR_RELOC_KINDS] = { "ABS64", "ABS32", "INV32" };

/* Compare one kind's run of the list, words [*at, end), with what mkmap found. */
static void match_run(const struct mk *mk, const char *path, int kind, const uint32_t *w,
		      size_t from, size_t end)
{
	uint32_t base = (uint32_t)mk->img.link_base;
	size_t n = end - from, i;

	for (i = 0; i < n && i < mk->relocs[kind].n; i++) {
		uint32_t site = w[from + i] - base;

		if (site != mk->relocs[kind].v[i])
			die_at(path, NULL, 4 * (from + i), NULL,
			       "%s relocation at %s, but fgk-mkmap found %s there: the lists differ",
			       kind_names[kind], describe_off(&mk->img, site),
			       describe_off(&mk->img, mk->relocs[kind].v[i]));
	}
	if (n != mk->relocs[kind].n)
		die_at(path, NULL, 4 * (from + i), NULL,
		       "%zu %s relocations, but fgk-mkmap found %zu (first difference: %s)", n,
		       kind_names[kind], mk->relocs[kind].n,
		       describe_off(&mk->img, i < n ? w[from + i] - base : mk->relocs[kind].v[i]));
}

void base_relocs_match(struct mk *mk, const char *path)
{
	size_t size, at = 1;
	uint32_t *w = read_whole_file(path, &size);
	size_t n = size / 4;

	if (size % 4 || !n || w[0])
		die_at(path, NULL, NOPOS, NULL,
		       "not a relocation list (u32 words, the first 0): %zu bytes", size);
	for (int r = 0; r < FGK_NR_RELOC_KINDS; r++) {
		size_t end = at;

		while (end < n && w[end])
			end++;
		if (end == n && r + 1 < FGK_NR_RELOC_KINDS)
			die_at(path, NULL, 4 * n, NULL, "the list ends before its %d zeros", 3);
		match_run(mk, path, list_order[r], w, at, end);
		at = end + 1;
	}
	free(w);
	mk->image_relocs = true;
}
