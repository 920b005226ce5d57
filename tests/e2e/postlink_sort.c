/* postlink_sort.c: sort __ex_table and __mcount_loc by address after the link, as scripts/sorttable does. */
#include <stdlib.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "postlink.h"

/*
 * Sorting moves entries but not their static relocations (.rela__ex_table,
 * .rela__mcount_loc): those now describe whatever entry used to sit at
 * each offset. That staleness is deliberate, as in the kernel; the
 * shuffler must read the tables' contents.
 */

struct ex_abs {
	uint64_t insn, fixup;
	uint32_t data;
	size_t index;			/* original position: a stable tie-break */
};

static int by_insn(const void *pa, const void *pb)
{
	const struct ex_abs *a = pa, *b = pb;

	if (a->insn != b->insn)
		return a->insn < b->insn ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* Self-relative fields become absolute for the sort and relative again after. */
void sort_extable(struct elf_file *elf)
{
	uint64_t start = elf_need_symbol(elf, "__start___ex_table");
	uint64_t stop = elf_need_symbol(elf, "__stop___ex_table");
	size_t n = (stop - start) / E2E_EX_SIZE;
	uint8_t *table = elf_bytes(elf, start, stop - start);
	struct ex_abs *ents = xcalloc(n, sizeof(*ents));

	if ((stop - start) % E2E_EX_SIZE)
		die("%s: __ex_table size 0x%llx is not a multiple of %d", elf->path,
		    (unsigned long long)(stop - start), E2E_EX_SIZE);
	for (size_t i = 0; i < n; i++) {
		uint64_t at = start + i * E2E_EX_SIZE;
		uint8_t *e = table + i * E2E_EX_SIZE;

		ents[i].insn = at + (int32_t)rd32(e);
		ents[i].fixup = at + 4 + (int32_t)rd32(e + 4);
		ents[i].data = rd32(e + 8);
		ents[i].index = i;
	}
	qsort(ents, n, sizeof(*ents), by_insn);
	for (size_t i = 0; i < n; i++) {
		uint64_t at = start + i * E2E_EX_SIZE;
		uint8_t *e = table + i * E2E_EX_SIZE;

		wr32(e, (uint32_t)(ents[i].insn - at));
		wr32(e + 4, (uint32_t)(ents[i].fixup - (at + 4)));
		wr32(e + 8, ents[i].data);
	}
	free(ents);
}

static int by_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Absolute link-time addresses (in PIE too: ld writes RELATIVE addends into the field). */
void sort_mcount(struct elf_file *elf)
{
	uint64_t start = elf_need_symbol(elf, "__start_mcount_loc");
	uint64_t stop = elf_need_symbol(elf, "__stop_mcount_loc");
	size_t n = (stop - start) / 8;
	uint8_t *table = elf_bytes(elf, start, stop - start);
	uint64_t *addrs = xcalloc(n, sizeof(*addrs));

	for (size_t i = 0; i < n; i++)
		addrs[i] = rd64(table + 8 * i);
	qsort(addrs, n, sizeof(*addrs), by_u64);
	for (size_t i = 0; i < n; i++)
		wr64(table + 8 * i, addrs[i]);
	free(addrs);
}
