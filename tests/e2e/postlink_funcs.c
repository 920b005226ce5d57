/* postlink_funcs.c: the function symbols of an e2e image's .text, in address order. */
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "postlink.h"

static char type_letter(const Elf64_Sym *sym)
{
	switch (ELF64_ST_BIND(sym->st_info)) {
	case STB_GLOBAL:
		return 'T';
	case STB_WEAK:
		return 'W';
	default:
		return 't';
	}
}

/* As scripts/kallsyms: by address; ties (aliases) by name, for determinism. */
static int by_addr(const void *pa, const void *pb)
{
	const struct func_sym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->name, b->name);
}

struct func_sym *collect_funcs(const struct elf_file *elf, size_t *count)
{
	const Elf64_Shdr *text = elf_need_section(elf, ".text");
	size_t text_index = text - elf->shdrs;
	struct func_sym *funcs = xcalloc(elf->nr_syms, sizeof(*funcs));
	size_t n = 0;

	for (size_t i = 1; i < elf->nr_syms; i++) {
		const Elf64_Sym *sym = &elf->syms[i];

		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_shndx != text_index)
			continue;
		funcs[n++] = (struct func_sym){
			.addr = sym->st_value,
			.size = sym->st_size,
			.name = elf_sym_name(elf, sym),
			.type = type_letter(sym),
		};
	}
	if (!n)
		die("%s: no function symbols in .text", elf->path);
	qsort(funcs, n, sizeof(*funcs), by_addr);
	*count = n;
	return funcs;
}
