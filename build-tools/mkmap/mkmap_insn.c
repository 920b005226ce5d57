/* mkmap_insn.c: which instruction operand a relocated field is, by a linear sweep. */
#include <stdio.h>

#include "mkmap.h"
#include "mkmap_decode.h"

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

static uint64_t cur_start = NOPOS, cur_pos;
static FILE *trace;

void insn_trace_to(const char *path)
{
	trace = fopen(path, "w");
	if (!trace)
		die("%s: cannot write the decoder trace", path);
}

void insn_done(void)
{
	decode_done();
	if (trace && fclose(trace))
		die("cannot write the decoder trace");
	trace = NULL;
}

static bool decode(const struct mk *mk, uint64_t pos, struct decoded_insn *d)
{
	if (pos >= mk->img.image_size)
		return false;
	return decode_insn(mk->img.mem + pos, mk->img.image_size - pos, d);
}

/* The instruction's bytes in hex, for messages (decoder-independent). */
static const char *hex_bytes(const struct mk *mk, uint64_t pos, unsigned int len, char *buf)
{
	char *p = buf;

	for (unsigned int i = 0; i < len && i < 15 && pos + i < mk->img.image_size; i++)
		p += sprintf(p, "%s%02x", i ? " " : "", mk->img.mem[pos + i]);
	*p = 0;
	return buf;
}

/* Which operand of d (at pos) the field is; false if none. */
static bool operand(const struct decoded_insn *d, uint64_t pos, uint64_t field,
		    enum insn_field *kind)
{
	uint64_t rel = field - pos;

	if (d->disp_size == 4 && rel == d->disp_offset)
		*kind = d->rip_relative ? FIELD_PCREL : FIELD_IMM;
	else if (d->imm_size == 4 && rel == d->imm_offset)
		*kind = d->branch_relative ? FIELD_PCREL : FIELD_IMM;
	else
		return false;
	return true;
}

/*
 * Sweep from start to the instruction holding field: sets *pos to it and
 * fills d; false at an undecodable byte (*pos is where).
 */
static bool sweep(struct mk *mk, uint64_t start, uint64_t field, uint64_t *pos,
		  struct decoded_insn *d)
{
	uint64_t at = cur_start == start && cur_pos <= field ? cur_pos : start;

	for (;;) {
		if (!decode(mk, at, d)) {
			*pos = at;
			return false;
		}
		cur_start = start;
		cur_pos = at;
		if (at + d->length > field)
			break;
		at += d->length;
	}
	*pos = at;
	return true;
}

static void trace_answer(uint64_t field, const char *kind, uint64_t end)
{
	fprintf(trace, "%llx %s %llx\n", (unsigned long long)field, kind, (unsigned long long)end);
}

enum insn_field insn_classify(struct mk *mk, uint64_t start, uint64_t field,
			      uint64_t *end, const char *sym)
{
	struct decoded_insn d;
	enum insn_field kind;
	uint64_t pos;
	char bytes[48];

	if (!sweep(mk, start, field, &pos, &d))
		die_at(mk->img.path, describe_off(&mk->img, pos), NOPOS, sym,
		       "%s cannot decode the instruction here (linear sweep from 0x%llx towards a reference at 0x%llx)",
		       decode_backend, (unsigned long long)start, (unsigned long long)field);
	if (!operand(&d, pos, field, &kind))
		die_at(mk->img.path, describe_off(&mk->img, field), NOPOS, sym,
		       "reference into the middle of an instruction stream: the field is not an operand of the instruction [%s] at 0x%llx (%s)",
		       hex_bytes(mk, pos, d.length, bytes), (unsigned long long)pos, decode_backend);
	*end = pos + d.length;
	if (trace)
		trace_answer(field, kind == FIELD_PCREL ? "pcrel" : "imm", *end);
	return kind;
}

bool insn_tracing(void)
{
	return trace != NULL;
}

void insn_trace_field(struct mk *mk, uint64_t start, uint64_t field)
{
	struct decoded_insn d;
	enum insn_field kind;
	uint64_t pos;

	if (!sweep(mk, start, field, &pos, &d))
		trace_answer(field, "undecodable", pos);
	else if (!operand(&d, pos, field, &kind))
		trace_answer(field, "not-an-operand", pos + d.length);
	else
		trace_answer(field, kind == FIELD_PCREL ? "pcrel" : "imm", pos + d.length);
}
