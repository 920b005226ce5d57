/* verify_insn.c: decode code of IN and OUT with capstone and compare it instruction by instruction. */
#include <stdlib.h>
#include <string.h>

#include "verify_code.h"

/* The operand bytes of an instruction that hold an address (compared decoded). */
struct addr_operand {
	uint8_t at, size;		/* within the instruction */
	enum { OP_BRANCH, OP_RIPREL, OP_ABS } kind;
};

static bool decode(struct sweep *sw, struct insn *x, uint64_t off, uint64_t end)
{
	const uint8_t *code = x->img->image + off;
	size_t len = end - off;
	uint64_t addr = elfimg_addr(x->img, off);

	x->off = off;
	return cs_disasm_iter(sw->cs, &code, &len, &addr, x->ci);
}

static const char *text(const struct insn *x)
{
	static char bufs[4][200];
	static unsigned next;
	char *b = bufs[next++ % 4];

	snprintf(b, 200, "%s %s", x->ci->mnemonic, x->ci->op_str);
	return b;
}

static bool is_branch(csh cs, const cs_insn *ci)
{
	const cs_x86 *x = &ci->detail->x86;

	return (cs_insn_group(cs, ci, CS_GRP_JUMP) || cs_insn_group(cs, ci, CS_GRP_CALL)) &&
	       x->op_count == 1 && x->operands[0].type == X86_OP_IMM;
}

static bool is_riprel(const cs_insn *ci)
{
	const cs_x86 *x = &ci->detail->x86;

	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base == X86_REG_RIP)
			return true;
	return false;
}

/* Which operand fields hold addresses: relative ones and those the map relocates. */
static int addr_operands(const struct sweep *sw, const cs_insn *ci, uint64_t off,
			 struct addr_operand ops[2])
{
	const cs_x86_encoding *e = &ci->detail->x86.encoding;
	int n = 0;

	if (e->imm_size) {
		const struct field *f = field_at(sw->v, off + e->imm_offset);
		if (is_branch(sw->cs, ci))
			ops[n++] = (struct addr_operand){ e->imm_offset, e->imm_size, OP_BRANCH };
		else if (f && field_is_abs(f))
			ops[n++] = (struct addr_operand){ e->imm_offset, e->imm_size, OP_ABS };
	}
	if (e->disp_size) {
		/* 64-bit mode has no 16-bit displacement: capstone 4 says 2 after a 0x66 prefix. */
		uint8_t size = e->disp_size == 2 ? 4 : e->disp_size;
		const struct field *f = field_at(sw->v, off + e->disp_offset);
		if (is_riprel(ci))
			ops[n++] = (struct addr_operand){ e->disp_offset, size, OP_RIPREL };
		else if (f && field_is_abs(f))
			ops[n++] = (struct addr_operand){ e->disp_offset, size, OP_ABS };
	}
	return n;
}

static bool in_operand(const struct addr_operand *ops, int n, unsigned k)
{
	for (int i = 0; i < n; i++)
		if (k >= ops[i].at && k < (unsigned)ops[i].at + ops[i].size)
			return true;
	return false;
}

static const char *where(const struct sweep *sw)
{
	static char b[400];

	snprintf(b, sizeof(b), "%s (IN offset %#" PRIx64 ")", offname(sw->v, &sw->v->in, sw->in.off),
		 sw->in.off);
	return b;
}

/* The address a relative operand points at, as the CPU computes it. */
static uint64_t target(const struct insn *x, const struct addr_operand *op)
{
	const cs_x86 *d = &x->ci->detail->x86;

	if (op->kind == OP_BRANCH)
		return d->operands[0].imm;
	return x->ci->address + x->ci->size + d->disp;
}

static void check_relative(struct sweep *sw, const struct addr_operand *op)
{
	struct verify *v = sw->v;
	const struct field *f = field_at(v, sw->in.off + op->at);
	uint64_t ti = target(&sw->in, op), to = target(&sw->out, op);
	/* No xref: the map says the target is in the same unit (or fixed). */
	uint32_t hint = f ? target_hint(v, f, ti, f->xkind ? field_hint(f) : sw->unit) : sw->unit;
	const char *bad = f ? hint_problem(v, f, ti) : NULL;

	if (bad)
		fail(v, CHK_MAP, "%s: %s", where(sw), bad);
	if (!addr_matches(v, ti, hint, BASE_OF_ADDR, to) && !marker_kept(v, f, ti, to))
		fail(v, CHK_TARGET, "%s in %s: IN `%s` -> %s, OUT `%s` -> %s, expected %s",
		     where(sw), sw->what, text(&sw->in), symname(v, &v->in, ti), text(&sw->out),
		     symname(v, &v->out, to), expected_name(v, ti, hint, BASE_OF_ADDR));
}

