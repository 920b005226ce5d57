/* expect.h: independent checks of a shuffled image against its original (used by several tests). */
#ifndef FGK_TEST_EXPECT_H
#define FGK_TEST_EXPECT_H

#include "fixture.h"

/* The unit holding image offset `off` (linear scan: test code), or NONE. */
uint32_t fx_unit_at(const struct fx *fx, int64_t off);
int32_t fx_delta(const struct fx_run *run, uint32_t unit);

/* Units at aligned new offsets inside their region, bytes intact, padding int3. */
void expect_units(const struct fx *fx, const uint8_t *before, const struct fx_run *run);
/* Bytes outside regions that no table, symtab, xref or reloc covers: unchanged. */
void expect_fixed_bytes(const struct fx *fx, const uint8_t *before);
/* Every xref and reloc field holds its old value moved as the format says. */
void expect_fields(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
		   int64_t base_delta);
/* Table t: same entries, keys and fields moved, sorted by new key. */
void expect_table(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
		  uint32_t t, int64_t base_delta);
/* Symtab: addresses moved and sorted, names, markers and seqs consistent. */
void expect_symtab(const struct fx *fx, const uint8_t *before, const struct fx_run *run);
/* All of the above. */
void expect_all(const struct fx *fx, const uint8_t *before, const struct fx_run *run,
		int64_t base_delta);

uint8_t *fx_copy_image(const struct fx *fx);

#endif /* FGK_TEST_EXPECT_H */
