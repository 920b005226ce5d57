/* elf_file.h: read a linked ELF image into memory, look things up, write it back (host side). */
#ifndef E2E_ELF_FILE_H
#define E2E_ELF_FILE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct elf_file {
	const char *path;
	uint8_t *data;			/* the whole file */
	size_t size;
	Elf64_Ehdr *ehdr;
	Elf64_Shdr *shdrs;
	Elf64_Phdr *phdrs;
	const char *shstrtab;
	Elf64_Sym *syms;
	size_t nr_syms;
	const char *strtab;
};

/* Every call below dies with the file's name on malformed input. */
void elf_read(struct elf_file *elf, const char *path);
void elf_write(const struct elf_file *elf);
void elf_free(struct elf_file *elf);

const Elf64_Shdr *elf_section(const struct elf_file *elf, const char *name);	/* or NULL */
const Elf64_Shdr *elf_need_section(const struct elf_file *elf, const char *name);
const char *elf_sym_name(const struct elf_file *elf, const Elf64_Sym *sym);
const Elf64_Sym *elf_symbol(const struct elf_file *elf, const char *name);	/* or NULL */
uint64_t elf_need_symbol(const struct elf_file *elf, const char *name);

/* The file bytes of [vaddr, vaddr + len), which must lie in one PROGBITS section. */
void *elf_bytes(const struct elf_file *elf, uint64_t vaddr, size_t len);

#endif /* E2E_ELF_FILE_H */
