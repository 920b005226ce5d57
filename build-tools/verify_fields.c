/* verify_fields.c: the relocated fields of the map, decoded and compared, and the raw comparison of every other byte. */
#include <stdlib.h>
#include <string.h>

#include "verify.h"

static unsigned xref_size(unsigned kind)
{
	return kind == FGK_XREF_PC64 || kind == FGK_XREF_ABS64 ? 8 : 4;
}

/* By site; at one site the map's field comes before IN's relocation. */
static int by_site(const void *a, const void *b)
{
	const struct field *x = a, *y = b;

	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return x->elf_only - y->elf_only;
}

/* An xref and a base relocation at one site are one field. */
static void merge_fields(struct verify *v, size_t n)
{
	size_t w = 0;

	qsort(v->fields, n, sizeof(*v->fields), by_site);
	for (size_t i = 0; i < n; i++) {
		struct field *f = &v->fields[i], *last = w ? &v->fields[w - 1] : NULL;
		if (last && last->site == f->site && f->elf_only)
			continue;	/* the map has this field */
		if (last && last->site == f->site) {
			if (last->size != f->size)
				fail(v, CHK_MAP, "field at %s (offset %#x): xref and relocation of "
				     "different sizes", offname(v, &v->in, f->site), f->site);
			if (f->xkind)
				last->xkind = f->xkind, last->tunit = f->tunit;
			if (f->rkind != FGK_NR_RELOC_KINDS)
				last->rkind = f->rkind;
			continue;
		}
		if (last && last->site + last->size > f->site)
			fail(v, CHK_MAP, "fields at offsets %#x and %#x (%s) overlap",
			     last->site, f->site, offname(v, &v->in, f->site));
		v->fields[w++] = *f;
	}
	v->nr_fields = w;
}

static void mark(struct verify *v, uint64_t from, uint64_t bytes, enum byte_kind k)
{
	if (from > v->in.size || bytes > v->in.size - from)
		die("map: range [%#" PRIx64 ", +%#" PRIx64 ") outside the image", from, bytes);
	memset(v->kind + from, k, bytes);
}

/* Only section contents are compared: loaded ELF headers change with the section count. */
static void mark_sections(struct verify *v)
{
	memset(v->kind, BYTE_NOSECTION, v->in.size);
	for (size_t i = 1; i < v->in.nr_secs; i++) {
		GElf_Shdr sh;
		elfimg_shdr(&v->in, i, &sh);
		if (v->in.sec_off[i] != ELFIMG_NO_OFF && sh.sh_type != SHT_NOBITS)
			mark(v, v->in.sec_off[i], sh.sh_size, BYTE_PLAIN);
	}
}

static void mark_tables(struct verify *v)
{
	for (uint32_t i = 0; i < v->map.hdr->nr_tables; i++) {
		const struct fgk_table *t = &v->map.tables[i];
		mark(v, t->offset, (uint64_t)t->nr_entries * t->entry_size, BYTE_TABLE);
		if (t->par_entry_size)
			mark(v, t->par_offset, (uint64_t)t->nr_entries * t->par_entry_size, BYTE_TABLE);
	}
	const struct fgk_symtab *s = v->map.symtab;
	if (!s)
		return;
	mark(v, s->offsets, 4ull * s->nr_syms, BYTE_TABLE);
	mark(v, s->names, s->names_size, BYTE_TABLE);
	mark(v, s->markers, 4ull * ((s->nr_syms + 255) / 256), BYTE_TABLE);
	if (s->flags & FGK_SYMTAB_SEQS)
		mark(v, s->seqs, 3ull * s->nr_syms, BYTE_TABLE);
}

void collect_fields(struct verify *v)
{
	const struct fgk_map_header *h = v->map.hdr;
	size_t n = h->nr_xrefs;

	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		n += h->nr_relocs[k];
	v->fields = xcalloc(n + count_elf_relocs(v), sizeof(*v->fields));
	v->kind = xcalloc(v->in.size, 1);
	mark_sections(v);
	mark_tables(v);
	n = 0;
	for (uint32_t i = 0; i < h->nr_xrefs; i++) {
		uint32_t info = v->map.xrefs[i].info;
		v->fields[n++] = (struct field){ v->map.xrefs[i].site, xref_size(FGK_XREF_KIND(info)),
			FGK_XREF_KIND(info), FGK_NR_RELOC_KINDS, false, false, false, 0,
			FGK_XREF_UNIT(info) };
	}
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < h->nr_relocs[k]; i++)
			v->fields[n++] = (struct field){ v->map.relocs[k][i], k == FGK_RELOC_ABS64 ? 8 : 4,
				0, k, false, false, false, 0, FGK_UNIT_NONE };
	n += add_elf_relocs(v, v->fields + n);
	merge_fields(v, n);

	for (size_t i = 0; i < v->nr_fields; i++) {
		struct field *f = &v->fields[i];
		if (v->kind[f->site] == BYTE_TABLE)
			f->checked = true;	/* a table entry: compared by check_tables */
		else
			mark(v, f->site, f->size, BYTE_FIELD);
	}
}

