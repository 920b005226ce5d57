/* mkmap_refs.c: classify the static relocations (--emit-relocs) into xrefs and base relocations. */
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

/*
 * One relocation of a loaded section:
 *   P     site (vaddr), in section `sec`; `site` is its image offset
 *   S, A  symbol value and addend
 * The target unit is the owner of S + A for data, and of the address the
 * CPU computes for a field in code (the end of the instruction, not S + A),
 * except that a reference to
 * a linker-script marker (mkmap_markers.c) targets where the marker
 * belongs, whatever the addend, and that a value outside the image
 * (__pa_symbol) targets the unit of its symbol. Xrefs are kept when the
 * site or the target is in a unit, except PC-relative ones inside one
 * unit. Base relocations follow arch/x86/tools/relocs.c for ET_EXEC images.
 */

struct ref {
	uint64_t P, site;
	const struct mk_sec *sec;
	size_t symi;
	uint64_t S;
	int64_t A;
	uint32_t type;
	bool fixed;			/* undefined or absolute: never moves */
	bool absolute;			/* no symbol, or SHN_ABS: an absolute address */
	bool percpu;			/* a per-CPU symbol (zero-based) */
	const struct mk_marker *marker;	/* the symbol is a linker-script marker */
};

static const char *const rtype_names[] = {
	"NONE", "64", "PC32", "GOT32", "PLT32", "COPY", "GLOB_DAT", "JUMP_SLOT",
	"RELATIVE", "GOTPCREL", "32", "32S", "16", "PC16", "8", "PC8", "DTPMOD64",
	"DTPOFF64", "TPOFF64", "TLSGD", "TLSLD", "DTPOFF32", "GOTTPOFF", "TPOFF32",
	"PC64", "GOTOFF64", "GOTPC32", "GOT64", "GOTPCREL64", "GOTPC64", "GOTPLT64",
	"PLTOFF64", "SIZE32", "SIZE64", "GOTPC32_TLSDESC", "TLSDESC_CALL", "TLSDESC",
	"IRELATIVE", "RELATIVE64", "?", "?", "GOTPCRELX", "REX_GOTPCRELX",
};

const char *rtype_name(uint32_t type)
{
	static char buf[32];

	if (type < sizeof(rtype_names) / sizeof(rtype_names[0]))
		snprintf(buf, sizeof(buf), "R_X86_64_%s", rtype_names[type]);
	else
		snprintf(buf, sizeof(buf), "type %u", type);
	return buf;
}

static noreturn void rdie(const struct mk *mk, const struct ref *r, const char *msg)
{
	die_at(mk->img.path, describe_off(&mk->img, r->site), NOPOS,
	       sym_name(&mk->img, r->symi), "%s relocation: %s", rtype_name(r->type), msg);
}

bool abs_relative(const struct mk *mk, const char *name)
{
	for (size_t i = 0; i < mk->cfg.abs_relative.n; i++)
		if (!fnmatch(mk->cfg.abs_relative.v[i], name, 0))
			return true;
	return false;
}

/* relocs.c is_percpu_sym(): GNU ld puts a few non-per-CPU symbols there. */
static bool percpu_sym(const struct mk *mk, const struct mk_sym *s)
{
	return s->shndx < mk->img.nsecs && mk->img.secs[s->shndx].percpu &&
	       strcmp(s->name, "__init_begin") && strcmp(s->name, "__per_cpu_load") &&
	       strncmp(s->name, "init_per_cpu_", 13);
}

static bool owner_of(const struct mk *mk, uint64_t t, uint32_t *unit, uint64_t *off)
{
	*unit = FGK_UNIT_NONE;
	if (!vaddr_to_off(&mk->img, t, off))
		return true;
	struct own o = own_at(mk, *off);

	return own_unit(&o, unit);
}

/* Does a region overlap loaded section shndx? */
static bool sec_has_region(const struct mk *mk, uint16_t shndx)
{
	if (shndx >= mk->img.nsecs || !mk->img.secs[shndx].loaded)
		return false;
	const struct mk_sec *sec = &mk->img.secs[shndx];

	for (size_t i = 0; i < mk->regions.n; i++)
		if (mk->regions.v[i].r.start < sec->img + sec->size && mk->regions.v[i].r.end > sec->img)
			return true;
	return false;
}

