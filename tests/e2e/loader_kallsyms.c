/* loader_kallsyms.c: read a run's kallsyms arrays and check them with the kernel's own lookups. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "e2e_util.h"
#include "loader.h"

/* Decode names (ULEB128 length, type letter, bytes) and check the markers on the way. */
static int read_names(const struct run *run, struct checker *c, struct ksyms *ks)
{
	const struct image *img = run->img;
	const uint8_t *names = run_at(run, img->ks_names);
	const uint8_t *end = run_at(run, img->size);
	uint64_t at = 0;

	for (uint32_t i = 0; i < ks->n; i++) {
		const uint8_t *p = names + at;
		uint32_t len = p[0], hdr = 1;

		if (p[0] & 0x80) {
			len = (p[0] & 0x7f) | ((uint32_t)p[1] << 7);
			hdr = 2;
		}
		if (i % 256 == 0 && rd32(run_at(run, img->ks_markers) + 4 * (i / 256)) != at) {
			check_fail(c, "kallsyms_markers[%u] is %u, symbol %u starts at %llu", i / 256,
				   rd32(run_at(run, img->ks_markers) + 4 * (i / 256)), i,
				   (unsigned long long)at);
			return 0;
		}
		if (len < 2 || p + hdr + len > end) {
			check_fail(c, "kallsyms name %u: bad length %u", i, len);
			return 0;
		}
		ks->name[i] = strndup((const char *)p + hdr + 1, len - 1);
		at += hdr + len;
	}
	return 1;
}

int ksyms_read(const struct run *run, struct checker *c, struct ksyms *ks)
{
	const struct image *img = run->img;
	uint64_t base = rd64(run_at(run, img->ks_base));
	const uint8_t *offsets = run_at(run, img->ks_offsets);

	memset(ks, 0, sizeof(*ks));
	ks->n = rd32(run_at(run, img->ks_num));
	if (ks->n == 0 || img->ks_offsets + 4ull * ks->n > img->size) {
		check_fail(c, "kallsyms_num_syms %u does not fit", ks->n);
		return 0;
	}
	CHECK(c, base == (uint64_t)(uintptr_t)run_at(run, img->text),
	      "kallsyms_relative_base %#llx, text is at %p", (unsigned long long)base,
	      (void *)run_at(run, img->text));
	ks->addr = xcalloc(ks->n, sizeof(*ks->addr));
	ks->name = xcalloc(ks->n, sizeof(*ks->name));
	ks->seqs = run_at(run, img->ks_seqs);
	for (uint32_t i = 0; i < ks->n; i++)
		ks->addr[i] = base + rd32(offsets + 4 * i);
	return read_names(run, c, ks);
}

void ksyms_free(struct ksyms *ks)
{
	for (uint32_t i = 0; ks->name && i < ks->n; i++)
		free((void *)ks->name[i]);
	free(ks->name);
	free(ks->addr);
	memset(ks, 0, sizeof(*ks));
}

static uint32_t seq(const struct ksyms *ks, uint32_t i)
{
	const uint8_t *p = ks->seqs + 3 * i;

	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

/* kallsyms_lookup_names(): binary search in name order, then the first of equal names. */
int64_t ksyms_lookup_name(const struct ksyms *ks, const char *name)
{
	int64_t low = 0, high = (int64_t)ks->n - 1, mid = 0;
	int cmp = 1;

	while (low <= high) {
		mid = low + (high - low) / 2;
		cmp = strcmp(name, ks->name[seq(ks, (uint32_t)mid)]);
		if (cmp > 0)
			low = mid + 1;
		else if (cmp < 0)
			high = mid - 1;
		else
			break;
	}
	if (cmp)
		return -1;
	while (mid > 0 && !strcmp(name, ks->name[seq(ks, (uint32_t)mid - 1)]))
		mid--;
	return seq(ks, (uint32_t)mid);
}

/* get_symbol_pos(): the last symbol at or below addr, then the first at its address. */
int64_t ksyms_lookup_addr(const struct ksyms *ks, uint64_t addr)
{
	uint32_t low = 0, high = ks->n;

	if (addr < ks->addr[0])
		return -1;
	while (high - low > 1) {
		uint32_t mid = low + (high - low) / 2;

		if (ks->addr[mid] <= addr)
			low = mid;
		else
			high = mid;
	}
	while (low && ks->addr[low - 1] == ks->addr[low])
		low--;
	return low;
}

int64_t ksyms_func_at(const struct ksyms *ks, const struct image *img, uint64_t addr)
{
	int64_t j = ksyms_lookup_addr(ks, addr);

	while (j >= 0 && (uint32_t)j + 1 < ks->n && ks->addr[j + 1] == ks->addr[j] &&
	       ksyms_size(img, ks->name[j]) == 0)
		j++;
	return j;
}
