/* loader_check_kallsyms.c: a run's kallsyms must be in address order, searchable both ways, and agree with the code. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"

/* Address order, inside the movable text, and no two functions overlapping. */
static void check_addresses(const struct run *run, struct checker *c, const struct ksyms *ks)
{
	uint64_t lo = (uint64_t)(uintptr_t)run_at(run, run->img->text);
	uint64_t hi = (uint64_t)(uintptr_t)run_at(run, run->img->text_end);

	for (uint32_t i = 0; i < ks->n; i++) {
		uint64_t size = ksyms_size(run->img, ks->name[i]);
		uint64_t end = ks->addr[i] + size;

		if (size == E2E_NO_SIZE) {
			check_fail(c, "kallsyms: %s is no function of the image", ks->name[i]);
			continue;
		}

		CHECK(c, ks->addr[i] >= lo && end <= hi, "kallsyms: %s at %#llx is outside the text",
		      ks->name[i], (unsigned long long)ks->addr[i]);
		if (i + 1 < ks->n)
			CHECK(c, end <= ks->addr[i + 1] || ks->addr[i] == ks->addr[i + 1],
			      "kallsyms: %s [%#llx, %#llx) overlaps %s at %#llx", ks->name[i],
			      (unsigned long long)ks->addr[i], (unsigned long long)end, ks->name[i + 1],
			      (unsigned long long)ks->addr[i + 1]);
	}
}

/*
 * seqs_of_names is a permutation that sorts the names, equal names by
 * address (scripts/kallsyms.c); both lookups find every symbol.
 */
static void check_lookups(struct checker *c, const struct ksyms *ks)
{
	uint8_t *seen = xcalloc(ks->n, 1);

	for (uint32_t k = 0, prev = 0; k < ks->n; k++) {
		uint32_t s = ((uint32_t)ks->seqs[3 * k] << 16) | ((uint32_t)ks->seqs[3 * k + 1] << 8) |
			     ks->seqs[3 * k + 2];

		if (s >= ks->n || seen[s]++) {
			check_fail(c, "kallsyms_seqs_of_names[%u] = %u: not a permutation", k, s);
			break;
		}
		int order = k ? strcmp(ks->name[prev], ks->name[s]) : -1;
		if (order > 0 || (!order && ks->addr[prev] > ks->addr[s])) {
			check_fail(c, "kallsyms_seqs_of_names[%u]: %s at %#llx after %s at %#llx", k,
				   ks->name[s], (unsigned long long)ks->addr[s], ks->name[prev],
				   (unsigned long long)ks->addr[prev]);
			break;
		}
		prev = s;
	}
	for (uint32_t i = 0; i < ks->n; i++) {
		int64_t by_name = ksyms_lookup_name(ks, ks->name[i]);
		int64_t by_addr = ksyms_lookup_addr(ks, ks->addr[i]);

		CHECK(c, by_name >= 0 && !strcmp(ks->name[by_name], ks->name[i]),
		      "kallsyms: lookup of name %s failed", ks->name[i]);
		CHECK(c, by_addr >= 0 && ks->addr[by_addr] == ks->addr[i],
		      "kallsyms: lookup of %s's address %#llx failed", ks->name[i],
		      (unsigned long long)ks->addr[i]);
	}
	free(seen);
}

/* Where kallsyms says each entry function is must be where the entry table points. */
static void check_entries(const struct run *run, struct checker *c, const struct ksyms *ks)
{
	const struct image *img = run->img;

	for (uint64_t i = 0; i < img->nr_entries; i++) {
		const struct e2e_entry *e = (const void *)run_at(run, img->entries + i * sizeof(*e));
		int64_t j = ksyms_lookup_name(ks, img->entry_names[i]);

		CHECK(c, j >= 0 && ks->addr[j] == (uint64_t)(uintptr_t)e->fn,
		      "kallsyms: %s at %#llx, the entry table says %p", img->entry_names[i],
		      j >= 0 ? (unsigned long long)ks->addr[j] : 0ull, e->fn);
	}
}

