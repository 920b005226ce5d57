/* mkmap_decode.h: the one question fgk-mkmap asks an x86-64 instruction decoder. */
#ifndef MKMAP_DECODE_H
#define MKMAP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where an instruction's displacement and immediate lie, as byte offsets
 * from its first byte (0 and 0 when it has none):
 *
 *   48 8b 05 [disp32]        mov x(%rip), %rax     disp at 3, 4 bytes
 *   c7 05 [disp32] [imm32]   movl $y, x(%rip)      disp at 2, imm at 6
 *   e8 [rel32]               call f                imm at 1, branch
 *
 * Two backends answer it: capstone (mkmap_decode_capstone.c, the standalone
 * build) and the kernel's decoder from tools/arch/x86 (mkmap_decode_kernel.c,
 * the build inside a kernel tree, as objtool uses it). A test decodes one
 * kernel with both and requires the same answers.
 */
struct decoded_insn {
	unsigned int length;
	unsigned int disp_offset, disp_size;
	unsigned int imm_offset, imm_size;
	bool rip_relative;	/* the memory operand is addressed from %rip */
	bool branch_relative;	/* the immediate is a jump or call displacement */
};

/* Decode the instruction at code[0..size); false if it is not one. */
bool decode_insn(const uint8_t *code, size_t size, struct decoded_insn *out);
/* Release what the decoder holds. */
void decode_done(void);
/* The decoder's name, for messages. */
extern const char decode_backend[];

#endif
