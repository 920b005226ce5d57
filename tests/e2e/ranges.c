/* ranges.c: image code that tests addresses against linker-script range markers, as the kernel's in_entry_text() does. */
#include "image_lib.h"

/*
 * References to a range's end marker are the hard case for a map: the
 * marker is one past the range, which is often exactly where the next,
 * unrelated unit starts. They must follow the range (the block moves, the
 * fixed range stays), not that next unit.
 */
extern const char __e2e_block_start[], __e2e_block_end[];
extern const char __e2e_fixed_start[], __e2e_fixed_end[];

__attribute__((noinline)) u64 e2e_range_of(u64 addr)
{
	if (addr >= (u64)__e2e_block_start && addr < (u64)__e2e_block_end)
		return E2E_RANGE_BLOCK;
	if (addr >= (u64)__e2e_fixed_start && addr < (u64)__e2e_fixed_end)
		return E2E_RANGE_FIXED;
	return E2E_RANGE_NONE;
}

struct e2e_entry e2e_range_entry[] __attribute__((used, section("e2e_entries"))) = {
	{ (void *)e2e_range_of, 9200, E2E_KIND_RANGE, { 0, 0 } },
};
