/* image_abi.h: what the e2e test images, their post-link tool and the loader agree on. */
#ifndef E2E_IMAGE_ABI_H
#define E2E_IMAGE_ABI_H

/*
 * Included by the freestanding image sources (C and assembly) and by host
 * tools, so it holds only constants, one struct and static inline helpers.
 */

/* Entry table (section e2e_entries): how the loader finds functions. */
#define E2E_KIND_FN	1	/* u64 fn(u64 x, long depth) */
#define E2E_KIND_PROBE	2	/* long fn(const u64 *p, u64 x): -E2E_EFAULT on fault */
#define E2E_KIND_ASM	3	/* u64 fn(u64 x) */
#define E2E_KIND_RANGE	4	/* u64 fn(u64 addr): E2E_RANGE_* of a text address */

#define E2E_RANGE_NONE	0
#define E2E_RANGE_BLOCK	1	/* __e2e_block_start .. __e2e_block_end */
#define E2E_RANGE_FIXED	2	/* __e2e_fixed_start .. __e2e_fixed_end */

#define E2E_ENTRY_SIZE	32

#define E2E_EFAULT	14

/*
 * __ex_table entry, as the kernel's struct exception_table_entry:
 *   +0 s32 insn - &insn   +4 s32 fixup - &fixup   +8 s32 data
 * data says what the fault handler does before resuming at fixup.
 */
#define E2E_EX_SIZE		12
#define E2E_EX_TYPE_JUMP	1	/* resume at fixup; fixup code sets the error */
#define E2E_EX_TYPE_EFAULT_RAX	2	/* rax = -EFAULT, resume at fixup */

/*
 * ORC-like entry (6 bytes, parallel to the s32 ip array), laid out as the
 * kernel's struct orc_entry: s16 sp_offset, s16 bp_offset, byte 4 sp_reg:4
 * bp_reg:4, byte 5 type:3 signal:1. The e2e images store a hash of the
 * owning function's name in the two offsets so the loader can tell whose
 * entry a lookup found, and the entry's index within the function in sp_reg.
 */
#define E2E_ORC_SIZE		6
#define E2E_ORC_TYPE_UNDEFINED	0	/* terminator */
#define E2E_ORC_TYPE_CALL	2

/* -fpatchable-function-entry=16,16 in some files: nops before the symbol. */
#define E2E_PADDING		16

/* Slack after the movable text, for fgk-mkmap's `region .text end=`. */
#define E2E_TEXT_SLACK		0x10000

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * 32 bytes and 32-aligned: gcc aligns arrays of 32 bytes or more to 32, so
 * a smaller entry would leave holes where the per-file arrays meet.
 */
struct e2e_entry {
	void *fn;
	uint32_t id;		/* generator's function number */
	uint32_t kind;		/* E2E_KIND_* */
	uint64_t pad[2];
} __attribute__((aligned(E2E_ENTRY_SIZE)));

/* FNV-1a: the function-name hash stored in ORC entries. */
static inline uint32_t e2e_name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return h;
}
#endif

#endif /* E2E_IMAGE_ABI_H */
