/* loader_tables.c: a run's re-sorted ORC, __mcount_loc and __ex_table must be sorted and point into the right functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"

static uint64_t rel_addr(const uint8_t *field)
{
	return (uint64_t)(uintptr_t)field + (int64_t)(int32_t)rd32(field);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_terminator(const uint8_t *orc)
{
	return (orc[5] & 7) == E2E_ORC_TYPE_UNDEFINED;
}

/* orc_find(): the last entry whose ip is at or below addr. */
static int64_t orc_find(const uint8_t *ips, uint64_t n, uint64_t addr)
{
	int64_t lo = 0, hi = (int64_t)n - 1, found = -1;

	while (lo <= hi) {
		int64_t mid = lo + (hi - lo) / 2;

		if (rel_addr(ips + 4 * mid) <= addr) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

static void check_orc_sorted(const struct run *run, struct checker *c)
{
	const uint8_t *ips = run_at(run, run->img->orc_ip), *orc = run_at(run, run->img->orc);

	for (uint64_t i = 1; i < run->img->nr_orc; i++) {
		uint64_t a = rel_addr(ips + 4 * (i - 1)), b = rel_addr(ips + 4 * i);

		CHECK(c, a < b || (a == b && !(is_terminator(orc + E2E_ORC_SIZE * i) &&
					       !is_terminator(orc + E2E_ORC_SIZE * (i - 1)))),
		      "ORC %llu: ip %#llx after %#llx (terminator first at equal ip)",
		      (unsigned long long)i, (unsigned long long)b, (unsigned long long)a);
	}
}

/* Inside every function (start, middle, last byte) the lookup finds that function's entry. */
static void check_orc_lookups(const struct run *run, struct checker *c, const struct ksyms *ks)
{
	const struct image *img = run->img;
	const uint8_t *ips = run_at(run, img->orc_ip), *orc = run_at(run, img->orc);

	for (uint32_t i = 0; i < ks->n; i++) {
		uint64_t size = ksyms_size(img, ks->name[i]);
		uint32_t hash = e2e_name_hash(ks->name[i]);

		if (size == E2E_NO_SIZE || !size)
			continue;
		uint64_t probe[3] = { ks->addr[i], ks->addr[i] + size / 2, ks->addr[i] + size - 1 };
		for (int k = 0; k < 3; k++) {
			int64_t e = orc_find(ips, img->nr_orc, probe[k]);
			const uint8_t *o = orc + E2E_ORC_SIZE * e;

			CHECK(c, e >= 0 && !is_terminator(o) &&
				 (rd16(o) | (uint32_t)rd16(o + 2) << 16) == hash,
			      "ORC lookup at %s+%#llx found %s", ks->name[i],
			      (unsigned long long)(probe[k] - ks->addr[i]),
			      e < 0 ? "nothing" : is_terminator(o) ? "a terminator" : "another function");
		}
	}
}

/*
 * One past each function's end the lookup finds either "ended" (a
 * terminator, or the entry of a function starting right there: which of
 * the two depends on the padding after the unit) or, for a function
 * followed by more code in its section, its "own" last entry. A shuffle
 * must keep that for every function; a terminator that moved with the
 * wrong unit shows up as "own" where the unit now ends before a gap.
 */
static const char *orc_after(const struct run *run, const struct ksyms *ks, uint32_t i,
			     uint64_t end)
{
	const uint8_t *ips = run_at(run, run->img->orc_ip), *orc = run_at(run, run->img->orc);
	int64_t e = orc_find(ips, run->img->nr_orc, end), j = ksyms_lookup_addr(ks, end);
	const uint8_t *o = orc + E2E_ORC_SIZE * e;
	uint32_t hash = e >= 0 ? rd16(o) | (uint32_t)rd16(o + 2) << 16 : 0;

	if (e < 0)
		return "nothing";
	if (is_terminator(o) || (j >= 0 && ks->addr[j] == end && hash == e2e_name_hash(ks->name[j])))
		return "ended";
	return hash == e2e_name_hash(ks->name[i]) ? "own" : "other";
}

static void record_orc_ends(const struct run *run, const struct ksyms *ks, struct observed *obs)
{
	char line[600];

	obs->orc_ends = xcalloc(ks->n, sizeof(char *));
	for (uint32_t i = 0; i < ks->n; i++) {
		uint64_t size = ksyms_size(run->img, ks->name[i]);

		snprintf(line, sizeof(line), "%s:%s", ks->name[i],
			 size == E2E_NO_SIZE ? "?" : orc_after(run, ks, i, ks->addr[i] + size));
		obs->orc_ends[i] = strdup(line);
	}
	qsort(obs->orc_ends, ks->n, sizeof(char *), by_str);
}


/* Sorted, and each entry is exactly a function's start: records which functions. */
static void check_mcount(const struct run *run, struct checker *c, const struct ksyms *ks,
			 struct observed *obs)
{
	const struct image *img = run->img;
	const uint8_t *tab = run_at(run, img->mcount);

	obs->mcount_funcs = xcalloc(img->nr_mcount, sizeof(char *));
	for (uint64_t i = 0; i < img->nr_mcount; i++) {
		uint64_t v = rd64(tab + 8 * i);
		int64_t j = ksyms_lookup_addr(ks, v);

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
	int64_t j = ksyms_lookup_addr(ks, addr);
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
		int64_t j = ksyms_lookup_addr(ks, fn);
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
		check_orc_sorted(run, c);
		check_orc_lookups(run, c, &ks);
		record_orc_ends(run, &ks, obs);
		check_mcount(run, c, &ks, obs);
		check_extable(run, c, &ks, obs);
		check_marks(run, c, &ks, obs);
		check_padding(run, c, &ks, obs);
	}
	ksyms_free(&ks);
}
