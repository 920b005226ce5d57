/* elf_file.c: read a linked ELF image into memory, look things up, write it back (host side). */
/*
 * Not the tools' loader (build-tools/lib/elfimg.c) on purpose: the e2e
 * tests read and patch the images with their own plain ELF64 code, so a
 * fault in the shared loader cannot hide behind itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "elf_file.h"

static void read_whole(struct elf_file *elf)
{
	FILE *f = fopen(elf->path, "rb");

	if (!f || fseek(f, 0, SEEK_END) || (long)(elf->size = ftell(f)) < 0)
		die("%s: cannot open", elf->path);
	rewind(f);
	elf->data = xcalloc(1, elf->size);
	if (fread(elf->data, 1, elf->size, f) != elf->size)
		die("%s: short read", elf->path);
	fclose(f);
}

static void check_range(const struct elf_file *elf, uint64_t off, uint64_t len, const char *what)
{
	if (off > elf->size || len > elf->size - off)
		die("%s: %s at 0x%llx+0x%llx is outside the file", elf->path, what,
		    (unsigned long long)off, (unsigned long long)len);
}

static void find_symtab(struct elf_file *elf)
{
	for (unsigned i = 0; i < elf->ehdr->e_shnum; i++) {
		const Elf64_Shdr *sh = &elf->shdrs[i];

		if (sh->sh_type != SHT_SYMTAB)
			continue;
		if (sh->sh_link >= elf->ehdr->e_shnum)
			die("%s: bad .symtab link", elf->path);
		const Elf64_Shdr *str = &elf->shdrs[sh->sh_link];
		check_range(elf, sh->sh_offset, sh->sh_size, ".symtab");
		check_range(elf, str->sh_offset, str->sh_size, ".strtab");
		elf->syms = (Elf64_Sym *)(elf->data + sh->sh_offset);
		elf->nr_syms = sh->sh_size / sizeof(Elf64_Sym);
		elf->strtab = (const char *)elf->data + str->sh_offset;
		return;
	}
	die("%s: no symbol table", elf->path);
}

void elf_read(struct elf_file *elf, const char *path)
{
	memset(elf, 0, sizeof(*elf));
	elf->path = path;
	read_whole(elf);
	check_range(elf, 0, sizeof(Elf64_Ehdr), "ELF header");
	elf->ehdr = (Elf64_Ehdr *)elf->data;
	if (memcmp(elf->ehdr->e_ident, ELFMAG, SELFMAG) || elf->ehdr->e_ident[EI_CLASS] != ELFCLASS64 ||
	    elf->ehdr->e_machine != EM_X86_64)
		die("%s: not an x86-64 ELF64 file", path);
	check_range(elf, elf->ehdr->e_shoff, (uint64_t)elf->ehdr->e_shnum * sizeof(Elf64_Shdr),
		    "section headers");
	check_range(elf, elf->ehdr->e_phoff, (uint64_t)elf->ehdr->e_phnum * sizeof(Elf64_Phdr),
		    "program headers");
	elf->shdrs = (Elf64_Shdr *)(elf->data + elf->ehdr->e_shoff);
	elf->phdrs = (Elf64_Phdr *)(elf->data + elf->ehdr->e_phoff);
	if (elf->ehdr->e_shstrndx >= elf->ehdr->e_shnum)
		die("%s: bad e_shstrndx", path);
	check_range(elf, elf->shdrs[elf->ehdr->e_shstrndx].sh_offset,
		    elf->shdrs[elf->ehdr->e_shstrndx].sh_size, ".shstrtab");
	elf->shstrtab = (const char *)elf->data + elf->shdrs[elf->ehdr->e_shstrndx].sh_offset;
	find_symtab(elf);
}

void elf_write(const struct elf_file *elf)
{
	FILE *f = fopen(elf->path, "r+b");

	if (!f || fwrite(elf->data, 1, elf->size, f) != elf->size || fclose(f))
		die("%s: cannot write back", elf->path);
}

void elf_free(struct elf_file *elf)
{
	free(elf->data);
	memset(elf, 0, sizeof(*elf));
}

const Elf64_Shdr *elf_section(const struct elf_file *elf, const char *name)
{
	for (unsigned i = 0; i < elf->ehdr->e_shnum; i++)
		if (!strcmp(elf->shstrtab + elf->shdrs[i].sh_name, name))
			return &elf->shdrs[i];
	return NULL;
}

const Elf64_Shdr *elf_need_section(const struct elf_file *elf, const char *name)
{
	const Elf64_Shdr *sh = elf_section(elf, name);

	if (!sh)
		die("%s: no section %s", elf->path, name);
	return sh;
}

const char *elf_sym_name(const struct elf_file *elf, const Elf64_Sym *sym)
{
	return elf->strtab + sym->st_name;
}

const Elf64_Sym *elf_symbol(const struct elf_file *elf, const char *name)
{
	for (size_t i = 1; i < elf->nr_syms; i++)
		if (!strcmp(elf_sym_name(elf, &elf->syms[i]), name))
			return &elf->syms[i];
	return NULL;
}

uint64_t elf_need_symbol(const struct elf_file *elf, const char *name)
{
	const Elf64_Sym *sym = elf_symbol(elf, name);

	if (!sym)
		die("%s: no symbol %s", elf->path, name);
	return sym->st_value;
}

void *elf_bytes(const struct elf_file *elf, uint64_t vaddr, size_t len)
{
	for (unsigned i = 0; i < elf->ehdr->e_shnum; i++) {
		const Elf64_Shdr *sh = &elf->shdrs[i];

		if (sh->sh_type != SHT_PROGBITS || !(sh->sh_flags & SHF_ALLOC))
			continue;
		if (vaddr < sh->sh_addr || vaddr - sh->sh_addr > sh->sh_size ||
		    len > sh->sh_size - (vaddr - sh->sh_addr))
			continue;
		check_range(elf, sh->sh_offset + (vaddr - sh->sh_addr), len, "section bytes");
		return elf->data + sh->sh_offset + (vaddr - sh->sh_addr);
	}
	die("%s: 0x%llx+0x%zx is not inside one PROGBITS section", elf->path,
	    (unsigned long long)vaddr, len);
}
