/* mkmap_relocs.c: PIE base relocations (.rela.dyn/.relr.dyn); the final sort and checks. */
#include <gelf.h>
#include <stdlib.h>

#include "mkmap.h"

static const char *const kind_names[] = { "ABS64", "ABS32", "INV32" };

void add_xref(struct mk *mk, uint64_t site, int kind, uint32_t unit)
{
	*vec_push(&mk->xrefs) = (struct fgk_xref){ site, FGK_XREF_INFO(kind, unit) };
}

void add_reloc(struct mk *mk, int kind, uint64_t site)
{
	*vec_push(&mk->relocs[kind]) = site;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Did a static relocation decide the target of the ABS64 field at site? (sorted first) */
static bool decided_statically(const struct mk *mk, uint64_t site)
{
	return mk->abs64_decided.n &&
	       bsearch(&site, mk->abs64_decided.v, mk->abs64_decided.n, sizeof(site), cmp_u64);
}

/*
 * PIE: every R_X86_64_RELATIVE and every .relr.dyn entry is an ABS64 base
 * relocation. The field must hold the link-time value (its addend), which
 * the runtime adds the base delta to.
 */
static void relative(struct mk *mk, uint64_t va, uint64_t addend, bool check,
		     const char *sec, uint64_t at)
{
	uint64_t site, off;
	int table;

	if (!vaddr_to_off(&mk->img, va, &site) || site + 8 > mk->img.image_size)
		die_at(mk->img.path, sec, at, NULL, "dynamic relocation site 0x%llx is not in the image",
		       (unsigned long long)va);
	if (in_skip(mk, site, &table) && table == SKIP_XREFS) {
		add_reloc(mk, FGK_RELOC_ABS64, site);
		return;
	}
	if (in_skip(mk, site, &table)) {
		struct mk_table *t = table >= 0 ? &mk->tables.v[table] : NULL;

		if (!t || (site - t->t.offset) % t->t.entry_size != t->t.key_offset)
			die_at(mk->img.path, describe_off(&mk->img, site), NOPOS, NULL,
			       "dynamic relocation inside a declared table, not at an ABS64 key");
		t->abs64_relocs++;
		return;
	}
	uint64_t field = img_rd(&mk->img, site, 8, "relocated field");

	if (check && field != addend)
		die_at(mk->img.path, describe_off(&mk->img, site), NOPOS, NULL,
		       "R_X86_64_RELATIVE field holds 0x%llx, not its addend 0x%llx: link with -z apply-dynamic-relocs (lld: --apply-dynamic-relocs) or equivalent",
		       (unsigned long long)field, (unsigned long long)addend);
	add_reloc(mk, FGK_RELOC_ABS64, site);
	if (decided_statically(mk, site))
		return;			/* it knows the symbol (a marker, say): keep its target */
	uint32_t su = unit_of_site(mk, site, 8), tu = FGK_UNIT_NONE;

	if (vaddr_to_off(&mk->img, field, &off)) {
		struct own o = own_at(mk, off);

		if (!own_unit(&o, &tu))
			die_at(mk->img.path, describe_off(&mk->img, site), NOPOS, NULL,
			       "pointer 0x%llx into region padding, in no unit", (unsigned long long)field);
	}
	if (su != FGK_UNIT_NONE || tu != FGK_UNIT_NONE)
		add_xref(mk, site, FGK_XREF_ABS64, tu);
}

/* The name of dynamic symbol i, from the .dynsym the section links to. */
static const char *dynsym_name(const struct mk *mk, const struct mk_sec *rs, size_t i)
{
	if (!i || rs->link >= mk->img.nsecs)
		return "(none)";
	const struct mk_sec *ds = &mk->img.secs[rs->link];
	Elf_Data *d = elf_getdata(elf_getscn(mk->img.elf, rs->link), NULL);
	GElf_Sym sym;
	const char *nm = NULL;

	if (d && ds->type == SHT_DYNSYM && gelf_getsym(d, i, &sym))
		nm = elf_strptr(mk->img.elf, ds->link, sym.st_name);
	return nm ? nm : "?";
}

static void dyn_rela(struct mk *mk, const struct mk_sec *rs, Elf_Data *d)
{
	size_t n = rs->entsize ? rs->size / rs->entsize : 0;

	for (size_t j = 0; j < n; j++) {
		GElf_Rela ra;

		if (!d || !gelf_getrela(d, j, &ra))
			die_at(mk->img.path, rs->name, j * rs->entsize, NULL, "unreadable relocation");
		uint32_t type = GELF_R_TYPE(ra.r_info);

		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE || mk->img.type != ET_DYN)
			die_at(mk->img.path, rs->name, j * rs->entsize,
			       dynsym_name(mk, rs, GELF_R_SYM(ra.r_info)),
			       "unsupported dynamic relocation %s at 0x%llx: only R_X86_64_RELATIVE in a -pie image",
			       rtype_name(type), (unsigned long long)ra.r_offset);
		relative(mk, ra.r_offset, ra.r_addend, true, rs->name, j * rs->entsize);
	}
}

