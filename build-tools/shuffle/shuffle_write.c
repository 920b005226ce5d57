/* shuffle_write.c: write a shuffled image back as an ELF: loaded sections, moved symbols, stale sections dropped. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shuffle.h"

/*
 * Static relocations (--emit-relocs) and DWARF describe the link-time
 * layout; after a shuffle they would mislead objdump -dr and gdb, so they
 * go. Everything else keeps its file offset (ELF_F_LAYOUT): the program
 * headers stay valid and the loaded bytes land where they were.
 */
static int is_stale(const struct elfimg *in, size_t ndx)
{
	GElf_Shdr sh;
	const char *name = elfimg_secname(in, ndx);

	elfimg_shdr(in, ndx, &sh);
	if (sh.sh_flags & SHF_ALLOC)
		return 0;
	if (sh.sh_type == SHT_REL || sh.sh_type == SHT_RELA)
		return 1;
	return !strncmp(name, ".debug", 6) || !strncmp(name, ".zdebug", 7) ||
	       !strncmp(name, ".stab", 5) || !strncmp(name, ".gnu.debuglto", 13);
}

/* Old section index -> new one; 0 for dropped sections. */
static size_t *renumber_sections(const struct elfimg *in)
{
	size_t *map = xcalloc(in->nr_secs, sizeof(*map));
	size_t next = 1;

	for (size_t i = 1; i < in->nr_secs; i++) {
		GElf_Shdr sh;
		elfimg_shdr(in, i, &sh);
		if (sh.sh_type == SHT_SYMTAB_SHNDX)
			die("%s: SHT_SYMTAB_SHNDX (more than 65k sections) is not supported", in->path);
		map[i] = is_stale(in, i) ? 0 : next++;
	}
	return map;
}

static int moves_with_base(const struct elfimg *in, size_t shndx)
{
	return in->sec_off[shndx] != ELFIMG_NO_OFF &&
	       elfimg_follows_base(in, in->sec_off[shndx]);
}

static uint64_t new_sym_value(const struct elfimg *in, const struct fgk_map *map,
			      const struct shuffle_result *res, const struct elfimg_sym *s)
{
	uint64_t v = s->value;

	if (s->img_off == ELFIMG_NO_OFF)
		return v;
	uint32_t u = unit_of_symbol(map, s);
	if (u != NO_UNIT)
		v += (int64_t)res->unit_delta[u];
	if (elfimg_follows_base(in, s->img_off))
		v += res->base_delta;
	return v;
}

/* The .symtab bytes of OUT: values follow the new layout, indices renumbered. */
static Elf64_Sym *new_symtab(const struct elfimg *in, const struct fgk_map *map,
			     const struct shuffle_result *res, const size_t *secmap)
{
	Elf64_Sym *out = xcalloc(in->nr_syms, sizeof(*out));
	Elf_Data *d = elf_getdata(elf_getscn(in->elf, in->symtab_ndx), NULL);

	for (size_t i = 0; i < in->nr_syms; i++) {
		GElf_Sym gs;
		gelf_getsym(d, i, &gs);
		const struct elfimg_sym *s = &in->syms[i];
		out[i] = (Elf64_Sym){ gs.st_name, gs.st_info, gs.st_other, gs.st_shndx,
				      new_sym_value(in, map, res, s), gs.st_size };
		if (s->type == STT_SECTION && s->shndx < in->nr_secs &&
		    moves_with_base(in, s->shndx))
			out[i].st_value += res->base_delta;
		if (gs.st_shndx == SHN_UNDEF || gs.st_shndx >= SHN_LORESERVE)
			continue;
		out[i].st_shndx = secmap[gs.st_shndx] ? secmap[gs.st_shndx] : SHN_ABS;
	}
	return out;
}

