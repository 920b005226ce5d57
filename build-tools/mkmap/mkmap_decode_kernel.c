/* mkmap_decode_kernel.c: the decoder interface on the kernel's x86 decoder (tools/arch/x86). */
#include <asm/insn.h>
#include <inat.c>
#include <insn.c>

#include "mkmap_decode.h"

/*
 * Built only where a kernel tree is at hand: by the kernel's build (the
 * series puts fgk-mkmap under arch/x86/tools) and by this repository's
 * decoder comparison test, each with -I for tools/include,
 * tools/arch/x86/include, tools/arch/x86/lib and the folder of a generated
 * inat-tables.c.
 */
const char decode_backend[] = "the kernel's x86 decoder";

void decode_done(void)
{
}

/* Opcodes whose 32-bit immediate is a displacement from the next instruction. */
static bool branch_opcode(const struct insn *insn)
{
	unsigned char op1 = insn->opcode.bytes[0], op2 = insn->opcode.bytes[1];

	switch (op1) {
	case 0xe8:		/* call rel32 */
	case 0xe9:		/* jmp rel32 */
		return true;
	case 0x0f:		/* jcc rel32 */
		return op2 >= 0x80 && op2 <= 0x8f;
	case 0xc7:		/* xbegin rel32 (c7 f8) */
		return insn->modrm.bytes[0] == 0xf8;
	default:
		return false;
	}
}

static bool has_prefix(const struct insn *insn, unsigned char prefix)
{
	for (int i = 0; i < insn->prefixes.nbytes && i < 4; i++)
		if (insn->prefixes.bytes[i] == prefix)
			return true;
	return false;
}

bool decode_insn(const uint8_t *code, size_t size, struct decoded_insn *out)
{
	struct insn insn;

	if (size > MAX_INSN_SIZE)
		size = MAX_INSN_SIZE;
	if (insn_decode(&insn, code, (int)size, INSN_MODE_64) < 0)
		return false;
	*out = (struct decoded_insn){ .length = insn.length };
	if (insn.displacement.nbytes) {
		out->disp_offset = insn_offset_displacement(&insn);
		out->disp_size = insn.displacement.nbytes;
	}
	if (insn.immediate.nbytes) {
		out->imm_offset = insn_offset_immediate(&insn);
		/* mov $imm64 and moffs64 keep their 8 bytes in two 4-byte halves */
		out->imm_size = insn.immediate.nbytes + insn.immediate2.nbytes;
	}
	out->rip_relative = insn_rip_relative(&insn);
	out->branch_relative = branch_opcode(&insn);
	/*
	 * 66 e8/e9/0f 8x: CPUs disagree on its length (Intel ignores the
	 * prefix, AMD reads a 16-bit offset) and no assembler emits it.
	 */
	if (out->branch_relative && has_prefix(&insn, 0x66))
		return false;
	return true;
}
