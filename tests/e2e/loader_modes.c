/* loader_modes.c: what e2e-loader runs: the golden run alone, or many seeds with summary checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e2e_util.h"
#include "loader.h"

#define MIN_MOVED_PERCENT 90	/* of units, in ... */
#define MIN_SEED_PERCENT 90	/* ... of seeds */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static unsigned distinct(const struct seed_result *r, unsigned n)
{
	uint64_t *h = xcalloc(n, sizeof(*h));
	unsigned d = 0;

	for (unsigned i = 0; i < n; i++)
		h[i] = r[i].order_hash;
	qsort(h, n, sizeof(*h), by_u64);
	for (unsigned i = 0; i < n; i++)
		d += i == 0 || h[i] != h[i - 1];
	free(h);
	return d;
}

/* Same seed and base: the same bytes; another seed at that base: other bytes. */
static void check_determinism(const struct image *img, const struct observed *want,
			      const struct seed_result *first, struct checker *c)
{
	struct seed_result again = shuffled(img, want, 1, first->base, 0);
	struct seed_result other = shuffled(img, want, 2, first->base, 0);

	CHECK(c, again.image_hash == first->image_hash, "seed 1 twice at %#llx: different bytes",
	      (unsigned long long)first->base);
	CHECK(c, other.image_hash != first->image_hash, "seeds 1 and 2 at %#llx: the same bytes",
	      (unsigned long long)first->base);
	c->failures += again.failures + other.failures;
}

/* One number for all the bytes the shuffles produced, to compare across builds. */
static uint64_t digest(const struct seed_result *r, unsigned n)
{
	uint64_t d = 0;

	for (unsigned i = 0; i < n; i++)
		d = (d ^ r[i].image_hash) * 0x9e3779b97f4a7c15ull;
	return d;
}

static unsigned well_moved(const struct seed_result *r, unsigned n, double *min_percent)
{
	unsigned good = 0;

	*min_percent = 100;
	for (unsigned i = 0; i < n; i++) {
		double p = r[i].units ? 100.0 * r[i].moved / r[i].units : 0;

		good += p >= MIN_MOVED_PERCENT;
		if (p < *min_percent)
			*min_percent = p;
	}
	return good;
}

int golden_mode(const struct image *img)
{
	struct observed want = { 0 };
	uint64_t hash;

	golden(img, &want, &hash);	/* dies on failure */
	printf("e2e-loader: %s: golden run passed: %llu entries, %u faults fixed, %zu symbols\n",
	       img->elf.path, (unsigned long long)img->nr_entries, want.faults, want.nr_syms);
	observed_free(&want, img);
	return 0;
}

int seeds_mode(const struct image *img, unsigned seeds)
{
	struct checker c = { .what = img->elf.path };
	struct seed_result *r = xcalloc(seeds, sizeof(*r));
	struct observed want = { 0 };
	double t0 = now(), min_moved;
	uint64_t hash, base = golden(img, &want, &hash);

	c.failures += unshuffled(img, &want, base, hash);
	if (!img->pie)
		c.failures += out_of_reach(img);
	for (unsigned s = 0; s < seeds; s++) {
		r[s] = shuffled(img, &want, s + 1, base_for(img, s + 1), 0);
		c.failures += r[s].failures;
	}
	check_determinism(img, &want, &r[0], &c);
	unsigned layouts = distinct(r, seeds), good = well_moved(r, seeds, &min_moved);
	CHECK(&c, layouts == seeds, "%u seeds gave only %u different function orders", seeds, layouts);
	CHECK(&c, good * 100 >= MIN_SEED_PERCENT * seeds, "only %u of %u seeds moved >= %d%% of units",
	      good, seeds, MIN_MOVED_PERCENT);
	report_known_gaps();
	printf("e2e-loader: %s: %u seeds %s in %.1f s: %llu entries x %d inputs, %u faults fixed per run, "
	       "%zu symbols, %llu ORC, %llu mcount, %llu extable, %llu sites, %llu padded; %u layouts; >= %d%% of %u units moved "
	       "in %u seeds (min %.1f%%); digest %016llx\n",
	       img->elf.path, seeds, c.failures ? "FAILED" : "passed", now() - t0,
	       (unsigned long long)img->nr_entries, E2E_NR_INPUTS, want.faults, want.nr_syms,
	       (unsigned long long)img->nr_orc, (unsigned long long)img->nr_mcount,
	       (unsigned long long)img->nr_extable, (unsigned long long)img->nr_sites,
	       (unsigned long long)img->nr_patchable, layouts,
	       MIN_MOVED_PERCENT, r[0].units, good,
	       min_moved, (unsigned long long)digest(r, seeds));
	observed_free(&want, img);
	free(r);
	return c.failures ? 1 : 0;
}