static void copy_header(const struct elfimg *in, Elf *out, const size_t *secmap, int64_t delta)
{
	GElf_Ehdr eh = in->ehdr;
	size_t phnum, strndx;

	if (!gelf_newehdr(out, ELFCLASS64) || elf_getphdrnum(in->elf, &phnum) ||
	    elf_getshdrstrndx(in->elf, &strndx))
		die("%s: %s", in->path, elf_errmsg(-1));
	eh.e_shstrndx = secmap[strndx];
	if (elfimg_off(in, eh.e_entry) != ELFIMG_NO_OFF &&
	    elfimg_follows_base(in, elfimg_off(in, eh.e_entry)))
		eh.e_entry += delta;
	if (!gelf_newphdr(out, phnum))
		die("%s: %s", in->path, elf_errmsg(-1));
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		gelf_getphdr(in->elf, i, &ph);
		if (ph.p_type != PT_NULL && ph.p_type != PT_GNU_STACK && ph.p_memsz) {
			uint64_t off = elfimg_off(in, ph.p_vaddr);
			if (off != ELFIMG_NO_OFF && elfimg_follows_base(in, off))
				ph.p_vaddr += delta;
		}
		gelf_update_phdr(out, i, &ph);
	}
	gelf_update_ehdr(out, &eh);
}

/* The bytes of section `i` in OUT. */
static void section_data(const struct elfimg *in, const struct shuffle_result *res, size_t i,
			 const GElf_Shdr *sh, Elf64_Sym *symtab, Elf_Data *d)
{
	d->d_type = ELF_T_BYTE;
	d->d_size = sh->sh_size;
	d->d_align = 1;
	d->d_version = EV_CURRENT;
	if (sh->sh_type == SHT_NOBITS)
		d->d_buf = NULL;
	else if (i == in->symtab_ndx)
		d->d_buf = symtab;
	else if (in->sec_off[i] != ELFIMG_NO_OFF)
		d->d_buf = (void *)(res->image + in->sec_off[i]);
	else {
		Elf_Data *raw = elf_rawdata(elf_getscn(in->elf, i), NULL);
		if (!raw || raw->d_size != sh->sh_size)
			die("%s: section %s: unreadable", in->path, elfimg_secname(in, i));
		d->d_buf = raw->d_buf;
	}
}

static void copy_sections(const struct elfimg *in, Elf *out, const size_t *secmap,
			  const struct shuffle_result *res, Elf64_Sym *symtab)
{
	for (size_t i = 1; i < in->nr_secs; i++) {
		GElf_Shdr sh;
		if (!secmap[i])
			continue;
		elfimg_shdr(in, i, &sh);
		Elf_Scn *scn = elf_newscn(out);
		Elf_Data *d = scn ? elf_newdata(scn) : NULL;
		if (!d)
			die("%s: %s", in->path, elf_errmsg(-1));
		section_data(in, res, i, &sh, symtab, d);
		sh.sh_link = sh.sh_link < in->nr_secs ? secmap[sh.sh_link] : 0;
		if (sh.sh_flags & SHF_INFO_LINK)
			sh.sh_info = sh.sh_info < in->nr_secs ? secmap[sh.sh_info] : 0;
		if (moves_with_base(in, i))
			sh.sh_addr += res->base_delta;
		gelf_update_shdr(scn, &sh);
	}
}

void shuffle_write_elf(const struct elfimg *in, const struct fgk_map *map,
		       const struct shuffle_result *res, const char *path)
{
	size_t *secmap = renumber_sections(in);
	Elf64_Sym *symtab = in->symtab_ndx ? new_symtab(in, map, res, secmap) : NULL;

	int fd = out_create(path, in->mode);
	Elf *out = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!out)
		die("%s: %s", path, elf_errmsg(-1));
	copy_header(in, out, secmap, res->base_delta);
	copy_sections(in, out, secmap, res, symtab);
	elf_flagelf(out, ELF_C_SET, ELF_F_LAYOUT);
	if (elf_update(out, ELF_C_WRITE) < 0)
		die("%s: writing ELF: %s", path, elf_errmsg(-1));
	elf_end(out);
	out_commit(fd, path);
	free(symtab);
	free(secmap);
}