/* Markers that stay put: text bounds, and the fixed range's bounds. */
static int is_fixed_marker(const char *name)
{
	return !strcmp(name, "_stext") || !strcmp(name, "_etext") ||
	       !strncmp(name, "__e2e_fixed_", 12);
}

/*
 * image.conf: functions in the fixed range (fixed_*) keep their place, up
 * to the base move; those in the block (block_*) all move by one amount;
 * so do the block's markers in kallsyms, while _stext, _etext and the fixed
 * range's markers stay; alt_* functions stay in the second region; aligned(64) ones (a64_*) move by multiples of 64 (the symbol of a padded
 * one is 16 bytes into its section, so its address is not itself aligned).
 */
static void check_placement(const struct run *run, struct checker *c, const struct ksyms *ks)
{
	uint64_t alt = (uint64_t)(uintptr_t)run_at(run, run->img->alt);
	unsigned nr_fixed = 0, nr_block = 0, nr_block_markers = 0;
	int64_t block_shift = 0;

	for (uint32_t i = 0; i < ks->n; i++) {
		const struct func_info *f = image_func(run->img, ks->name[i]);
		int64_t shift = f ? (int64_t)(ks->addr[i] - (f->link + run->delta)) : 0;

		if (f && !strncmp(f->name, "a64_", 4) && !strchr(f->name, '.'))
			CHECK(c, shift % 64 == 0, "%s moved by %lld: lost its 64-byte alignment", f->name,
			      (long long)shift);

		if (f && !strncmp(f->name, "fixed_", 6)) {
			CHECK(c, shift == 0, "%s in the fixed range moved by %lld", f->name, (long long)shift);
			nr_fixed++;
		}
		if (f && f->size)
			CHECK(c, (ks->addr[i] >= alt) == !strncmp(f->name, "alt_", 4),
			      "%s at %#llx is in the wrong region", f->name, (unsigned long long)ks->addr[i]);
		if (f && is_fixed_marker(f->name) && shift)
			known_gap(c, GAP_MARKER_OWNER, "kallsyms: marker %s moved by %lld", f->name,
				  (long long)shift);
		if (f && !strncmp(f->name, "__e2e_block_", 12))
			nr_block_markers++;
		if (f && (!strncmp(f->name, "block_", 6) || !strncmp(f->name, "__e2e_block_", 12))) {
			if (!nr_block++)
				block_shift = shift;
			CHECK(c, shift == block_shift, "%s moved by %lld, the block's first by %lld",
			      f->name, (long long)shift, (long long)block_shift);
		}
	}
	CHECK(c, nr_fixed >= 1 && nr_block >= 2 + 2 && nr_block_markers == 2,
	      "%u fixed and %u block functions and markers: nothing to check", nr_fixed, nr_block);
}

static void record(const struct ksyms *ks, struct observed *obs)
{
	XXH64_state_t *st = XXH64_createState();

	XXH64_reset(st, 0);
	obs->nr_syms = ks->n;
	obs->ks_names = xcalloc(ks->n, sizeof(*obs->ks_names));
	for (uint32_t i = 0; i < ks->n; i++) {
		obs->ks_names[i] = strdup(ks->name[i]);
		XXH64_update(st, ks->name[i], strlen(ks->name[i]) + 1);
	}
	qsort(obs->ks_names, ks->n, sizeof(*obs->ks_names), by_str);
	obs->order_hash = XXH64_digest(st);
	XXH64_freeState(st);
}

void observe_kallsyms(const struct run *run, struct checker *c, struct observed *obs)
{
	struct ksyms ks;

	if (ksyms_read(run, c, &ks)) {
		check_addresses(run, c, &ks);
		check_lookups(c, &ks);
		check_entries(run, c, &ks);
		check_placement(run, c, &ks);
		check_ranges(run, c, &ks);
		record(&ks, obs);
	}
	ksyms_free(&ks);
}
