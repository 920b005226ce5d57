/* owners_fixture.h: a small map with units sharing edges, for the owner and runs tests. */
#ifndef FGK_TEST_OWNERS_FIXTURE_H
#define FGK_TEST_OWNERS_FIXTURE_H

#include "fixture.h"

/*
 *   region 0 [0x10, 0x60): u0 [0x10,0x20) u1 [0x20,0x30) pad u2 [0x40,0x50) pad
 *   region 1 [0x80, 0xa0): u3 [0x80,0x90) u4 [0x90,0xa0)   (u4 ends at the region's end)
 * Overrides: entry 2 -> u0, entry 5 -> NONE, entry 9 -> u4.
 */
static inline struct fx *owners_fx(void)
{
	struct fx *fx = fx_new(0x100);

	fx_region(fx, 0x10, 0x60);
	fx_unit(fx, 0x10, 0x10, 16);
	fx_unit(fx, 0x20, 0x10, 16);
	fx_unit(fx, 0x40, 0x10, 16);
	fx_region(fx, 0x80, 0xa0);
	fx_unit(fx, 0x80, 0x10, 16);
	fx_unit(fx, 0x90, 0x10, 16);
	fx_override(fx, 2, 0);
	fx_override(fx, 5, FGK_UNIT_NONE);
	fx_override(fx, 9, 4);
	return fx;
}

#endif /* FGK_TEST_OWNERS_FIXTURE_H */
