/* owner_cases.h: the owner rules tables and kallsyms share, run on either through one descriptor. */
#ifndef FGK_TEST_OWNER_CASES_H
#define FGK_TEST_OWNER_CASES_H

#include "fixture.h"

/*
 * A sorted array whose entries are owned by the unit holding their
 * address, with overrides where the address alone cannot say (markers at
 * a region's start, terminators at a unit's end). Both the tables and
 * kallsyms follow these rules; each test file describes its own fixture:
 *
 *   region [0x100, 0x180): u0 [0x100, 0x140) u1 [0x140, 0x180)
 *   one override (the first marker) that the cases move to an entry at
 *   0x120 (inside u0) and at 0x140 (where u0 and u1 meet)
 */
struct owner_subject {
	const char *what;			/* "key", "symbol": for messages */
	int err;				/* FGK_E_TABLE, FGK_E_SYMTAB */
	struct fx *(*make)(void);		/* the marker fixture */
	struct fgk_override *(*marker_override)(struct fx *fx);
	uint32_t inside_entry, edge_entry;	/* entries at 0x120 and at 0x140 */
	/* After a shuffle of a copy of `before`: every entry followed its owner. */
	void (*expect)(const struct fx *fx, const uint8_t *before, const struct fx_run *run);
};

/* An unowned entry anywhere else in the region is refused before any write. */
void owner_unowned_inside_region_refused(const struct owner_subject *s);
/* The marker fixture survives `seeds` shuffles with every entry at its owner. */
void owner_fixture_survives_shuffles(const struct owner_subject *s, uint64_t seeds);

/*
 * The same rules as fgk_map_open enforces them on the world (fixture.h):
 * four maps, each broken one way, must be refused with `err` and the image
 * left untouched. The world's u0 [0x100, 0x140) and u1 [0x140, 0x170) meet
 * at 0x140; [0x170, 0x180) is region padding.
 */
struct owner_rules {
	const char *what;			/* "key", "symbol" */
	int err;
	/* Give entry `entry` the address at image offset `at`. */
	void (*move)(struct fx *fx, uint32_t entry, uint32_t at);
	/* Make entry `entry`'s owner an override naming `unit`. */
	void (*override)(struct fx *fx, uint32_t entry, uint32_t unit);
	uint32_t moved_entry;			/* moved into the padding */
	uint32_t owned_entry, wrong_unit;	/* an override to a unit not holding it */
	uint32_t inside_entry;			/* inside a unit, not at its edge */
	uint32_t edge_entry;			/* at 0x140 */
};
void owner_rules_refused(const struct owner_rules *r);

#endif /* FGK_TEST_OWNER_CASES_H */
