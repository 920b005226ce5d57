/* mkmap_decode_capstone.c: the instruction decoder interface on capstone (the standalone build). */
#include <capstone/capstone.h>

#include "mkmap.h"
#include "mkmap_decode.h"

const char decode_backend[] = "capstone";

static csh handle;
static cs_insn *insn;

static void open_capstone(void)
{
	if (insn)
		return;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
		die("capstone: cannot open an x86-64 disassembler");
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
	insn = cs_malloc(handle);
}

void decode_done(void)
{
	if (!insn)
		return;
	cs_free(insn, 1);
	cs_close(&handle);
	insn = NULL;
}

/* Addressed from the next instruction: %rip, or %eip under a 0x67 prefix. */
static bool rip_relative(const cs_x86 *x)
{
	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM &&
		    (x->operands[i].mem.base == X86_REG_RIP || x->operands[i].mem.base == X86_REG_EIP))
			return true;
	return false;
}

bool decode_insn(const uint8_t *code, size_t size, struct decoded_insn *out)
{
	uint64_t addr = 0;

	open_capstone();
	if (!cs_disasm_iter(handle, &code, &size, &addr, insn))
		return false;

	const cs_x86 *x = &insn->detail->x86;

	*out = (struct decoded_insn){ .length = insn->size };
	if (x->encoding.disp_offset) {
		out->disp_offset = x->encoding.disp_offset;
		/*
		 * A displacement in 64-bit code is 1 or 4 bytes (8 for a
		 * moffs64); capstone 4 says 2 when a 0x66 prefix is present
		 * (movw $7, x(%rip)).
		 */
		out->disp_size = x->encoding.disp_size == 2 ? 4 : x->encoding.disp_size;
	}
	if (x->encoding.imm_offset) {
		out->imm_offset = x->encoding.imm_offset;
		out->imm_size = x->encoding.imm_size;
	}
	out->rip_relative = rip_relative(x);
	out->branch_relative = cs_insn_group(handle, insn, CS_GRP_BRANCH_RELATIVE);
	/*
	 * 66 e8/e9/0f 8x: CPUs disagree on its length (Intel ignores the
	 * prefix, AMD reads a 16-bit offset) and no assembler emits it.
	 */
	if (out->branch_relative && x->prefix[2] == 0x66)
		return false;
	return true;
}
