/* shuffle.h: fgk-shuffle's pieces: write the shuffled image back as an ELF file. */
#ifndef FGK_SHUFFLE_H
#define FGK_SHUFFLE_H

#include "elfimg_map.h"

/* What the shuffle did, for writing OUT. */
struct shuffle_result {
	const uint8_t *image;		/* the shuffled image, in.size bytes */
	const int32_t *unit_delta;	/* per unit: new - old offset */
	int64_t base_delta;		/* added to addresses that follow the base */
};

/*
 * Write `out`: `in` with every loaded section's bytes from the shuffled
 * image, symbols moved with their units, and the static relocations and
 * debug sections (stale after a shuffle) dropped.
 */
void shuffle_write_elf(const struct elfimg *in, const struct fgk_map *map,
		       const struct shuffle_result *res, const char *out);

#endif /* FGK_SHUFFLE_H */
