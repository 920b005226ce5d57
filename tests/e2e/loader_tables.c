/* loader_tables.c: a run's __mcount_loc, __ex_table, .e2e_sites and call padding must point into the right functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"

/* Sorted, and each entry is exactly a function's start: records which functions. */
static void check_mcount(const struct run *run, struct checker *c, const struct ksyms *ks,
			 struct observed *obs)
{
	const struct image *img = run->img;
	const uint8_t *tab = run_at(run, img->mcount);

	obs->mcount_funcs = xcalloc(img->nr_mcount, sizeof(char *));
	for (uint64_t i = 0; i < img->nr_mcount; i++) {
		uint64_t v = rd64(tab + 8 * i);
		int64_t j = ksyms_func_at(ks, img, v);

		if (i)
			CHECK(c, rd64(tab + 8 * (i - 1)) <= v, "__mcount_loc[%llu] = %#llx is out of order",
			      (unsigned long long)i, (unsigned long long)v);
		CHECK(c, j >= 0 && ks->addr[j] == v, "__mcount_loc[%llu] = %#llx is no function start",
		      (unsigned long long)i, (unsigned long long)v);
		obs->mcount_funcs[i] = strdup(j >= 0 && ks->addr[j] == v ? ks->name[j] : "?");
	}
	qsort(obs->mcount_funcs, img->nr_mcount, sizeof(char *), by_str);
}

/* "func+off" of an address inside a function, or "-" outside every function. */
static void describe(char *buf, size_t len, const struct run *run, const struct ksyms *ks,
		     uint64_t addr)
{
	int64_t j = ksyms_func_at(ks, run->img, addr);
	uint64_t size = j >= 0 ? ksyms_size(run->img, ks->name[j]) : 0;

	if (j >= 0 && size != E2E_NO_SIZE && addr - ks->addr[j] < size)
		snprintf(buf, len, "%s+%#llx", ks->name[j], (unsigned long long)(addr - ks->addr[j]));
	else
		snprintf(buf, len, "-");
}

/* Sorted by faulting instruction, each inside a function: records "insn fixup data" per entry. */
static void check_extable(const struct run *run, struct checker *c, const struct ksyms *ks,
			  struct observed *obs)
{
	const struct image *img = run->img;
	const uint8_t *tab = run_at(run, img->extable);

	obs->extable_sites = xcalloc(img->nr_extable, sizeof(char *));
	for (uint64_t i = 0; i < img->nr_extable; i++) {
		const uint8_t *e = tab + E2E_EX_SIZE * i;
		char insn[512], fixup[512], line[1100];

		if (i)
			CHECK(c, rel_addr(e - E2E_EX_SIZE) < rel_addr(e), "__ex_table[%llu] is out of order",
			      (unsigned long long)i);
		describe(insn, sizeof(insn), run, ks, rel_addr(e));
		describe(fixup, sizeof(fixup), run, ks, rel_addr(e + 4));
		CHECK(c, strcmp(insn, "-"), "__ex_table[%llu]: insn %#llx is in no function",
		      (unsigned long long)i, (unsigned long long)rel_addr(e));
		snprintf(line, sizeof(line), "%s %s %u", insn, fixup, rd32(e + 8));
		obs->extable_sites[i] = strdup(line);
	}
	qsort(obs->extable_sites, img->nr_extable, sizeof(char *), by_str);
}

/* Unsorted self-relative sites: each must still point at its nop, in the same function. */
static void check_marks(const struct run *run, struct checker *c, const struct ksyms *ks,
			struct observed *obs)
{
	const struct image *img = run->img;
	const uint8_t *tab = run_at(run, img->sites);

	obs->marks = xcalloc(img->nr_sites, sizeof(char *));
	for (uint64_t i = 0; i < img->nr_sites; i++) {
		uint64_t at = rel_addr(tab + 4 * i);
		int inside = at - (uint64_t)(uintptr_t)run->base < img->size;
		char where[512];

		describe(where, sizeof(where), run, ks, at);
		CHECK(c, inside && *(const uint8_t *)(uintptr_t)at == 0x90 && strcmp(where, "-"),
		      ".e2e_sites[%llu] points at %#llx (%s), not at a nop in a function",
		      (unsigned long long)i, (unsigned long long)at, where);
		obs->marks[i] = strdup(where);
	}
	qsort(obs->marks, img->nr_sites, sizeof(char *), by_str);
}

/* Each call padding entry: E2E_PADDING nops, then a function's first byte. */
static void check_padding(const struct run *run, struct checker *c, const struct ksyms *ks,
			  struct observed *obs)
{
	const struct image *img = run->img;
	const uint8_t *tab = run_at(run, img->patchable);

	obs->padded = xcalloc(img->nr_patchable, sizeof(char *));
	for (uint64_t i = 0; i < img->nr_patchable; i++) {
		uint64_t pad = rd64(tab + 8 * i), fn = pad + E2E_PADDING;
		int64_t j = ksyms_func_at(ks, img, fn);
		int nops = pad - (uint64_t)(uintptr_t)run->base < img->size;

		for (unsigned k = 0; nops && k < E2E_PADDING; k++)
			nops = *(const uint8_t *)(uintptr_t)(pad + k) == 0x90;
		CHECK(c, nops && j >= 0 && ks->addr[j] == fn,
		      "__patchable_function_entries[%llu] = %#llx: not %d nops before a function",
		      (unsigned long long)i, (unsigned long long)pad, E2E_PADDING);
		obs->padded[i] = strdup(j >= 0 && ks->addr[j] == fn ? ks->name[j] : "?");
	}
	qsort(obs->padded, img->nr_patchable, sizeof(char *), by_str);
}

void observe_tables(const struct run *run, struct checker *c, struct observed *obs)
{
	struct ksyms ks;

	if (ksyms_read(run, c, &ks)) {
		observe_orc(run, c, &ks, obs);
		check_mcount(run, c, &ks, obs);
		check_extable(run, c, &ks, obs);
		check_marks(run, c, &ks, obs);
		check_padding(run, c, &ks, obs);
	}
	ksyms_free(&ks);
}
