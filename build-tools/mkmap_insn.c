/* mkmap_insn.c: decode x86-64 code with capstone to find which instruction operand a relocated field is. */
#include <capstone/capstone.h>

#include "mkmap.h"

/*
 * A rel32 in an instruction is relative to the instruction's end, which
 * an immediate may follow (so S + A is not the target):
 *
 *   cmpl $5, x(%rip):   83 3d [disp32] [imm8]   target = end + disp32
 *                             ^P              ^end = P + 4 + 1
 *
 * Decoding is a linear sweep from the start of the input section that
 * holds the field; a cursor makes a run of fields in one section one pass.
 */

static csh handle;
static cs_insn *insn;
static uint64_t cur_start = NOPOS, cur_pos;

static void open_capstone(void)
{
	if (insn)
		return;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
		die("capstone: cannot open an x86-64 disassembler");
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
	insn = cs_malloc(handle);
}

void insn_done(void)
{
	if (!insn)
		return;
	cs_free(insn, 1);
	cs_close(&handle);
	insn = NULL;
}

/* Decode the instruction at pos into `insn`; false at an undecodable byte. */
static bool decode(const struct mk *mk, uint64_t pos)
{
	const uint8_t *code = mk->img.mem + pos;
	size_t size = mk->img.image_size - pos;
	uint64_t addr = pos;

	if (size > 15)
		size = 15;
	return cs_disasm_iter(handle, &code, &size, &addr, insn);
}

static bool rip_relative(const cs_x86 *x)
{
	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base == X86_REG_RIP)
			return true;
	return false;
}

static enum insn_field operand(struct mk *mk, uint64_t pos, uint64_t field, const char *sym)
{
	const cs_x86 *x = &insn->detail->x86;
	uint64_t rel = field - pos;

	/*
	 * A displacement in 64-bit code is 1 or 4 bytes; capstone 4 says 2
	 * when a 0x66 prefix is present (movw $7, x(%rip)), so accept that.
	 */
	if (x->encoding.disp_offset && rel == x->encoding.disp_offset && x->encoding.disp_size != 1)
		return rip_relative(x) ? FIELD_PCREL : FIELD_IMM;
	if (x->encoding.imm_offset && rel == x->encoding.imm_offset && x->encoding.imm_size == 4)
		return cs_insn_group(handle, insn, CS_GRP_BRANCH_RELATIVE) ? FIELD_PCREL : FIELD_IMM;
	die_at(mk->img.path, describe_off(&mk->img, field), NOPOS, sym,
	       "reference into the middle of an instruction stream: the field is not an operand of '%s %s' at 0x%llx",
	       insn->mnemonic, insn->op_str, (unsigned long long)pos);
}

enum insn_field insn_classify(struct mk *mk, uint64_t start, uint64_t field,
			      uint64_t *end, const char *sym)
{
	uint64_t pos = cur_start == start && cur_pos <= field ? cur_pos : start;

	open_capstone();
	for (;;) {
		if (!decode(mk, pos))
			die_at(mk->img.path, describe_off(&mk->img, pos), NOPOS, sym,
			       "cannot decode the instruction here (linear sweep from 0x%llx towards a reference at 0x%llx)",
			       (unsigned long long)start, (unsigned long long)field);
		cur_start = start;
		cur_pos = pos;
		if (pos + insn->size > field)
			break;
		pos += insn->size;
	}
	*end = pos + insn->size;
	return operand(mk, pos, field, sym);
}
