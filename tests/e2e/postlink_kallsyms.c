/* postlink_kallsyms.c: fill the kallsyms arrays of an e2e image in the kernel's format (no token compression). */
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "postlink.h"

/*
 * As scripts/kallsyms with CONFIG_KALLSYMS_ABSOLUTE_PERCPU off:
 *
 *   kallsyms_num_syms        u32
 *   kallsyms_offsets[n]      u32: address - kallsyms_relative_base
 *   kallsyms_names           per symbol, in address order:
 *                              len (ULEB128: 1 byte if < 128, else 2),
 *                              type letter, name (len counts both)
 *   kallsyms_markers[]       u32: names offset of symbols 0, 256, 512...
 *   kallsyms_seqs_of_names   3 bytes big-endian per symbol: the address-
 *                            order index of the i-th symbol by name
 *
 * The names are raw bytes: a token table adds nothing the shuffle sees.
 */

static size_t name_len(const struct func_sym *f)
{
	size_t len = 1 + strlen(f->name);

	if (len > 0x3fff)
		die("symbol %s: name too long for kallsyms", f->name);
	return len;
}

static size_t entry_size(const struct func_sym *f)
{
	size_t len = name_len(f);

	return (len < 0x80 ? 1 : 2) + len;
}

struct kallsyms_sizes kallsyms_sizes(const struct func_sym *funcs, size_t count)
{
	struct kallsyms_sizes s = { .nr_syms = count, .markers = (count + 255) / 256 };

	for (size_t i = 0; i < count; i++)
		s.names += entry_size(&funcs[i]);
	return s;
}

static void check_space(const struct elf_file *elf, const char *sym, size_t need)
{
	const Elf64_Sym *s = elf_symbol(elf, sym);

	if (!s)
		die("%s: no symbol %s (not linked with the reserve file?)", elf->path, sym);
	if (s->st_size != need)
		die("%s: %s has %llu bytes, needs %zu: relink with a new reserve file",
		    elf->path, sym, (unsigned long long)s->st_size, need);
}

static uint8_t *space(const struct elf_file *elf, const char *sym, size_t need)
{
	check_space(elf, sym, need);
	return elf_bytes(elf, elf_need_symbol(elf, sym), need);
}

static void fill_names(uint8_t *names, uint8_t *markers, const struct func_sym *funcs, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = name_len(&funcs[i]);

		if (i % 256 == 0)
			wr32(markers + 4 * (i / 256), (uint32_t)at);
		if (len < 0x80) {
			names[at++] = (uint8_t)len;
		} else {
			names[at++] = (uint8_t)((len & 0x7f) | 0x80);
			names[at++] = (uint8_t)(len >> 7);
		}
		names[at++] = (uint8_t)funcs[i].type;
		memcpy(names + at, funcs[i].name, len - 1);
		at += len - 1;
	}
}

static const struct func_sym *sort_funcs;

/* By name (without the type letter), ties by address order, as scripts/kallsyms. */
static int by_name(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c = strcmp(sort_funcs[a].name, sort_funcs[b].name);

	return c ? c : (a > b) - (a < b);
}

static void fill_seqs(uint8_t *seqs, const struct func_sym *funcs, size_t n)
{
	uint32_t *order = xcalloc(n, sizeof(*order));

	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	sort_funcs = funcs;
	qsort(order, n, sizeof(*order), by_name);
	for (size_t i = 0; i < n; i++) {
		seqs[3 * i] = (uint8_t)(order[i] >> 16);
		seqs[3 * i + 1] = (uint8_t)(order[i] >> 8);
		seqs[3 * i + 2] = (uint8_t)order[i];
	}
	free(order);
}

void kallsyms_fill(struct elf_file *elf, const struct func_sym *funcs, size_t n)
{
	struct kallsyms_sizes s = kallsyms_sizes(funcs, n);
	uint64_t base = rd64(space(elf, "kallsyms_relative_base", 8));
	uint8_t *offsets = space(elf, "kallsyms_offsets", 4 * n);

	if (n >= 1u << 24)
		die("%s: %zu symbols do not fit 3-byte seqs", elf->path, n);
	wr32(space(elf, "kallsyms_num_syms", 4), (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		if (funcs[i].addr < base || funcs[i].addr - base > UINT32_MAX)
			die("%s: %s at 0x%llx is out of reach of kallsyms_relative_base", elf->path,
			    funcs[i].name, (unsigned long long)funcs[i].addr);
		wr32(offsets + 4 * i, (uint32_t)(funcs[i].addr - base));
	}
	fill_names(space(elf, "kallsyms_names", s.names), space(elf, "kallsyms_markers", 4 * s.markers),
		   funcs, n);
	fill_seqs(space(elf, "kallsyms_seqs_of_names", 3 * n), funcs, n);
}
