/* fuzz_pie.c: libFuzzer harness: any RELA/RELR lists: fgk_pie_relocs_count and fgk_map_use_pie_relocs decode exactly what a plain reading of the ELF rules gives, or refuse. */
#include <stdlib.h>
#include <string.h>

#include "fgk.h"

/*
 * Input: a byte k, then k RELA entries (24 bytes each, as far as the input
 * goes), then RELR words (the rest, in whole words). The lists are copied
 * to buffers of exactly their size (8-byte aligned). The promises:
 *   - the count is what the reference below finds, or -1 exactly when it
 *     refuses the lists;
 *   - fgk_map_use_pie_relocs with room for exactly that many sites fills
 *     them with the reference's sites and takes them; with one site less
 *     it says FGK_E_NOMEM; refused lists give FGK_E_RELOC; on any error the
 *     map keeps no list;
 *   - nothing is read or written outside the buffers (ASan, UBSan).
 */

#define LINK_BASE	0xffffffff81000000ull

/*
 * The reference: RELA R_X86_64_RELATIVE (type 8; NONE skipped) and RELR as
 * the ELF gABI describes them, merged; sites strictly ascending, nonzero,
 * within 4 GiB above the link base. -1 if not.
 */
static int64_t reference(const uint64_t *rela, size_t nrela, const uint64_t *relr, size_t nrelr,
			 uint64_t *va)
{
	/* at most one site per RELA entry, 63 per RELR word */
	uint64_t *a = malloc(sizeof(*a) * (nrela + 1)), *r = malloc(sizeof(*r) * (63 * nrelr + 1));
	size_t na = 0, nr = 0, n = 0, i = 0, j = 0;
	int have_addr = 0;
	uint64_t where = 0, prev = 0;
	int64_t ret = 0;

	for (size_t e = 0; e < nrela; e++) {
		uint32_t type = (uint32_t)rela[3 * e + 1];

		if (type == 0)
			continue;
		if (type != 8)
			ret = -1;
		a[na++] = rela[3 * e];
	}
	for (size_t w = 0; w < nrelr; w++) {
		if (!(relr[w] & 1)) {
			r[nr++] = relr[w];
			where = relr[w] + 8;
			have_addr = 1;
			continue;
		}
		if (!have_addr)
			ret = -1;	/* a bitmap continues an address */
		for (int bit = 1; bit < 64; bit++)
			if (relr[w] >> bit & 1)
				r[nr++] = where + 8ull * (bit - 1);
		where += 63 * 8;
	}
	while (!ret && (i < na || j < nr)) {
		uint64_t v = j == nr || (i < na && a[i] < r[j]) ? a[i++] : r[j++];

		if (!v || v <= prev || v < LINK_BASE || v - LINK_BASE > UINT32_MAX)
			ret = -1;
		else
			va[n++] = v;
		prev = v;
	}
	free(a);
	free(r);
	return ret ? -1 : (int64_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fgk_map_header hdr = { .flags = FGK_MAP_PIE | FGK_MAP_IMAGE_RELOCS,
				      .link_base = LINK_BASE };
	struct fgk_map map = { .hdr = &hdr };
	size_t k, rela_size, relr_size;
	uint64_t *rela, *relr, *va;
	uint32_t *sites;
	int64_t n, want;
	int err;

	if (!size || size > 24 * 255 + 8 * 4096)
		return 0;
	k = data[0];
	rela_size = k * 24 < size - 1 ? k * 24 : (size - 1) / 24 * 24;
	relr_size = (size - 1 - rela_size) / 8 * 8;
	rela = malloc(rela_size + 1);
	relr = malloc(relr_size + 1);
	va = malloc(sizeof(*va) * (rela_size / 24 + 63 * (relr_size / 8) + 1));
	memcpy(rela, data + 1, rela_size);
	memcpy(relr, data + 1 + rela_size, relr_size);
	want = reference(rela, rela_size / 24, relr, relr_size / 8, va);
	n = fgk_pie_relocs_count(rela_size ? rela : NULL, rela_size, relr_size ? relr : NULL,
				 relr_size, LINK_BASE);
	if (n != want)
		abort();
	sites = malloc(4 * (size_t)(n > 0 ? n : 0) + 1);
	err = fgk_map_use_pie_relocs(&map, rela_size ? rela : NULL, rela_size,
				     relr_size ? relr : NULL, relr_size, sites, 4 * (n > 0 ? n : 0));
	if (n < 0 ? err != FGK_E_RELOC || !map.relocs_missing || map.nr_relocs[FGK_RELOC_ABS64]
		  : err != FGK_OK || map.relocs_missing || map.nr_relocs[FGK_RELOC_ABS64] != n)
		abort();
	for (int64_t i = 0; i < n; i++)
		if (sites[i] != (uint32_t)(va[i] - LINK_BASE))
			abort();
	if (n > 0 && (fgk_map_use_pie_relocs(&map, rela_size ? rela : NULL, rela_size,
					     relr_size ? relr : NULL, relr_size, sites,
					     4 * (n - 1)) != FGK_E_NOMEM || !map.relocs_missing))
		abort();
	free(sites);
	free(va);
	free(relr);
	free(rela);
	return 0;
}