const struct field *field_at(const struct verify *v, uint64_t site)
{
	size_t lo = 0, hi = v->nr_fields;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->fields[mid].site < site)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->nr_fields && v->fields[lo].site == site ? &v->fields[lo] : NULL;
}

/* A 32-bit base relocation without an xref: 32S in a kernel linked in the top 2 GiB. */
static bool sign_extends(const struct verify *v, const struct field *f)
{
	if (f->xkind)
		return f->xkind == FGK_XREF_ABS32S;
	return v->in.link_base >= 0xffffffff80000000ull;
}

bool field_is_abs(const struct field *f)
{
	if (f->xkind)
		return f->xkind >= FGK_XREF_ABS64;
	return f->rkind == FGK_RELOC_ABS64 || f->rkind == FGK_RELOC_ABS32;
}

uint64_t field_addr(const struct verify *v, const struct field *f, const uint8_t *at)
{
	uint64_t val = get_le(at, f->size);

	if (f->size == 4 && sign_extends(v, f))
		val = (uint64_t)(int64_t)(int32_t)val;
	return val;
}

uint32_t field_hint(const struct field *f)
{
	return f->xkind && f->tunit != FGK_UNIT_NONE ? f->tunit : NO_UNIT;
}

/*
 * A field without an xref that holds a region's start address means the
 * region (a linker label such as _stext, e.g. kallsyms_relative_base),
 * not the unit that happens to start there: it keeps its value.
 */
static bool region_start_kept(const struct verify *v, const struct field *f, uint64_t in_addr,
			      uint64_t out_addr)
{
	uint64_t off = elfimg_off(&v->in, in_addr);
	const struct fgk_region *r = off == ELFIMG_NO_OFF ? NULL : region_at(&v->map, off);

	return (!f->xkind || f->elf_only) && r && r->start == off &&
	       out_addr == in_addr + base_move(v, in_addr);
}

/* An absolute address field: OUT must hold where IN's target went. */
bool abs_field_ok(struct verify *v, const struct field *f, uint64_t *in_addr, uint64_t *out_addr)
{
	*in_addr = field_addr(v, f, v->in.image + f->site);
	*out_addr = field_addr(v, f, v->out.image + out_off(v, f->site));
	return addr_matches(v, *in_addr, field_hint(f), *out_addr) ||
	       region_start_kept(v, f, *in_addr, *out_addr) ||
	       (f->label && *out_addr == *in_addr + base_move(v, *in_addr));
}

/* The map's target unit must hold the target (or end at it). */
void check_hint(struct verify *v, const struct field *f, uint64_t target, const char *where)
{
	uint64_t off = elfimg_off(&v->in, target);

	if (!f->xkind || f->tunit == FGK_UNIT_NONE || off == ELFIMG_NO_OFF)
		return;
	const struct fgk_unit *u = &v->map.units[f->tunit];
	if (off < u->offset || off > (uint64_t)u->offset + u->size)
		fail(v, CHK_MAP, "%s: xref target unit %u [%s, +%#x) does not hold target %s",
		     where, f->tunit, offname(v, &v->in, u->offset), u->size,
		     symname(v, &v->in, target));
}

static const char *kind_name(const struct field *f)
{
	static const char *const x[] = { "?", "PC32", "PC64", "ABS64", "ABS32", "ABS32S" };
	static const char *const r[] = { "reloc ABS64", "reloc ABS32", "reloc INV32" };
	static char elf[80];

	if (f->elf_only) {
		snprintf(elf, sizeof(elf), "%s (IN's relocation type %u; the map has no field here)",
			 x[f->xkind], f->rtype);
		return elf;
	}
	return f->xkind ? x[f->xkind] : r[f->rkind];
}

