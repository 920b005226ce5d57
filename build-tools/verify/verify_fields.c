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

/* An xref, a base relocation and IN's relocation at one site are one field. */
static void merge_fields(struct verify *v, size_t n)
{
	size_t w = 0;

	qsort(v->fields, n, sizeof(*v->fields), by_site);
	for (size_t i = 0; i < n; i++) {
		struct field *f = &v->fields[i], *last = w ? &v->fields[w - 1] : NULL;
		if (last && last->site == f->site && f->elf_only) {
			/* The map has this field: IN's relocation tells what its symbol is. */
			last->named = f->named, last->sym_label = f->sym_label;
			last->sym_base = f->sym_base, last->sym_unit = f->sym_unit;
			continue;
		}
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

/* The map's fields: xrefs and base relocations, not merged yet. */
static size_t map_fields(const struct verify *v, struct field *out)
{
	const struct fgk_map_header *h = v->map.hdr;
	size_t n = 0;

	for (uint32_t i = 0; i < h->nr_xrefs; i++) {
		uint32_t info = v->xrefs[i].info;
		out[n++] = (struct field){ .site = v->xrefs[i].site,
			.size = xref_size(FGK_XREF_KIND(info)), .xkind = FGK_XREF_KIND(info),
			.rkind = FGK_NR_RELOC_KINDS, .tunit = FGK_XREF_UNIT(info), .sym_unit = NO_UNIT,
			.sym_base = -1 };
	}
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < v->map.nr_relocs[k]; i++)
			out[n++] = (struct field){ .site = v->map.relocs[k][i] - v->map.reloc_base,
				.size = k == FGK_RELOC_ABS64 ? 8 : 4, .rkind = k,
				.tunit = FGK_UNIT_NONE, .sym_unit = NO_UNIT, .sym_base = -1 };
	return n;
}

void collect_fields(struct verify *v)
{
	const struct fgk_map_header *h = v->map.hdr;
	size_t n = h->nr_xrefs;

	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		n += v->map.nr_relocs[k];
	v->fields = xcalloc(n + count_elf_relocs(v), sizeof(*v->fields));
	v->kind = xcalloc(v->in.size, 1);
	mark_sections(v);
	mark_tables(v);
	n = map_fields(v, v->fields);
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

size_t field_from(const struct verify *v, uint64_t site)
{
	size_t lo = 0, hi = v->nr_fields;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->fields[mid].site < site)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct field *field_at(const struct verify *v, uint64_t site)
{
	size_t i = field_from(v, site);

	return i < v->nr_fields && v->fields[i].site == site ? &v->fields[i] : NULL;
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

/* "foo+0x8 (offset 0x1234)": where field f is, for a message. */
static const char *field_where(const struct verify *v, const struct field *f)
{
	static char b[400];

	snprintf(b, sizeof(b), "%s (offset %#x)", offname(v, &v->in, f->site), f->site);
	return b;
}

/*
 * A PC-relative field outside any decoded instruction: in data, S + A is
 * the target; in code capstone could not decode, the field is taken to
 * end its instruction, as in calls and jumps.
 */
static void check_pc_field(struct verify *v, const struct field *f)
{
	uint64_t so = out_off(v, f->site);
	int64_t vi = f->size == 8 ? (int64_t)get_le(v->in.image + f->site, 8)
				  : (int32_t)get_le(v->in.image + f->site, 4);
	int64_t vo = f->size == 8 ? (int64_t)get_le(v->out.image + so, 8)
				  : (int32_t)get_le(v->out.image + so, 4);
	bool code = in_code(v, f->site);
	uint64_t ti = elfimg_addr(&v->in, f->site) + vi + (code ? f->size : 0);
	uint64_t to = elfimg_addr(&v->out, so) + vo + (code ? f->size : 0);
	uint32_t hint = target_hint(v, f, ti, field_hint(f));
	const char *bad = code ? NULL : hint_problem(v, f, ti);

	if (bad)
		fail(v, CHK_MAP, "%s: %s", field_where(v, f), bad);
	if (!addr_matches(v, ti, hint, BASE_OF_ADDR, to) && !marker_kept(v, f, ti, to))
		fail(v, CHK_FIELD, "%s field at %s: IN -> %s, OUT -> %s, expected %s", kind_name(f),
		     field_where(v, f), symname(v, &v->in, ti), symname(v, &v->out, to),
		     expected_name(v, ti, hint, BASE_OF_ADDR));
}

static void check_abs_field(struct verify *v, const struct field *f)
{
	uint64_t ai, ao;
	bool ok = abs_field_ok(v, f, &ai, &ao);
	const char *bad = hint_problem(v, f, ai);

	if (bad)
		fail(v, CHK_MAP, "%s: %s", field_where(v, f), bad);
	if (!ok)
		fail(v, CHK_FIELD, "%s field at %s: IN -> %s, OUT -> %s, expected %s",
		     kind_name(f), field_where(v, f), symname(v, &v->in, ai), symname(v, &v->out, ao),
		     abs_expected(v, f, ai));
}

/* INV32: per-CPU, moves against the base. */
static void check_inv_field(struct verify *v, const struct field *f)
{
	uint32_t vi = get_le(v->in.image + f->site, 4);
	uint32_t vo = get_le(v->out.image + out_off(v, f->site), 4);

	if (vo != (uint32_t)(vi - v->base_delta))
		fail(v, CHK_FIELD, "reloc INV32 field at %s: IN %#x, OUT %#x, expected %#x",
		     field_where(v, f), vi, vo, (uint32_t)(vi - v->base_delta));
}

static void check_data_field(struct verify *v, const struct field *f)
{
	if (f->xkind == FGK_XREF_PC32 || f->xkind == FGK_XREF_PC64)
		check_pc_field(v, f);
	else if (field_is_abs(f))
		check_abs_field(v, f);
	else
		check_inv_field(v, f);
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

/*
 * Every plain byte in OUT where its unit put it; region padding is left to
 * check_layout. Units are walked alongside: no search per byte.
 */
void check_bytes(struct verify *v)
{
	const struct fgk_unit *units = v->map.units;
	uint32_t u = 0, nu = v->map.hdr->nr_units;
	uint64_t run = UINT64_MAX;

	for (uint64_t off = 0; off < v->in.size; off++) {
		while (u < nu && (uint64_t)units[u].offset + units[u].size <= off)
			u++;
		bool held = u < nu && units[u].offset <= off;
		bool bad = v->kind[off] == BYTE_PLAIN && (held || !region_at(&v->map, off)) &&
			   v->in.image[off] != v->out.image[off + (held ? unit_move(v, u) : 0)];
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
