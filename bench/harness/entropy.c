/* entropy.c: the entropy mode: per seed, how many units and bytes move, how far, and where chosen units land. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_TRACKED 8

/* A unit's place after a shuffle, for ranking a region's units by it. */
struct placed {
	int64_t offset;
	uint32_t unit;
};

/* Landing statistics of the largest region (the kernel's .text). */
struct landing {
	uint32_t region, first, n, bins;
	uint64_t *matrix;		/* bins x bins: old index bucket -> new index bucket */
	uint32_t tracked[MAX_TRACKED];	/* region-local unit indices */
	uint32_t nr_tracked;
	uint32_t *new_index;		/* per unit of the map, this seed */
	struct placed *placed;
};

static int by_offset(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static void track(struct landing *l, uint32_t local)
{
	for (uint32_t i = 0; i < l->nr_tracked; i++)
		if (l->tracked[i] == local)
			return;
	if (l->nr_tracked < MAX_TRACKED)
		l->tracked[l->nr_tracked++] = local;
}

/* First, quartiles, last, the largest and the most aligned unit of the region. */
static void choose_tracked(struct landing *l, const struct fgk_map *map)
{
	uint32_t biggest = 0, aligned = 0;

	for (uint32_t k = 0; k < l->n; k++) {
		const struct fgk_unit *u = &map->units[l->first + k];

		if (u->size > map->units[l->first + biggest].size)
			biggest = k;
		if (u->align > map->units[l->first + aligned].align)
			aligned = k;
	}
	track(l, 0);
	track(l, l->n / 4);
	track(l, l->n / 2);
	track(l, 3 * (l->n / 4));
	track(l, l->n - 1);
	track(l, biggest);
	track(l, aligned);
}

static void landing_init(struct landing *l, const struct bench *b, uint32_t bins)
{
	const struct fgk_map *map = &b->map;

	memset(l, 0, sizeof(*l));
	for (uint32_t r = 1; r < map->hdr->nr_regions; r++)
		if (map->regions[r].nr_units > map->regions[l->region].nr_units)
			l->region = r;
	l->first = map->hdr->nr_regions ? map->regions[l->region].first_unit : 0;
	l->n = map->hdr->nr_regions ? map->regions[l->region].nr_units : 0;
	l->bins = bins;
	l->matrix = xcalloc((size_t)bins * bins, sizeof(uint64_t));
	l->new_index = xcalloc(map->hdr->nr_units, sizeof(uint32_t));
	l->placed = xcalloc(map->hdr->nr_units, sizeof(struct placed));
	if (l->n)
		choose_tracked(l, map);
}

/* Rank every region's units by their new offset; the sum of |new - old| index. */
static uint64_t rank_units(struct landing *l, const struct fgk_map *map, const int32_t *delta)
{
	uint64_t moved_places = 0;

	for (uint32_t r = 0; r < map->hdr->nr_regions; r++) {
		const struct fgk_region *reg = &map->regions[r];

		for (uint32_t k = 0; k < reg->nr_units; k++) {
			uint32_t u = reg->first_unit + k;
			l->placed[k] = (struct placed){ (int64_t)map->units[u].offset + delta[u], u };
		}
		qsort(l->placed, reg->nr_units, sizeof(*l->placed), by_offset);
		for (uint32_t k = 0; k < reg->nr_units; k++) {
			uint32_t u = l->placed[k].unit, old = u - reg->first_unit;
			l->new_index[u] = k;
			moved_places += k > old ? k - old : old - k;
		}
	}
	return moved_places;
}

static void count_landings(struct landing *l)
{
	for (uint32_t k = 0; k < l->n; k++) {
		uint64_t from = (uint64_t)k * l->bins / l->n;
		uint64_t to = (uint64_t)l->new_index[l->first + k] * l->bins / l->n;
		l->matrix[from * l->bins + to]++;
	}
}

static void write_landing_info(const struct landing *l, const struct bench *b, const char *path)
{
	FILE *f = fopen(path, "a");

	if (!f)
		die("%s: cannot append", path);
	fprintf(f, "landing_region,%u\nlanding_units,%u\nbins,%u\n", l->region, l->n, l->bins);
	for (uint32_t i = 0; i < l->nr_tracked; i++) {
		const struct fgk_unit *u = &b->map.units[l->first + l->tracked[i]];
		fprintf(f, "track:%u,%u %u %u %s\n", i, l->tracked[i], u->size, u->align,
			unit_name(b, l->first + l->tracked[i]));
	}
	for (uint32_t i = 0; i < l->bins * l->bins; i++)
		fprintf(f, "matrix:%u:%u,%" PRIu64 "\n", i / l->bins, i % l->bins, l->matrix[i]);
	fclose(f);
}

static void one_seed(struct bench *b, struct landing *l, int32_t *delta, uint64_t seed, FILE *out)
{
	struct fgk_stats st = { 0 };
	struct fgk_shuffle_args args = { .seed = seed, .stats = &st, .unit_delta = delta };
	uint64_t disp_bytes = 0;

	bench_restore(b);
	bench_shuffle(b, &b->map, &args);
	for (uint32_t u = 0; u < b->map.hdr->nr_units; u++)
		disp_bytes += (uint64_t)(delta[u] < 0 ? -(int64_t)delta[u] : delta[u]);
	uint64_t disp_places = rank_units(l, &b->map, delta);
	count_landings(l);
	fprintf(out, "%s,%" PRIu64 ",units_moved,%u\n", b->config, seed, st.units_moved);
	fprintf(out, "%s,%" PRIu64 ",bytes_moved,%" PRIu64 "\n", b->config, seed, st.bytes_moved);
	fprintf(out, "%s,%" PRIu64 ",disp_bytes_sum,%" PRIu64 "\n", b->config, seed, disp_bytes);
	fprintf(out, "%s,%" PRIu64 ",disp_places_sum,%" PRIu64 "\n", b->config, seed, disp_places);
	for (uint32_t i = 0; i < l->nr_tracked; i++)
		fprintf(out, "%s,%" PRIu64 ",land:%u,%u\n", b->config, seed, i,
			l->new_index[l->first + l->tracked[i]]);
}

void run_entropy(struct bench *b, const struct bench_opts *o)
{
	struct landing l;
	int32_t *delta = xcalloc(b->map.hdr->nr_units, sizeof(int32_t));
	FILE *out = open_csv(o->out, "config,seed,what,value");
	uint64_t every = o->seeds >= 10 ? o->seeds / 5 : 1;

	landing_init(&l, b, o->bins);
	for (uint64_t i = 0; i < o->seeds; i++) {
		one_seed(b, &l, delta, o->first_seed + i, out);
		if ((i + 1) % every == 0 || i + 1 == o->seeds)
			printf("  %s: %" PRIu64 "/%" PRIu64 " seeds\n", b->config, i + 1, o->seeds);
		fflush(stdout);
	}
	fclose(out);
	write_landing_info(&l, b, o->info);
	free(l.matrix);
	free(l.new_index);
	free(l.placed);
	free(delta);
}
