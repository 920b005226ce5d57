/* verify_sweep.c: what in IN is code, where its instructions are known to start, and the sweep over all of it. */
#include <stdlib.h>
#include <string.h>

#include "verify_code.h"

/*
 * Code is every byte of IN's executable sections: the units (moved), and
 * outside the regions the fixed code, .altinstr_replacement-like sections
 * without symbols, and the fill between functions. Region padding is left
 * to check_layout. Each range is cut at the starts and ends of functions,
 * and a sweep that meets bytes capstone cannot decode goes on at the next
 * anchor: an address known to start an instruction (a symbol, a unit, a
 * table key such as an ORC ip), or outside functions (alternatives) the
 * target of a reference from data. Inside a function such a target may be
 * an operand (runtime constants: `.long 1b - 8 - .`), so it is no anchor.
 */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_range(const void *a, const void *b)
{
	return cmp_u64(&((const struct code_range *)a)->start, &((const struct code_range *)b)->start);
}

void find_code(struct verify *v)
{
	v->code = xcalloc(v->in.nr_secs, sizeof(*v->code));
	for (size_t i = 1; i < v->in.nr_secs; i++) {
		GElf_Shdr sh;
		elfimg_shdr(&v->in, i, &sh);
		if (v->in.sec_off[i] != ELFIMG_NO_OFF && sh.sh_type == SHT_PROGBITS &&
		    (sh.sh_flags & SHF_EXECINSTR) && sh.sh_size)
			v->code[v->nr_code++] = (struct code_range){ v->in.sec_off[i],
								     v->in.sec_off[i] + sh.sh_size };
	}
	qsort(v->code, v->nr_code, sizeof(*v->code), cmp_range);
}

bool in_code(const struct verify *v, uint64_t off)
{
	for (size_t i = 0; i < v->nr_code; i++)	/* a handful */
		if (off >= v->code[i].start && off < v->code[i].end)
			return true;
	return false;
}

static int by_offset(const void *a, const void *b)
{
	uint64_t x = (*(const struct elfimg_sym *const *)a)->img_off;
	uint64_t y = (*(const struct elfimg_sym *const *)b)->img_off;

	return x < y ? -1 : x > y;
}

