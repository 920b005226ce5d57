/* loader_orc.c: a run's re-sorted ORC-like tables must be sorted and find each function's own entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"

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
	int64_t e = orc_find(ips, run->img->nr_orc, end), j = ksyms_func_at(ks, run->img, end);
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
			 size == E2E_NO_SIZE ? "?" : !size ? "marker" :
			 orc_after(run, ks, i, ks->addr[i] + size));
		obs->orc_ends[i] = strdup(line);
	}
	qsort(obs->orc_ends, ks->n, sizeof(char *), by_str);
}

void observe_orc(const struct run *run, struct checker *c, const struct ksyms *ks,
		 struct observed *obs)
{
	check_orc_sorted(run, c);
	check_orc_lookups(run, c, ks);
	record_orc_ends(run, ks, obs);
}
