/* postlink.h: the steps of e2e-postlink, which finishes a linked e2e image like sorttable + kallsyms. */
#ifndef E2E_POSTLINK_H
#define E2E_POSTLINK_H

#include "elf_file.h"
#include "ldmap.h"	/* build-tools/lib */

/* A function symbol of the movable text, as kallsyms and ORC see it. */
struct func_sym {
	uint64_t addr;
	uint64_t size;
	const char *name;
	char type;		/* 'T' global, 't' local, 'W' weak */
	int is_func;		/* 0: a linker-script marker such as _stext */
};

/*
 * Function symbols in .text, and the linker-script markers a kernel's
 * kallsyms also lists (_stext, _etext, range starts and ends), sorted by
 * address then name.
 */
struct func_sym *collect_funcs(const struct elf_file *elf, size_t *count);

/* ORC-like entry before it is written: absolute ip plus the 6 bytes. */
struct orc_ent {
	uint64_t ip;
	uint8_t orc[6];
};

struct orc_ent *orc_build(const struct func_sym *funcs, size_t nr_funcs,
			  const struct ld_insec *secs, size_t nr_secs, size_t *count);
void orc_fill(struct elf_file *elf, const struct orc_ent *ents, size_t count);

/* Sizes of the kallsyms arrays for a set of symbols. */
struct kallsyms_sizes {
	size_t nr_syms;
	size_t names;
	size_t markers;		/* entries */
};

struct kallsyms_sizes kallsyms_sizes(const struct func_sym *funcs, size_t count);
void kallsyms_fill(struct elf_file *elf, const struct func_sym *funcs, size_t count);

void sort_extable(struct elf_file *elf);
void sort_mcount(struct elf_file *elf);

#endif /* E2E_POSTLINK_H */