static void check_absolute(struct sweep *sw, const struct addr_operand *op)
{
	struct verify *v = sw->v;
	const struct field *f = field_at(v, sw->in.off + op->at);
	uint64_t ai, ao;

	if (!abs_field_ok(v, f, &ai, &ao))
		fail(v, CHK_TARGET, "%s in %s: IN `%s` -> %s, OUT `%s` -> %s, expected %s",
		     where(sw), sw->what, text(&sw->in), symname(v, &v->in, ai), text(&sw->out),
		     symname(v, &v->out, ao), abs_expected(v, f, ai));
}

/* Map fields inside the instruction that are not address operands: a map error. */
static void check_stray_fields(struct sweep *sw, const struct addr_operand *ops, int n)
{
	const struct verify *v = sw->v;
	uint64_t end = sw->in.off + sw->in.ci->size;

	for (size_t i = field_from(v, sw->in.off); i < v->nr_fields && v->fields[i].site < end; i++) {
		unsigned k = v->fields[i].site - sw->in.off;
		if (!in_operand(ops, n, k))
			fail(sw->v, CHK_MAP, "%s in %s: map field at byte %u of `%s` is not an "
			     "address operand", where(sw), sw->what, k, text(&sw->in));
	}
}

static void mark_checked(struct sweep *sw, const struct addr_operand *ops, int n)
{
	struct verify *v = sw->v;

	for (unsigned k = 0; k < sw->in.ci->size; k++)
		if (v->kind[sw->in.off + k] == BYTE_PLAIN)
			v->kind[sw->in.off + k] = BYTE_INSN;
	for (int i = 0; i < n; i++) {
		struct field *f = (struct field *)field_at(v, sw->in.off + ops[i].at);
		if (f)
			f->checked = true;
	}
}

/* Same encoding apart from address operands, and those point at the same things. */
static void compare_insn(struct sweep *sw)
{
	const cs_insn *a = sw->in.ci, *b = sw->out.ci;
	struct addr_operand ops[2];
	int n = addr_operands(sw, a, sw->in.off, ops);

	check_stray_fields(sw, ops, n);
	mark_checked(sw, ops, n);
	for (unsigned k = 0; k < a->size; k++) {
		if (!in_operand(ops, n, k) && a->bytes[k] != b->bytes[k]) {
			fail(sw->v, CHK_INSN, "%s in %s: IN `%s` but OUT `%s` (byte %u: %#04x -> %#04x)",
			     where(sw), sw->what, text(&sw->in), text(&sw->out), k, a->bytes[k], b->bytes[k]);
			return;
		}
	}
	for (int i = 0; i < n; i++) {
		if (ops[i].kind == OP_ABS)
			check_absolute(sw, &ops[i]);
		else
			check_relative(sw, &ops[i]);
	}
}

/* int3 (region fill, padding between functions) has no operands: compared without capstone. */
static void compare_int3(struct sweep *sw, uint64_t off, int64_t move)
{
	struct verify *v = sw->v;

	v->nr_insns++;
	v->kind[off] = BYTE_INSN;
	if (v->out.image[off + move] != 0xcc)
		fail(v, CHK_INSN, "%s (IN offset %#" PRIx64 ") in %s: IN `int3` but OUT byte %#04x",
		     offname(v, &v->in, off), off, sw->what, v->out.image[off + move]);
}

void sweep_range(struct sweep *sw, uint64_t from, uint64_t to)
{
	struct verify *v = sw->v;
	int64_t move = out_off(v, from) - (int64_t)from;

	for (uint64_t off = from; off < to;) {
		if (v->in.image[off] == 0xcc && v->kind[off] == BYTE_PLAIN) {
			compare_int3(sw, off++, move);
			continue;
		}
		if (!decode(sw, &sw->in, off, to)) {
			/* data in code, or capstone 4 does not know it (rdpkru, lkgs, AMX) */
			uint64_t next = next_anchor(v, off, to);
			if (v->list_spans)
				printf("fgk-verify: span: %s (IN offset %#" PRIx64 ") in %s: %" PRIu64
				       " bytes did not decode\n", offname(v, &v->in, off), off, sw->what,
				       next - off);
			v->nr_undecodable += next - off;
			v->nr_spans++;
			off = next;
			continue;
		}
		v->nr_insns++;
		bool ok = decode(sw, &sw->out, off + move, to + move);
		if (!ok || sw->out.ci->size != sw->in.ci->size) {
			fail(v, CHK_INSN, "%s in %s: IN `%s` (%u bytes) but OUT %s%s%s",
			     where(sw), sw->what, text(&sw->in), sw->in.ci->size,
			     ok ? "`" : "does not decode", ok ? text(&sw->out) : "", ok ? "`" : "");
			mark_checked(sw, NULL, 0);
		} else {
			compare_insn(sw);
		}
		off += sw->in.ci->size;
	}
}
