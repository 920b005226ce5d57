/* verify_code.h: the instruction sweep, shared by verify_insn.c (comparing) and verify_sweep.c (what to sweep). */
#ifndef FGK_VERIFY_CODE_H
#define FGK_VERIFY_CODE_H

#include <capstone/capstone.h>

#include "verify.h"

/* A decoded instruction of one file. */
struct insn {
	cs_insn *ci;
	uint64_t off;			/* image offset */
	const struct elfimg *img;
};

struct sweep {
	struct verify *v;
	csh cs;
	struct insn in, out;
	uint32_t unit;			/* unit of the code, or NO_UNIT */
	char what[300];			/* unit or section, for messages */
};

/*
 * Linear sweep of IN [from, to), OUT at the same place of the moved unit.
 * Bytes capstone cannot decode are skipped to the next anchor and left to
 * the raw comparison (counted in nr_undecodable / nr_spans).
 */
void sweep_range(struct sweep *sw, uint64_t from, uint64_t to);

#endif /* FGK_VERIFY_CODE_H */
