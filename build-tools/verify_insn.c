/* verify_insn.c: disassemble every function and unit in IN and OUT with capstone and compare them instruction by instruction. */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

/* A decoded instruction of one file. */
struct insn {
	cs_insn *ci;
	uint64_t off;			/* image offset */
	const struct elfimg *img;
};

/* The operand bytes of an instruction that hold an address (compared decoded). */
struct addr_operand {
	uint8_t at, size;		/* within the instruction */
	enum { OP_BRANCH, OP_RIPREL, OP_ABS } kind;
};

struct sweep {
	struct verify *v;
	csh cs;
	struct insn in, out;
	uint32_t unit;			/* unit of the code, or NO_UNIT */
	char what[300];			/* function or unit, for messages */
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
	uint32_t hint = f && f->xkind ? field_hint(f) : sw->unit;

	if (f)
		check_hint(v, f, ti, where(sw));
	if (!addr_matches(v, ti, hint, to))
		fail(v, CHK_TARGET, "%s in %s: IN `%s` -> %s, OUT `%s` -> %s, expected %s",
		     where(sw), sw->what, text(&sw->in), symname(v, &v->in, ti), text(&sw->out),
		     symname(v, &v->out, to), expected_name(v, ti, hint));
}

static void check_absolute(struct sweep *sw, const struct addr_operand *op)
{
	struct verify *v = sw->v;
	const struct field *f = field_at(v, sw->in.off + op->at);
	uint64_t ai, ao;

	if (!abs_field_ok(v, f, &ai, &ao))
		fail(v, CHK_TARGET, "%s in %s: IN `%s` -> %s, OUT `%s` -> %s, expected %s",
		     where(sw), sw->what, text(&sw->in), symname(v, &v->in, ai), text(&sw->out),
		     symname(v, &v->out, ao), expected_name(v, ai, field_hint(f)));
}

/* Map fields inside the instruction that are not address operands: a map error. */
static void check_stray_fields(struct sweep *sw, const struct addr_operand *ops, int n)
{
	for (unsigned k = 0; k < sw->in.ci->size; k++) {
		const struct field *f = field_at(sw->v, sw->in.off + k);
		if (f && !in_operand(ops, n, k))
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

/* Linear sweep of IN [from, to), OUT at the same place of the moved unit. */
static void sweep_range(struct sweep *sw, uint64_t from, uint64_t to)
{
	struct verify *v = sw->v;
	int64_t move = out_off(v, from) - (int64_t)from;

	for (uint64_t off = from; off < to;) {
		if (!decode(sw, &sw->in, off, to)) {
			v->nr_undecodable++;	/* data in text, or capstone does not know it */
			off++;
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

static int by_offset(const void *a, const void *b)
{
	uint64_t x = (*(const struct elfimg_sym *const *)a)->img_off;
	uint64_t y = (*(const struct elfimg_sym *const *)b)->img_off;

	return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool is_code(const struct verify *v, const struct elfimg_sym *s)
{
	GElf_Shdr sh;

	if (s->type != STT_FUNC || !s->size || s->img_off == ELFIMG_NO_OFF ||
	    s->shndx >= v->in.nr_secs)
		return false;
	elfimg_shdr(&v->in, s->shndx, &sh);
	return sh.sh_flags & SHF_EXECINSTR;
}

/* Sized function symbols of IN, by offset. */
static const struct elfimg_sym **code_symbols(const struct verify *v, size_t *n)
{
	const struct elfimg_sym **syms = xcalloc(v->in.nr_syms, sizeof(*syms));

	*n = 0;
	for (size_t i = 1; i < v->in.nr_syms; i++)
		if (is_code(v, &v->in.syms[i]))
			syms[(*n)++] = &v->in.syms[i];
	qsort(syms, *n, sizeof(*syms), by_offset);
	return syms;
}

/* First symbol at or after `off`. */
static size_t first_at(const struct elfimg_sym **syms, size_t n, uint64_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (syms[mid]->img_off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A unit is swept in pieces split at its functions' starts and ends, so a
 * sweep that lost sync in data finds it again at the next function.
 */
static void sweep_unit(struct sweep *sw, uint32_t u, const struct elfimg_sym **syms, size_t n)
{
	const struct fgk_unit *un = &sw->v->map.units[u];
	uint64_t end = (uint64_t)un->offset + un->size;
	size_t first = first_at(syms, n, un->offset), last = first_at(syms, n, end);
	uint64_t *cut = xcalloc(2 * (last - first) + 2, sizeof(*cut));
	size_t nc = 0;

	cut[nc++] = un->offset;
	cut[nc++] = end;
	for (size_t i = first; i < last; i++) {
		cut[nc++] = syms[i]->img_off;
		cut[nc++] = syms[i]->img_off + syms[i]->size < end ? syms[i]->img_off + syms[i]->size : end;
	}
	qsort(cut, nc, sizeof(*cut), cmp_u64);
	sw->unit = u;
	for (size_t i = 0; i + 1 < nc; i++) {
		if (cut[i] == cut[i + 1])
			continue;
		snprintf(sw->what, sizeof(sw->what), "unit %u", u);
		sweep_range(sw, cut[i], cut[i + 1]);
	}
	sw->v->nr_funcs += last - first;
	free(cut);
}

/* Functions outside every unit stay put, but may call moved ones. */
static void sweep_fixed(struct sweep *sw, const struct elfimg_sym **syms, size_t n)
{
	uint64_t done = 0;

	sw->unit = NO_UNIT;
	for (size_t i = 0; i < n; i++) {
		const struct elfimg_sym *s = syms[i];
		if (s->img_off < done || unit_of_symbol(&sw->v->map, s) != NO_UNIT ||
		    region_at(&sw->v->map, s->img_off))
			continue;
		snprintf(sw->what, sizeof(sw->what), "fixed code");
		sweep_range(sw, s->img_off, s->img_off + s->size);
		done = s->img_off + s->size;
		sw->v->nr_funcs++;
	}
}

void check_code(struct verify *v)
{
	struct sweep sw = { .v = v };
	size_t n;
	const struct elfimg_sym **syms = code_symbols(v, &n);

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &sw.cs) != CS_ERR_OK)
		die("capstone: cannot open the x86-64 disassembler");
	cs_option(sw.cs, CS_OPT_DETAIL, CS_OPT_ON);
	sw.in = (struct insn){ cs_malloc(sw.cs), 0, &v->in };
	sw.out = (struct insn){ cs_malloc(sw.cs), 0, &v->out };
	for (uint32_t u = 0; u < v->map.hdr->nr_units; u++)
		if (v->map.units[u].size)
			sweep_unit(&sw, u, syms, n);
	sweep_fixed(&sw, syms, n);
	cs_free(sw.in.ci, 1);
	cs_free(sw.out.ci, 1);
	cs_close(&sw.cs);
	free(syms);
}