/*
 * A value S + A outside the image computed from a symbol (__pa_symbol(f):
 * f - __START_KERNEL_map) moves with S: its target is S's unit. A section
 * symbol does not say which input section the value came from: refused if
 * a region overlaps its section.
 */
static uint32_t outside_target(struct mk *mk, const struct ref *r, uint64_t t)
{
	const struct mk_sym *s = &mk->img.syms[r->symi];
	uint64_t soff;
	uint32_t sunit;

	if (s->type == STT_SECTION && sec_has_region(mk, s->shndx))
		rdie(mk, r, xasprintf("the value 0x%llx lies outside the image and is computed from a "
				      "section symbol, which does not tell which unit it moves with: "
				      "refer to a named symbol", (unsigned long long)t));
	if (s->type == STT_SECTION || owner_of(mk, r->S, &sunit, &soff))
		return s->type == STT_SECTION ? FGK_UNIT_NONE : sunit;
	rdie(mk, r, xasprintf("the value 0x%llx lies outside the image and its symbol lies in "
			      "region padding, in no unit", (unsigned long long)t));
}

/*
 * The owner of target vaddr t. An address computed past a named symbol
 * into region padding (PFN_ALIGN(_text) gives _text + 0xfff) belongs to the
 * symbol's unit; with a section symbol, or the symbol itself in padding,
 * there is no way to tell, so that is refused. A value outside the image:
 * see outside_target().
 */
static uint32_t target_of(struct mk *mk, const struct ref *r, uint64_t t)
{
	uint64_t off, soff;
	uint32_t unit, sunit;

	if (r->fixed)
		return FGK_UNIT_NONE;
	if (!vaddr_to_off(&mk->img, t, &off))
		return outside_target(mk, r, t);
	if (owner_of(mk, t, &unit, &off))
		return unit;
	const struct mk_sym *s = &mk->img.syms[r->symi];

	if (r->symi && s->type != STT_SECTION && owner_of(mk, r->S, &sunit, &soff)) {
		if (!mk->pad_fallbacks++)
			mk->pad_example = xasprintf("%s: %s+0x%llx from %s",
				sym_name(&mk->img, r->symi), sym_name(&mk->img, r->symi),
				(unsigned long long)(t - r->S), describe_off(&mk->img, r->site));
		return sunit;
	}
	rdie(mk, r, xasprintf("the target 0x%llx (%s) lies in region padding, in no unit",
			      (unsigned long long)t, describe_off(&mk->img, off)));
}

/* A marker's unit, whatever the addend; dies if no unit is right for it. */
static uint32_t marker_target(const struct mk *mk, const struct ref *r)
{
	if (r->marker->refusal)
		rdie(mk, r, r->marker->refusal);
	return r->marker->unit;
}

/* The target of a field holding S + A (data, absolute fields, GOT slots). */
static uint32_t value_target(struct mk *mk, const struct ref *r, uint64_t t)
{
	return r->marker ? marker_target(mk, r) : target_of(mk, r, t);
}

/*
 * Same owner for every possible instruction end? Then no decoding is
 * needed. A target outside the image is left to target_of().
 */
