/* verify_relocs.c: IN's static relocations (--emit-relocs) as a second opinion on the map's fields. */
#include "verify.h"

/*
 * A field the map left out is never fixed by the runtime, and the raw
 * comparison would call it unchanged and fine. IN's own relocations (kept
 * by --emit-relocs) name such fields, so they are checked decoded too.
 * Relocations inside the sorted tables are stale (pitfall 2) and skipped.
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
	*f = (struct field){ site, size, kind, FGK_NR_RELOC_KINDS, false, true,
			     in->syms[symi].type == STT_NOTYPE, GELF_R_TYPE(r->r_info), FGK_UNIT_NONE };
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
