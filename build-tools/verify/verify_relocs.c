/* verify_relocs.c: IN's static relocations (--emit-relocs) as a second opinion on the map's fields. */
#include "verify.h"

/*
 * A field the map left out is never fixed by the runtime, and the raw
 * comparison would call it unchanged and fine. IN's own relocations (kept
 * by --emit-relocs) name such fields, so they are checked decoded too; at
 * the map's own fields, their symbols settle what an address alone cannot
 * (verify_target.c). Relocations inside the sorted tables are stale
 * (they describe the entries before sorting) and skipped.
 */

static bool is_static_rela(const struct elfimg *img, size_t i, GElf_Shdr *sh)
{
	elfimg_shdr(img, i, sh);
	return sh->sh_type == SHT_RELA && !(sh->sh_flags & SHF_ALLOC) && sh->sh_entsize &&
	       sh->sh_info < img->nr_secs && img->sec_off[sh->sh_info] != ELFIMG_NO_OFF;
}

size_t count_elf_relocs(const struct verify *v)
{
	size_t n = 0;
	GElf_Shdr sh;

	for (size_t i = 1; i < v->in.nr_secs; i++)
		if (is_static_rela(&v->in, i, &sh))
			n += sh.sh_size / sh.sh_entsize;
	return n;
}

/* Whether loaded section `ndx` lies outside every region (nothing in it moves). */
static bool section_fixed(const struct verify *v, size_t ndx)
{
	GElf_Shdr sh;

	if (ndx >= v->in.nr_secs || v->in.sec_off[ndx] == ELFIMG_NO_OFF)
		return false;
	elfimg_shdr(&v->in, ndx, &sh);
	for (uint32_t i = 0; i < v->map.hdr->nr_regions; i++) {
		const struct fgk_region *r = &v->map.regions[i];
		if (v->in.sec_off[ndx] < r->end && v->in.sec_off[ndx] + sh.sh_size > r->start)
			return false;
	}
	return true;
}

/* The xref kind a relocation type makes, or 0 for types not checked. */
static unsigned kind_of(unsigned type)
{
	switch (type) {
	case R_X86_64_64: return FGK_XREF_ABS64;
	case R_X86_64_32: return FGK_XREF_ABS32;
	case R_X86_64_32S: return FGK_XREF_ABS32S;
	case R_X86_64_PC32: case R_X86_64_PLT32: return FGK_XREF_PC32;
	case R_X86_64_PC64: return FGK_XREF_PC64;
	default: return 0;
	}
}

/* What the relocation's symbol says about the target (struct field). */
static void note_symbol(const struct verify *v, const struct elfimg_sym *s, struct field *f)
{
	f->named = s->type != STT_SECTION && s->name[0];
	f->sym_label = f->named && s->type == STT_NOTYPE;
	f->sym_base = follows_base(v, s->value);
	f->sym_unit = f->named ? unit_of_symbol(&v->map, s) : NO_UNIT;
	if ((f->named && f->sym_unit == NO_UNIT) || (!f->named && section_fixed(v, s->shndx)))
		f->sym_unit = UNIT_STAYS;
}

static bool make_field(const struct verify *v, const GElf_Shdr *sh, const GElf_Rela *r,
		       struct field *f)
{
	const struct elfimg *in = &v->in;
	unsigned kind = kind_of(GELF_R_TYPE(r->r_info));
	size_t symi = GELF_R_SYM(r->r_info);
	GElf_Shdr target;

	elfimg_shdr(in, sh->sh_info, &target);
	if (!kind || symi >= in->nr_syms || in->syms[symi].shndx == SHN_UNDEF ||
	    in->syms[symi].shndx == SHN_ABS || r->r_offset < target.sh_addr ||
	    r->r_offset - target.sh_addr >= target.sh_size)
		return false;
	uint64_t site = in->sec_off[sh->sh_info] + (r->r_offset - target.sh_addr);
	unsigned size = kind == FGK_XREF_ABS64 || kind == FGK_XREF_PC64 ? 8 : 4;
	if (site + size > in->size || v->kind[site] == BYTE_TABLE)
		return false;
	*f = (struct field){ .site = site, .size = size, .xkind = kind, .rkind = FGK_NR_RELOC_KINDS,
			     .elf_only = true, .rtype = GELF_R_TYPE(r->r_info), .tunit = FGK_UNIT_NONE };
	note_symbol(v, &in->syms[symi], f);
	return true;
}

size_t add_elf_relocs(struct verify *v, struct field *out)
{
	size_t n = 0;
	GElf_Shdr sh;

	for (size_t i = 1; i < v->in.nr_secs; i++) {
		if (!is_static_rela(&v->in, i, &sh))
			continue;
		Elf_Data *d = elf_getdata(elf_getscn(v->in.elf, i), NULL);
		for (size_t k = 0; d && k < sh.sh_size / sh.sh_entsize; k++) {
			GElf_Rela r;
			if (gelf_getrela(d, k, &r) && make_field(v, &sh, &r, &out[n]))
				n++;
		}
	}
	return n;
}