/* Sized function symbols of IN in code, by offset. */
static void code_symbols(struct verify *v)
{
	v->code_syms = xcalloc(v->in.nr_syms, sizeof(*v->code_syms));
	for (size_t i = 1; i < v->in.nr_syms; i++) {
		const struct elfimg_sym *s = &v->in.syms[i];
		if (s->type == STT_FUNC && s->size && s->img_off != ELFIMG_NO_OFF && in_code(v, s->img_off))
			v->code_syms[v->nr_code_syms++] = s;
	}
	qsort(v->code_syms, v->nr_code_syms, sizeof(*v->code_syms), by_offset);
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

/* Whether off is inside a function (past its first byte), as far as the nearest one says. */
static bool inside_function(const struct verify *v, uint64_t off)
{
	size_t i = first_at(v->code_syms, v->nr_code_syms, off + 1);

	for (size_t k = 0; k < 2 && i > k; k++) {	/* __pfx_f may come last */
		const struct elfimg_sym *s = v->code_syms[i - 1 - k];
		if (off > s->img_off && off < s->img_off + s->size)
			return true;
	}
	return false;
}

static void add_anchor(struct verify *v, size_t *cap, uint64_t off)
{
	if (off == ELFIMG_NO_OFF || !in_code(v, off))
		return;
	if (v->nr_anchors == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		v->anchors = realloc(v->anchors, *cap * sizeof(*v->anchors));
		if (!v->anchors)
			die("out of memory (%zu anchors)", *cap);
	}
	v->anchors[v->nr_anchors++] = off;
}

/* Keys of the map's tables: ORC ips, __ex_table insns, __mcount_loc calls. */
static void table_anchors(struct verify *v, size_t *cap)
{
	for (uint32_t i = 0; i < v->map.hdr->nr_tables; i++) {
		const struct fgk_table *t = &v->map.tables[i];
		for (uint32_t e = 0; e < t->nr_entries; e++) {
			uint64_t k = t->offset + (uint64_t)e * t->entry_size + t->key_offset;
			uint64_t a = t->key_kind == FGK_KEY_REL32 ?
				elfimg_addr(&v->in, k) + (int32_t)get_le(v->in.image + k, 4) :
				get_le(v->in.image + k, 8);
			add_anchor(v, cap, elfimg_off(&v->in, a));
		}
	}
}

/* Targets of data references into code (call sites, alternatives, function pointers). */
static void field_anchors(struct verify *v, size_t *cap)
{
	for (size_t i = 0; i < v->nr_fields; i++) {
		const struct field *f = &v->fields[i];
		if (in_code(v, f->site) || f->rkind == FGK_RELOC_INV32)
			continue;
		uint64_t a = field_addr(v, f, v->in.image + f->site);
		if (f->xkind == FGK_XREF_PC32 || f->xkind == FGK_XREF_PC64)
			a = elfimg_addr(&v->in, f->site) + (f->size == 8 ? a : (uint64_t)(int32_t)a);
		uint64_t off = elfimg_off(&v->in, a);
		if (off != ELFIMG_NO_OFF && !inside_function(v, off))
			add_anchor(v, cap, off);
	}
}

void find_anchors(struct verify *v)
{
	size_t cap = 0;

	code_symbols(v);
	for (size_t i = 1; i < v->in.nr_syms; i++) {
		const struct elfimg_sym *s = &v->in.syms[i];
		if (s->img_off == ELFIMG_NO_OFF || s->type == STT_SECTION || s->type == STT_FILE)
			continue;
		add_anchor(v, &cap, s->img_off);
		if (s->type == STT_FUNC && s->size)
			add_anchor(v, &cap, s->img_off + s->size);
	}
	for (uint32_t u = 0; u < v->map.hdr->nr_units; u++) {
		add_anchor(v, &cap, v->map.units[u].offset);
		add_anchor(v, &cap, (uint64_t)v->map.units[u].offset + v->map.units[u].size);
	}
	table_anchors(v, &cap);
	field_anchors(v, &cap);
	qsort(v->anchors, v->nr_anchors, sizeof(*v->anchors), cmp_u64);
}

uint64_t next_anchor(const struct verify *v, uint64_t off, uint64_t limit)
{
	size_t lo = 0, hi = v->nr_anchors;

	while (lo < hi) {	/* first anchor after off */
		size_t mid = lo + (hi - lo) / 2;
		if (v->anchors[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->nr_anchors && v->anchors[lo] < limit ? v->anchors[lo] : limit;
}

/*
 * Sweep [from, to) in pieces split at its functions' starts and ends, so a
 * sweep that lost sync in data finds it again at the next function.
 */
static void sweep_cut(struct sweep *sw, uint64_t from, uint64_t to)
{
	const struct elfimg_sym **syms = sw->v->code_syms;
	size_t n = sw->v->nr_code_syms;
	size_t first = first_at(syms, n, from), last = first_at(syms, n, to);
	uint64_t *cut = xcalloc(2 * (last - first) + 2, sizeof(*cut));
	size_t nc = 0;

	cut[nc++] = from;
	cut[nc++] = to;
	for (size_t i = first; i < last; i++) {
		cut[nc++] = syms[i]->img_off;
		cut[nc++] = syms[i]->img_off + syms[i]->size < to ? syms[i]->img_off + syms[i]->size : to;
	}
	qsort(cut, nc, sizeof(*cut), cmp_u64);
	for (size_t i = 0; i + 1 < nc; i++)
		if (cut[i] != cut[i + 1])
			sweep_range(sw, cut[i], cut[i + 1]);
	sw->v->nr_funcs += last - first;
	free(cut);
}

/* Code outside the regions stays put, but may call moved code. */
static void sweep_fixed(struct sweep *sw, const struct code_range *c)
{
	const struct fgk_map *m = &sw->v->map;
	uint64_t at = c->start;

	sw->unit = NO_UNIT;
	snprintf(sw->what, sizeof(sw->what), "fixed code in %s", secname_at(&sw->v->in, c->start));
	for (uint32_t i = 0; i <= m->hdr->nr_regions && at < c->end; i++) {
		uint64_t rs = i < m->hdr->nr_regions ? m->regions[i].start : c->end;
		uint64_t re = i < m->hdr->nr_regions ? m->regions[i].end : c->end;
		if (re <= at)
			continue;
		if (rs > at)
			sweep_cut(sw, at, rs < c->end ? rs : c->end);
		at = re;
	}
}

void check_code(struct verify *v)
{
	struct sweep sw = { .v = v };

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &sw.cs) != CS_ERR_OK)
		die("capstone: cannot open the x86-64 disassembler");
	cs_option(sw.cs, CS_OPT_DETAIL, CS_OPT_ON);
	sw.in = (struct insn){ cs_malloc(sw.cs), 0, &v->in };
	sw.out = (struct insn){ cs_malloc(sw.cs), 0, &v->out };
	for (uint32_t u = 0; u < v->map.hdr->nr_units; u++) {
		const struct fgk_unit *un = &v->map.units[u];
		if (!un->size || !in_code(v, un->offset))
			continue;	/* a data unit: its bytes and fields are compared */
		sw.unit = u;
		snprintf(sw.what, sizeof(sw.what), "unit %u", u);
		sweep_cut(&sw, un->offset, (uint64_t)un->offset + un->size);
	}
	for (size_t i = 0; i < v->nr_code; i++)
		sweep_fixed(&sw, &v->code[i]);
	cs_free(sw.in.ci, 1);
	cs_free(sw.out.ci, 1);
	cs_close(&sw.cs);
}