static void check_pc_field(struct verify *v, const struct field *f, const char *where)
{
	uint64_t so = out_off(v, f->site);
	int64_t vi = f->size == 8 ? (int64_t)get_le(v->in.image + f->site, 8)
				  : (int32_t)get_le(v->in.image + f->site, 4);
	int64_t vo = f->size == 8 ? (int64_t)get_le(v->out.image + so, 8)
				  : (int32_t)get_le(v->out.image + so, 4);
	uint64_t ti = elfimg_addr(&v->in, f->site) + vi, to = elfimg_addr(&v->out, so) + vo;

	if (unit_at(&v->map, f->site) == NO_UNIT)
		check_hint(v, f, ti, where);	/* data: S + A is the target */
	if (!addr_matches(v, ti, field_hint(f), to) && !(f->label && to == ti + base_move(v, ti)))
		fail(v, CHK_FIELD, "%s field at %s: IN -> %s, OUT -> %s, expected %s", kind_name(f),
		     where, symname(v, &v->in, ti), symname(v, &v->out, to),
		     expected_name(v, ti, field_hint(f)));
}

static void check_data_field(struct verify *v, const struct field *f)
{
	char where[400];
	uint64_t ai, ao;

	snprintf(where, sizeof(where), "%s (offset %#x)", offname(v, &v->in, f->site), f->site);
	if (f->xkind == FGK_XREF_PC32 || f->xkind == FGK_XREF_PC64) {
		check_pc_field(v, f, where);
	} else if (field_is_abs(f)) {
		bool ok = abs_field_ok(v, f, &ai, &ao);
		if (unit_at(&v->map, f->site) == NO_UNIT)
			check_hint(v, f, ai, where);
		if (!ok)
			fail(v, CHK_FIELD, "%s field at %s: IN -> %s, OUT -> %s, expected %s",
			     kind_name(f), where, symname(v, &v->in, ai), symname(v, &v->out, ao),
			     expected_name(v, ai, field_hint(f)));
	} else {	/* INV32: per-CPU, moves against the base */
		uint32_t vi = get_le(v->in.image + f->site, 4);
		uint32_t vo = get_le(v->out.image + out_off(v, f->site), 4);
		if (vo != (uint32_t)(vi - v->base_delta))
			fail(v, CHK_FIELD, "reloc INV32 field at %s: IN %#x, OUT %#x, expected %#x",
			     where, vi, vo, (uint32_t)(vi - v->base_delta));
	}
}

void check_fields(struct verify *v)
{
	for (size_t i = 0; i < v->nr_fields; i++)
		if (!v->fields[i].checked)
			check_data_field(v, &v->fields[i]);
}

/* One report per run of differing bytes. */
static void report_bytes(struct verify *v, uint64_t from, uint64_t to)
{
	char in_hex[3 * 8 + 1] = "", out_hex[3 * 8 + 1] = "";
	uint64_t o = out_off(v, from);

	for (uint64_t k = 0; k < to - from && k < 8; k++) {
		sprintf(in_hex + 3 * k, " %02x", v->in.image[from + k]);
		sprintf(out_hex + 3 * k, " %02x", v->out.image[o + k]);
	}
	fail(v, CHK_BYTES, "%" PRIu64 " byte(s) differ at %s (IN offset %#" PRIx64 ", OUT offset %#"
	     PRIx64 "): IN%s%s OUT%s", to - from, offname(v, &v->in, from), from, o, in_hex,
	     to - from > 8 ? " ..." : "", out_hex);
}

static bool byte_differs(const struct verify *v, uint64_t off)
{
	if (v->kind[off] != BYTE_PLAIN)
		return false;
	if (unit_at(&v->map, off) == NO_UNIT && region_at(&v->map, off))
		return false;	/* region padding: check_layout looks at OUT's gaps */
	return v->in.image[off] != v->out.image[out_off(v, off)];
}

void check_bytes(struct verify *v)
{
	uint64_t run = UINT64_MAX;

	for (uint64_t off = 0; off < v->in.size; off++) {
		bool bad = byte_differs(v, off);
		if (bad && run == UINT64_MAX)
			run = off;
		if (!bad && run != UINT64_MAX) {
			report_bytes(v, run, off);
			run = UINT64_MAX;
		}
		v->nr_bytes += v->kind[off] == BYTE_PLAIN;
	}
	if (run != UINT64_MAX)
		report_bytes(v, run, v->in.size);
}
