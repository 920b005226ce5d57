/* floor.c: the floor a shuffle is compared with: the least any shuffler of this image must do. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fgk_internal.h"

/*
 * Any shuffler must at least: copy the bytes it moves, rewrite each
 * reference field once, copy each re-sorted table (and its parallel
 * array) and the kallsyms arrays once, rewrite each base relocation field
 * once, and read its map. The floor does only that, with libc's memcpy
 * (vector code, which the runtime may not use) and plain loops over
 * precomputed site lists: a bound, not a rival. noinline: callgrind
 * counts each part as its own function.
 *
 * The old floor (until the map's version 3) was the copy and the map read
 * alone; both are reported.
 */

/* Every site to rewrite, as the runtime would find them (not timed). */
static void collect_sites(struct bench *b)
{
	const struct fgk_map *map = &b->map;
	struct fgk_xref_cursor c;
	struct fgk_ref r;
	uint64_t n = 0;

	b->nr_xref_sites = map->hdr->nr_xrefs;
	b->xref_sites = xcalloc(b->nr_xref_sites + 1, sizeof(*b->xref_sites));
	fgk_xref_cursor_init(&c, map);
	while (fgk_xref_next(&c, &r))
		b->xref_sites[n++] = r.site | (uint64_t)(r.kind == FGK_XREF_PC64 ||
							 r.kind == FGK_XREF_ABS64) << 32;
	n = 0;
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++)
		n += map->nr_relocs[k];
	b->nr_reloc_sites = n;
	b->reloc_sites = xcalloc(n + 1, sizeof(*b->reloc_sites));
	n = 0;
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < map->nr_relocs[k]; i++)
			b->reloc_sites[n++] = fgk_reloc_site(map, k, i) |
					      (uint64_t)(k == FGK_RELOC_ABS64) << 32;
}

/* Bytes of the tables and kallsyms arrays, the largest of them, for the copy buffer. */
static uint64_t largest_array(const struct bench *b)
{
	const struct fgk_map *map = &b->map;
	uint64_t most = b->region_bytes;

	for (uint32_t t = 0; t < map->hdr->nr_tables; t++) {
		const struct fgk_table *tb = &map->tables[t];

		most = fgk_max64(most, (uint64_t)tb->nr_entries * (tb->entry_size + tb->par_entry_size));
	}
	if (map->symtab)
		most = fgk_max64(most, map->symtab->names_size + 8ull * map->symtab->nr_syms);
	return most;
}

void floor_init(struct bench *b)
{
	collect_sites(b);
	b->floor_buf = xcalloc(largest_array(b), 1);
}

void floor_free(struct bench *b)
{
	free(b->xref_sites);
	free(b->reloc_sites);
	free(b->floor_buf);
}

__attribute__((noinline)) void floor_copy(const struct bench *b)
{
	uint8_t *to = b->floor_buf;

	for (uint32_t r = 0; r < b->map.hdr->nr_regions; r++) {
		memcpy(to, b->img.image + b->map.regions[r].start, b->region_unit_bytes[r]);
		to += b->region_unit_bytes[r];
	}
	__asm__ volatile("" : : "r"(b->floor_buf) : "memory");	/* the copy is used */
}

/* One read-modify-write of each field: site in the low 32 bits, 1 above for 8 bytes. */
static void rewrite(uint8_t *image, const uint64_t *sites, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *f = image + (uint32_t)sites[i];

		if (sites[i] >> 32)
			*(fgk_word *)f += 1;
		else
			*(fgk_word32 *)f += 1;
	}
	__asm__ volatile("" : : "r"(image) : "memory");
}

__attribute__((noinline)) void floor_fields(struct bench *b)
{
	rewrite(b->img.image, b->xref_sites, b->nr_xref_sites);
}

__attribute__((noinline)) void floor_relocs(struct bench *b)
{
	rewrite(b->img.image, b->reloc_sites, b->nr_reloc_sites);
}

__attribute__((noinline)) void floor_tables(const struct bench *b)
{
	const struct fgk_map *map = &b->map;

	for (uint32_t t = 0; t < map->hdr->nr_tables; t++) {
		const struct fgk_table *tb = &map->tables[t];
		uint64_t n = tb->nr_entries;

		memcpy(b->floor_buf, b->img.image + tb->offset, n * tb->entry_size);
		if (tb->par_entry_size)
			memcpy(b->floor_buf + n * tb->entry_size, b->img.image + tb->par_offset,
			       n * tb->par_entry_size);
		__asm__ volatile("" : : "r"(b->floor_buf) : "memory");
	}
}

__attribute__((noinline)) void floor_kallsyms(const struct bench *b)
{
	const struct fgk_symtab *st = b->map.symtab;
	uint8_t *to = b->floor_buf;

	if (!st)
		return;
	memcpy(to, b->img.image + st->offsets, 4ull * st->nr_syms);
	to += 4ull * st->nr_syms;
	memcpy(to, b->img.image + st->names, st->names_size);
	to += st->names_size;
	if (st->flags & FGK_SYMTAB_SEQS)
		memcpy(to, b->img.image + st->seqs, 3ull * st->nr_syms);
	__asm__ volatile("" : : "r"(b->floor_buf) : "memory");
}

__attribute__((noinline)) uint64_t floor_read_map(const void *buf, uint64_t size)
{
	const uint64_t *w = buf;
	uint64_t sum = 0, i;

	for (i = 0; i < size / 8; i++)
		sum += w[i];
	for (i *= 8; i < size; i++)
		sum += ((const uint8_t *)buf)[i];
	__asm__ volatile("" : "+r"(sum));	/* the sum is used */
	return sum;
}