/*
 * RELR (SHT_RELR): an even entry is an address A: relocate A, then
 * where = A + 8. An odd entry is a bitmap: bit i (1..63) relocates
 * where + (i - 1) * 8; then where += 63 * 8.
 */
static void dyn_relr(struct mk *mk, const struct mk_sec *rs)
{
	const unsigned char *p = mk->img.file + rs->foff;
	uint64_t where = 0;

	if (mk->img.type != ET_DYN)
		die_at(mk->img.path, rs->name, NOPOS, NULL, "RELR relocations in a non-PIE image");
	for (uint64_t at = 0; at + 8 <= rs->size; at += 8) {
		uint64_t e = rd_le(p + at, 8);

		if (!(e & 1)) {
			relative(mk, e, 0, false, rs->name, at);
			where = e + 8;
			continue;
		}
		for (int i = 1; i < 64; i++)
			if (e >> i & 1)
				relative(mk, where + (i - 1) * 8ull, 0, false, rs->name, at);
		where += 63 * 8;
	}
}

void relocs_dynamic(struct mk *mk)
{
	if (mk->abs64_decided.n)
		qsort(mk->abs64_decided.v, mk->abs64_decided.n, sizeof(uint64_t), cmp_u64);
	for (size_t i = 1; i < mk->img.nsecs; i++) {
		const struct mk_sec *rs = &mk->img.secs[i];

		if (!(rs->flags & SHF_ALLOC) || !rs->size)
			continue;
		if (rs->type == SHT_RELA)
			dyn_rela(mk, rs, elf_getdata(elf_getscn(mk->img.elf, i), NULL));
		else if (rs->type == SHT_RELR)
			dyn_relr(mk, rs);
		else if (rs->type == SHT_REL)
			die_at(mk->img.path, rs->name, NOPOS, NULL, "SHT_REL dynamic relocations are not supported");
	}
}

/* ABS64 tables: exactly one base relocation per entry key (the runtime checks). */
static void table_relocs(struct mk *mk)
{
	for (size_t i = 0; i < mk->tables.n; i++) {
		const struct mk_table *t = &mk->tables.v[i];

		if (t->t.key_kind != FGK_KEY_ABS64)
			continue;
		if (t->abs64_relocs != t->t.nr_entries)
			die_at(mk->img.path, describe_off(&mk->img, t->t.offset), NOPOS, NULL,
			       "table %s: %llu absolute relocations for %u entries: every key must be a relocated address",
			       t->name, (unsigned long long)t->abs64_relocs, t->t.nr_entries);
		for (uint32_t e = 0; e < t->t.nr_entries; e++)
			add_reloc(mk, FGK_RELOC_ABS64, t->t.offset + (uint64_t)e * t->t.entry_size +
				  t->t.key_offset);
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_xref(const void *a, const void *b)
{
	const struct fgk_xref *x = a, *y = b;

	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return x->info < y->info ? -1 : x->info > y->info;
}

static uint32_t xref_size(uint32_t info)
{
	uint32_t k = FGK_XREF_KIND(info);

	return k == FGK_XREF_PC64 || k == FGK_XREF_ABS64 ? 8 : 4;
}

static void finish_xrefs(struct mk *mk)
{
	struct fgk_xref *x = mk->xrefs.v;
	size_t n = 0;

	if (mk->xrefs.n)
		qsort(x, mk->xrefs.n, sizeof(*x), cmp_xref);
	for (size_t i = 0; i < mk->xrefs.n; i++) {
		if (x[i].site == mk->symtab_base_site)
			continue;
		if (n && x[n - 1].site == x[i].site && x[n - 1].info == x[i].info)
			continue;
		if (n && x[n - 1].site + xref_size(x[n - 1].info) > x[i].site)
			die_at(mk->img.path, describe_off(&mk->img, x[i].site), NOPOS, NULL,
			       "references overlap or disagree on their target (info 0x%x at 0x%x, 0x%x here)",
			       x[n - 1].info, x[n - 1].site, x[i].info);
		x[n++] = x[i];
	}
	mk->xrefs.n = n;
}

static void finish_relocs(struct mk *mk, int k)
{
	uint32_t *r = mk->relocs[k].v, size = k == FGK_RELOC_ABS64 ? 8 : 4;
	size_t n = 0;

	if (mk->relocs[k].n)
		qsort(r, mk->relocs[k].n, sizeof(*r), cmp_u32);
	for (size_t i = 0; i < mk->relocs[k].n; i++) {
		if (n && r[n - 1] == r[i])
			continue;
		if (n && r[n - 1] + size > r[i])
			die_at(mk->img.path, describe_off(&mk->img, r[i]), NOPOS, NULL,
			       "%s base relocations overlap", kind_names[k]);
		r[n++] = r[i];
	}
	mk->relocs[k].n = n;
}

void relocs_finish(struct mk *mk)
{
	table_relocs(mk);
	finish_xrefs(mk);
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		finish_relocs(mk, k);
}
