/* loader_reloc.c: relocate a copy of an e2e image from the ELF's own relocations: the golden run, no runtime involved. */
#include "e2e_util.h"
#include "loader.h"

/*
 * Both ways add the base delta to what the field holds, as the kernel's
 * handle_relocations() does with vmlinux.relocs, rather than writing
 * S + A: __mcount_loc was sorted after the link, so the addends recorded
 * for its slots belong to other entries (sorted after the link) while the contents
 * are right.
 *
 *   PIE:     .rela.dyn, R_X86_64_RELATIVE only
 *   ET_EXEC: the static relocations kept by --emit-relocs: R_X86_64_64,
 *            _32 and _32S against symbols of the image (not SHN_ABS) in
 *            loaded sections; PC-relative ones do not change
 */

static uint8_t *site(const struct run *run, uint64_t vaddr, unsigned size)
{
	const struct image *img = run->img;

	if (vaddr < img->link_base || vaddr - img->link_base + size > img->size)
		die("%s: relocation at 0x%llx is outside the image", img->elf.path,
		    (unsigned long long)vaddr);
	return run_at(run, vaddr - img->link_base);
}

static void add32(const struct run *run, uint64_t vaddr, int is_signed)
{
	uint8_t *p = site(run, vaddr, 4);
	int64_t v = is_signed ? (int64_t)(int32_t)rd32(p) : (int64_t)rd32(p);
	int64_t moved = v + run->delta;

	if (is_signed ? moved != (int32_t)moved : moved != (int64_t)(uint32_t)moved)
		die("%s: 32-bit relocation at 0x%llx overflows by the base delta",
		    run->img->elf.path, (unsigned long long)vaddr);
	wr32(p, (uint32_t)moved);
}

static void relocate_pie(const struct run *run)
{
	const struct elf_file *elf = &run->img->elf;
	const Elf64_Shdr *sh = elf_need_section(elf, ".rela.dyn");
	const Elf64_Rela *r = (const Elf64_Rela *)(elf->data + sh->sh_offset);

	for (size_t i = 0; i < sh->sh_size / sizeof(*r); i++) {
		uint8_t *p;

		if (ELF64_R_TYPE(r[i].r_info) != R_X86_64_RELATIVE)
			die("%s: .rela.dyn entry %zu has type %llu", elf->path, i,
			    (unsigned long long)ELF64_R_TYPE(r[i].r_info));
		p = site(run, r[i].r_offset, 8);
		wr64(p, rd64(p) + run->delta);
	}
}

static void relocate_rela_section(const struct run *run, const Elf64_Shdr *sh)
{
	const struct elf_file *elf = &run->img->elf;
	const Elf64_Rela *r = (const Elf64_Rela *)(elf->data + sh->sh_offset);

	for (size_t i = 0; i < sh->sh_size / sizeof(*r); i++) {
		const Elf64_Sym *sym = &elf->syms[ELF64_R_SYM(r[i].r_info)];

		if (sym->st_shndx == SHN_ABS)
			continue;
		switch (ELF64_R_TYPE(r[i].r_info)) {
		case R_X86_64_64:
			wr64(site(run, r[i].r_offset, 8), rd64(site(run, r[i].r_offset, 8)) + run->delta);
			break;
		case R_X86_64_32:
			add32(run, r[i].r_offset, 0);
			break;
		case R_X86_64_32S:
			add32(run, r[i].r_offset, 1);
			break;
		}
	}
}

static void relocate_exec(const struct run *run)
{
	const struct elf_file *elf = &run->img->elf;

	for (unsigned i = 0; i < elf->ehdr->e_shnum; i++) {
		const Elf64_Shdr *sh = &elf->shdrs[i];

		if (sh->sh_type != SHT_RELA || sh->sh_info >= elf->ehdr->e_shnum ||
		    !(elf->shdrs[sh->sh_info].sh_flags & SHF_ALLOC))
			continue;
		relocate_rela_section(run, sh);
	}
}

void run_relocate_golden(struct run *run)
{
	if (!run->delta)
		return;
	if (run->img->pie)
		relocate_pie(run);
	else
		relocate_exec(run);
}
