/* postlink_funcs.c: the function symbols and text markers of an e2e image's .text, in address order. */
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

/* Markers whose kallsyms entries must not move with the unit they touch (but the block's move with it). */
static const char *const markers[] = {
	"_stext", "_etext", "__e2e_fixed_start", "__e2e_fixed_end", "__e2e_block_start",
	"__e2e_block_end",
};

static int is_marker(const char *name)
{
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (!strcmp(name, markers[i]))
			return 1;
	return 0;
}

struct func_sym *collect_funcs(const struct elf_file *elf, size_t *count)
{
	size_t text = elf_need_section(elf, ".text") - elf->shdrs;
	size_t alt = elf_need_section(elf, ".alttext") - elf->shdrs;
	struct func_sym *funcs = xcalloc(elf->nr_syms, sizeof(*funcs));
	size_t n = 0, nr_markers = 0;

	for (size_t i = 1; i < elf->nr_syms; i++) {
		const Elf64_Sym *sym = &elf->syms[i];
		const char *name = elf_sym_name(elf, sym);
		int func = ELF64_ST_TYPE(sym->st_info) == STT_FUNC;

		if ((sym->st_shndx != text && sym->st_shndx != alt) || (!func && !is_marker(name)))
			continue;
		nr_markers += !func;
		funcs[n++] = (struct func_sym){
			.addr = sym->st_value,
			.size = sym->st_size,
			.name = name,
			.type = type_letter(sym),
			.is_func = func,
		};
	}
	if (nr_markers != sizeof(markers) / sizeof(markers[0]))
		die("%s: found %zu of the %zu .text markers", elf->path, nr_markers,
		    sizeof(markers) / sizeof(markers[0]));
	if (!n)
		die("%s: no function symbols in .text", elf->path);
	qsort(funcs, n, sizeof(*funcs), by_addr);
	*count = n;
	return funcs;
}
