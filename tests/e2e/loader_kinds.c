/* loader_kinds.c: the kinds of run: golden (ELF relocations), unshuffled and shuffled (runtime). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "loader.h"

/*
 * Fixed bases, so that two loaders (host library, boot object) can compare
 * the bytes they produce. PIE: high, 2 MiB aligned, a different one per
 * run. ET_EXEC: low, so its 32-bit absolute references still fit: run
 * n > 0 goes (n % 16 - 8) steps of 2 MiB from the link base, so base
 * deltas are negative, positive, and zero (n % 16 == 8: a shuffle without
 * a base move); the golden run (n = 0) one step up.
 */
uint64_t base_for(const struct image *img, unsigned n)
{
	int64_t steps = n ? (int64_t)(n % 16) - 8 : 1;

	if (img->pie)
		return 0x5a0000000000ull + (uint64_t)n * 37 * (2 << 20);
	return img->link_base + (uint64_t)(steps * (2 << 20));
}

static void map_or_die(struct run *run, const struct image *img, uint64_t want)
{
	if (run_map(run, img, want))
		die("cannot map %s at %#llx", img->elf.path, (unsigned long long)want);
}

static void observe(const struct run *run, struct checker *c, struct observed *obs)
{
	observe_calls(run, c, obs);
	observe_kallsyms(run, c, obs);
	observe_tables(run, c, obs);
}

/* Golden run: relocated by the ELF, never touched by the runtime. Returns its base. */
uint64_t golden(const struct image *img, struct observed *obs, uint64_t *hash)
{
	struct checker c = { .what = "golden run" };
	struct run run;

	map_or_die(&run, img, base_for(img, 0));
	run_relocate_golden(&run);
	observe(&run, &c, obs);
	*hash = run_hash(&run);
	uint64_t base = (uint64_t)(uintptr_t)run.base;
	run_unmap(&run);
	if (c.failures)
		die("%s: %u failures in the golden run: the image or e2e-postlink is broken",
		    img->elf.path, c.failures);
	return base;
}

/* FGK_NO_SHUFFLE at the golden base: the map's base relocations must give the same bytes. */
unsigned unshuffled(const struct image *img, const struct observed *want, uint64_t base,
			   uint64_t golden_hash)
{
	struct checker c = { .what = "unshuffled run" };
	struct observed obs = { 0 };
	struct run run;
	int err;

	map_or_die(&run, img, base);
	err = run_shuffle(&run, 0, FGK_NO_SHUFFLE);
	CHECK(&c, !err, "fgk_shuffle: %s", fgk_strerror(err));
	CHECK(&c, run_hash(&run) == golden_hash,
	      "bytes differ from the golden run's (base relocations of the map vs the ELF's)");
	CHECK(&c, run.stats.units_moved == 0, "%u units moved", run.stats.units_moved);
	observe(&run, &c, &obs);
	compare_observed(&c, want, &obs, img);
	observed_free(&obs, img);
	run_unmap(&run);
	return c.failures;
}

struct seed_result shuffled(const struct image *img, const struct observed *want,
				   uint64_t seed, uint64_t base, int quiet)
{
	char what[64];
	struct checker c = { .what = what, .quiet = quiet };
	struct observed obs = { 0 };
	struct seed_result r = { 0 };
	struct run run;
	int err;

	snprintf(what, sizeof(what), "seed %llu", (unsigned long long)seed);
	map_or_die(&run, img, base);
	r.base = (uint64_t)(uintptr_t)run.base;
	err = run_shuffle(&run, seed, 0);
	r.err = err;
	if (err) {
		check_fail(&c, "fgk_shuffle: %s", fgk_strerror(err));
	} else {
		r.image_hash = run_hash(&run);
		observe(&run, &c, &obs);
		compare_observed(&c, want, &obs, img);
		r.order_hash = obs.order_hash;
		observed_free(&obs, img);
	}
	r.units = run.stats.units;
	r.moved = run.stats.units_moved;
	r.failures = c.failures;
	run_unmap(&run);
	return r;
}

/*
 * ET_EXEC far above 4 GiB: its 32-bit absolute fields cannot hold the new
 * addresses, so the runtime must refuse before writing a byte.
 */
unsigned out_of_reach(const struct image *img)
{
	struct checker c = { .what = "base beyond 32-bit reach" };
	struct run run;
	int err;

	map_or_die(&run, img, 0x200000000000ull);
	err = run_shuffle(&run, 1, 0);
	if (err == FGK_OK)
		check_fail(&c, "fgk_shuffle accepted a base delta of %#llx (32-bit fields truncated)",
			   (unsigned long long)run.delta);
	else
		CHECK(&c, !memcmp(run.base, img->pristine, img->size),
		      "fgk_shuffle failed (%s) but wrote", fgk_strerror(err));
	run_unmap(&run);
	return c.failures;
}
