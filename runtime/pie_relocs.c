/* pie_relocs.c: fgk_map_use_pie_relocs: a PIE image's own RELA/RELR base relocations. */
#include "fgk_internal.h"

/*
 * A PIE image carries its base relocations as the linker wrote them,
 * in its own (init) data: R_X86_64_RELATIVE entries (.rela.dyn) and
 * their packed form (.relr.dyn). Both are read in place and decoded into
 * one ascending list of image offsets in the caller's memory, which the
 * runtime then uses as the image's ABS64 list (no copy in the map).
 *
 *   RELA:  | r_offset | r_info (type 8) | r_addend |   24 bytes each
 *   RELR:  | even word: address A; A is a site, next = A + 8          |
 *          | odd word: bit i (1..63) marks next + (i - 1) * 8;        |
 *          |           then next += 63 * 8                            |
 */

#define R_X86_64_NONE		0
#define R_X86_64_RELATIVE	8
#define RELA_SIZE		24u

/*
 * One step of a decoder: the next site's address, or 0 at the end. A site
 * at address 0 cannot be told from the end, and a bitmap needs an address
 * before it: either marks the list bad.
 */
struct relr_cursor {
	const uint8_t *at, *end;
	uint64_t next;		/* address the next bitmap's bit 1 stands for */
	uint64_t bits;		/* rest of the current bitmap, shifted to bit 0 */
	uint64_t bit_addr;	/* address of bits' bit 0 */
	int have_addr;		/* an address word came: a bitmap may follow */
	int bad;
};

static uint64_t relr_next(struct relr_cursor *c)
{
	for (;;) {
		while (c->bits) {
			uint64_t addr = c->bit_addr;
			int hit = c->bits & 1;

			c->bits >>= 1;
			c->bit_addr += 8;
			if (hit) {
				c->bad |= !addr;
				return addr;
			}
		}
		if (c->end - c->at < 8)
			return 0;
		uint64_t w = fgk_rd64(c->at);

		c->at += 8;
		if (!(w & 1)) {
			c->next = w + 8;
			c->have_addr = 1;
			c->bad |= !w;
			return w;
		}
		c->bad |= !c->have_addr;	/* a bitmap before any address */
		c->bits = w >> 1;
		c->bit_addr = c->next;
		c->next += 63 * 8;
	}
}

struct rela_cursor {
	const uint8_t *at, *end;
	int bad;		/* an entry of another type */
};

static uint64_t rela_next(struct rela_cursor *c)
{
	while (c->end - c->at >= RELA_SIZE) {
		uint64_t offset = fgk_rd64(c->at), type = fgk_rd64(c->at + 8) & 0xffffffffu;

		c->at += RELA_SIZE;
		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE || !offset) {
			c->bad = 1;
			return 0;
		}
		return offset;
	}
	return 0;
}

/*
 * Merge both lists into `sites` (image offsets from link_base, at most
 * `cap` of them); NULL sites only counts. Returns the number of sites, or -1 if a list is unsorted,
 * holds another relocation type, a site at 0 or one outside 32-bit offsets.
 */
static int64_t decode(const uint8_t *rela, uint64_t rela_size, const uint8_t *relr,
		      uint64_t relr_size, uint64_t link_base, uint32_t *sites, uint64_t cap)
{
	/* an empty list may be NULL: no arithmetic on it */
	struct rela_cursor a = { rela, rela_size ? rela + rela_size : rela, 0 };
	struct relr_cursor r = { relr, relr_size ? relr + relr_size : relr, 0, 0, 0, 0, 0 };
	uint64_t va = rela_next(&a), vr = relr_next(&r), prev = 0;
	int64_t n = 0;

	while (va || vr) {
		uint64_t v = (!vr || (va && va < vr)) ? va : vr;

		if (v <= prev || v < link_base || v - link_base > UINT32_MAX)
			return -1;
		if (sites && (uint64_t)n < cap)
			sites[n] = (uint32_t)(v - link_base);
		n++;
		prev = v;
		if (v == va)
			va = rela_next(&a);
		else
			vr = relr_next(&r);
	}
	return a.bad || r.bad ? -1 : n;
}

static int bad_lists(const void *rela, uint64_t rela_size, const void *relr, uint64_t relr_size)
{
	return (rela_size && !rela) || (relr_size && !relr) || rela_size % RELA_SIZE ||
	       relr_size % 8 || ((uintptr_t)rela & 7) || ((uintptr_t)relr & 7);
}

int64_t fgk_pie_relocs_count(const void *rela, uint64_t rela_size, const void *relr,
			     uint64_t relr_size, uint64_t link_base)
{
	if (bad_lists(rela, rela_size, relr, relr_size))
		return -1;
	return decode(rela, rela_size, relr, relr_size, link_base, NULL, 0);
}

int fgk_map_use_pie_relocs(struct fgk_map *map, const void *rela, uint64_t rela_size,
			   const void *relr, uint64_t relr_size, uint32_t *sites,
			   uint64_t sites_size)
{
	int64_t n;

	if (!map || !map->hdr)
		return FGK_E_ARG;
	for (uint32_t k = 0; k < FGK_NR_RELOC_KINDS; k++) {
		map->relocs[k] = 0;
		map->nr_relocs[k] = 0;
	}
	map->reloc_base = 0;
	map->relocs_missing = 1;
	if (!(map->hdr->flags & FGK_MAP_IMAGE_RELOCS) || !(map->hdr->flags & FGK_MAP_PIE) ||
	    (!sites && sites_size) || ((uintptr_t)sites & 3))
		return FGK_E_ARG;
	n = fgk_pie_relocs_count(rela, rela_size, relr, relr_size, map->hdr->link_base);
	if (n < 0 || n > UINT32_MAX)
		return FGK_E_RELOC;
	if ((uint64_t)n > sites_size / 4)
		return FGK_E_NOMEM;
	decode(rela, rela_size, relr, relr_size, map->hdr->link_base, sites, (uint64_t)n);
	/* Their sites are checked by fgk_map_check, like the map's own. */
	map->relocs[FGK_RELOC_ABS64] = sites;
	map->nr_relocs[FGK_RELOC_ABS64] = (uint32_t)n;
	map->relocs_missing = 0;
	return FGK_OK;
}