static bool probe(const struct mk *mk, const struct ref *r, uint32_t *unit)
{
	static const int imm[] = { 0, 1, 2, 4 };
	uint32_t first = FGK_UNIT_NONE;

	for (int k = 0; k < 4; k++) {
		uint64_t t = r->S + r->A + 4 + imm[k], off;
		uint32_t u = FGK_UNIT_NONE;

		if (!r->fixed && !vaddr_to_off(&mk->img, t, &off))
			return false;
		if (!r->fixed) {
			struct own o = own_at(mk, off);

			if (!own_unit(&o, &u))
				return false;
		}
		if (k && u != first)
			return false;
		first = u;
	}
	*unit = first;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Function symbols by address: places where decoding can start. */
static void index_funcs(struct mk *mk)
{
	mk->funcs = xcalloc(mk->img.nsyms, sizeof(*mk->funcs));
	for (size_t i = 1; i < mk->img.nsyms; i++)
		if (mk->img.syms[i].type == STT_FUNC && mk->img.syms[i].shndx != SHN_UNDEF)
			mk->funcs[mk->nfuncs++] = mk->img.syms[i].value;
	qsort(mk->funcs, mk->nfuncs, sizeof(*mk->funcs), cmp_u64);
}

/* The last function symbol at or below vaddr, or 0. */
static uint64_t func_below(const struct mk *mk, uint64_t vaddr)
{
	size_t lo = 0, hi = mk->nfuncs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (mk->funcs[mid] <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? mk->funcs[lo - 1] : 0;
}

/*
 * Decode from the last function symbol before the field, or from the
 * start of its input section: whichever is nearer (less data to misread).
 */
static uint64_t sweep_start(const struct mk *mk, const struct ref *r)
{
	const struct ld_insec *in = ldmap_insec_at(&mk->ldmap, r->P);
	uint64_t start = r->sec->addr, fn = func_below(mk, r->P);

	if (in && in->addr >= r->sec->addr && in->addr + in->size <= r->sec->addr + r->sec->size)
		start = in->addr;
	if (fn > start)
		start = fn;
	return r->sec->img + (start - r->sec->addr);
}

static uint32_t pc_target(struct mk *mk, const struct ref *r, int size)
{
	uint64_t end;
	uint32_t unit;

	if (r->marker || !(r->sec->flags & SHF_EXECINSTR) || size != 4)
		return value_target(mk, r, r->S + r->A);
	if (probe(mk, r, &unit)) {
		if (insn_tracing())
			insn_trace_field(mk, sweep_start(mk, r), r->site);
		return unit;
	}
	const char *nm = sym_name(&mk->img, r->symi);

	if (insn_classify(mk, sweep_start(mk, r), r->site, &end, nm) == FIELD_PCREL)
		return target_of(mk, r, r->S + r->A + (end - r->site));
	return target_of(mk, r, r->S + r->A);
}

/*
 * A PC-relative field to an absolute address (`call 0`, an SHN_ABS symbol)
 * is wrong as soon as base KASLR moves the site, and no base relocation
 * can fix it (relocs.c silently leaves it): refuse it. Undefined (weak)
 * symbols are left alone, as relocs.c does.
 */
static void ref_pc(struct mk *mk, const struct ref *r, int size)
{
	if (r->absolute)
		rdie(mk, r, xasprintf("PC-relative reference to an absolute address (symbol value 0x%llx): "
				      "base KASLR moves the site but not the target, and no base "
				      "relocation can fix a PC-relative field", (unsigned long long)r->S));
	uint32_t su = unit_of_site(mk, r->site, size);
	uint32_t tu = pc_target(mk, r, size);

	if (su != tu)
		add_xref(mk, r->site, size == 8 ? FGK_XREF_PC64 : FGK_XREF_PC32, tu);
	if (mk->img.type != ET_EXEC || !r->percpu || r->sec->percpu)
		return;
	if (size == 8)
		rdie(mk, r, "PC64 against a per-CPU symbol (relocs.c refuses it too)");
	add_reloc(mk, FGK_RELOC_INV32, r->site);
}

static void ref_abs(struct mk *mk, const struct ref *r, int kind, int size)
{
	uint32_t tu = value_target(mk, r, r->S + r->A);

	unit_of_site(mk, r->site, size);	/* dies if the field straddles a unit edge */
	if (kind == FGK_XREF_ABS64)
		*vec_push(&mk->abs64_decided) = r->site;
	/* An absolute field changes only if its target moves (the base delta is a reloc). */
	if (tu != FGK_UNIT_NONE)
		add_xref(mk, r->site, kind, tu);
	if (mk->img.type == ET_EXEC && !r->fixed && !r->percpu)
		add_reloc(mk, size == 8 ? FGK_RELOC_ABS64 : FGK_RELOC_ABS32, r->site);
}

/* An unrelaxed GOT load: PC32 to the slot, and the slot holds S. */
static void ref_got_slot(struct mk *mk, const struct ref *r)
{
	int32_t v = img_rd(&mk->img, r->site, 4, "GOTPCREL field");
	uint64_t slot_va = r->P + v - r->A, slot;
	struct ref sr = *r;

	if (!vaddr_to_off(&mk->img, slot_va, &slot) || slot + 8 > mk->img.image_size)
		rdie(mk, r, "the GOT slot it uses is not in the image");
	if (img_rd(&mk->img, slot, 8, "GOT slot") != r->S && !r->fixed)
		rdie(mk, r, "the GOT slot it uses does not hold the symbol's address");
	sr.fixed = false;
	sr.marker = NULL;		/* the field points at the slot */
	uint32_t su = unit_of_site(mk, r->site, 4), tu = target_of(mk, &sr, slot_va);

	if (su != tu)
		add_xref(mk, r->site, FGK_XREF_PC32, tu);
	uint32_t gu = value_target(mk, r, r->S);
	*vec_push(&mk->abs64_decided) = slot;
	if (gu != FGK_UNIT_NONE)
		add_xref(mk, slot, FGK_XREF_ABS64, gu);
	if (mk->img.type == ET_EXEC && !r->fixed && !r->percpu)
		add_reloc(mk, FGK_RELOC_ABS64, slot);
}

/*
 * GOTPCREL*: look at the instruction, as the linker may have relaxed it.
 *   P-3 REX  P-2 opcode  P-1 modrm  P: disp32
 *   8d /rip (lea)               relaxed: PC32 to S
 *   67 e8 / e8 ... 90 / e9 ... 90  relaxed call/jmp: PC32 to S
 *   c7, f7, 81 /reg (mov/test/binop $imm)  relaxed: ABS32S (REX.W) or ABS32
 *   other /rip                  unrelaxed: PC32 to the GOT slot
 */
static void ref_got(struct mk *mk, const struct ref *r)
{
	if (r->site < 3)
		rdie(mk, r, "too close to the image start to hold an instruction");
	const uint8_t *b = img_at(&mk->img, r->site - 3, 3, "GOTPCREL instruction");
	uint8_t rex = r->type == R_X86_64_REX_GOTPCRELX ? b[0] : 0, op = b[1], modrm = b[2];

	if (modrm == 0xe8 || modrm == 0xe9 || ((modrm & 0xc7) == 0x05 && op == 0x8d))
		ref_pc(mk, r, 4);
	else if ((modrm & 0xc7) == 0x05)
		ref_got_slot(mk, r);
	else if ((modrm & 0xc0) == 0xc0 && (op == 0xc7 || op == 0xf7 || op == 0x81))
		ref_abs(mk, r, (rex & 0x48) == 0x48 ? FGK_XREF_ABS32S : FGK_XREF_ABS32, 4);
	else
		rdie(mk, r, "unrecognised instruction");
}

static int field_size(uint32_t type)
{
	return type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;
}

/*
 * Inside an ABS64 table: counted, checked against its entries later.
 * In a PIE the dynamic relocations are counted instead.
 */
static void table_reloc(struct mk *mk, const struct ref *r, int table)
{
	struct mk_table *t = &mk->tables.v[table];

	if (r->type != R_X86_64_64 || r->fixed || r->percpu || mk->img.type != ET_EXEC)
		return;
	if ((r->site - t->t.offset) % t->t.entry_size != t->t.key_offset)
		rdie(mk, r, xasprintf("inside table %s but not at an entry's key", t->name));
	t->abs64_relocs++;
}

static void classify(struct mk *mk, struct ref *r)
{
	int table;

	if (in_skip(mk, r->site, &table)) {
		if (table >= 0)
			table_reloc(mk, r, table);
		else if (table == SKIP_XREFS && r->type == R_X86_64_64 &&
			 mk->img.type == ET_EXEC && !r->fixed && !r->percpu)
			add_reloc(mk, FGK_RELOC_ABS64, r->site);
		return;
	}
	switch (r->type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		ref_pc(mk, r, 4);
		break;
	case R_X86_64_PC64:
		ref_pc(mk, r, 8);
		break;
	case R_X86_64_64:
		ref_abs(mk, r, FGK_XREF_ABS64, 8);
		break;
	case R_X86_64_32:
		ref_abs(mk, r, FGK_XREF_ABS32, 4);
		break;
	case R_X86_64_32S:
		ref_abs(mk, r, FGK_XREF_ABS32S, 4);
		break;
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		ref_got(mk, r);
		break;
	default:
		rdie(mk, r, "unsupported relocation type");
	}
}

static void one_rela(struct mk *mk, const struct mk_sec *sec, const GElf_Rela *ra)
{
	struct ref r = { ra->r_offset, 0, sec, GELF_R_SYM(ra->r_info), 0, ra->r_addend,
			 GELF_R_TYPE(ra->r_info), false, false, false, NULL };

	if (r.type == R_X86_64_NONE)
		return;
	if (r.P < sec->addr || r.P + field_size(r.type) > sec->addr + sec->size)
		die_at(mk->img.path, sec->name, r.P - sec->addr, NULL,
		       "%s relocation outside its section", rtype_name(r.type));
	r.site = sec->img + (r.P - sec->addr);
	if (r.symi >= mk->img.nsyms)
		rdie(mk, &r, "bad symbol index");
	const struct mk_sym *s = &mk->img.syms[r.symi];

	r.S = s->shndx == SHN_UNDEF ? 0 : s->value;
	r.absolute = !r.symi || (s->shndx == SHN_ABS && !abs_relative(mk, s->name));
	r.fixed = s->shndx == SHN_UNDEF || r.absolute;
	r.percpu = percpu_sym(mk, s);
	r.marker = marker_of_sym(mk, r.symi);
	classify(mk, &r);
}

static bool walk_section(struct mk *mk, size_t i)
{
	const struct mk_sec *rs = &mk->img.secs[i];

	if ((rs->type != SHT_RELA && rs->type != SHT_REL) || (rs->flags & SHF_ALLOC) ||
	    !rs->info || rs->info >= mk->img.nsecs || !(mk->img.secs[rs->info].flags & SHF_ALLOC))
		return false;
	const struct mk_sec *sec = &mk->img.secs[rs->info];

	if (rs->type == SHT_REL)
		die_at(mk->img.path, rs->name, NOPOS, NULL, "SHT_REL relocations: x86-64 uses RELA");
	if (!sec->loaded)
		die_at(mk->img.path, rs->name, NOPOS, NULL, "relocations for %s, which is not loaded", sec->name);
	if (rs->link >= mk->img.nsecs || mk->img.secs[rs->link].type != SHT_SYMTAB)
		die_at(mk->img.path, rs->name, NOPOS, NULL, "sh_link is not the symbol table");
	Elf_Data *d = elf_getdata(elf_getscn(mk->img.elf, i), NULL);
	size_t n = rs->entsize ? rs->size / rs->entsize : 0;

	for (size_t j = 0; j < n; j++) {
		GElf_Rela ra;

		if (!d || !gelf_getrela(d, j, &ra))
			die_at(mk->img.path, rs->name, j * rs->entsize, NULL, "unreadable relocation");
		one_rela(mk, sec, &ra);
	}
	return true;
}

void refs_static(struct mk *mk)
{
	size_t found = 0;

	index_funcs(mk);
	for (size_t i = 1; i < mk->img.nsecs; i++)
		found += walk_section(mk, i);
	if (!found)
		die_at(mk->img.path, NULL, NOPOS, NULL,
		       "no .rela.* sections for loaded sections: link the image with --emit-relocs");
	if (mk->pad_fallbacks)
		warn("%llu reference(s) computed into region padding were given their symbol's unit, e.g. %s",
		     (unsigned long long)mk->pad_fallbacks, mk->pad_example);
}
