/* time.c: the timing mode: per seed, map open and fgk_shuffle timed at every phase and table, and the floor beside it. */
#include <stdlib.h>

#include "harness.h"

/* Clock readings taken by the runtime's callbacks. */
struct probe {
	uint64_t phase[FGK_NR_PHASES];
	uint64_t *table;		/* nr_tables + 1 */
};

static const char *const phase_names[FGK_PHASE_DONE] = {
	"plan", "xrefs", "move", "tables", "symtab", "relocs",
};

static void on_phase(void *ctx, enum fgk_phase phase)
{
	((struct probe *)ctx)->phase[phase] = now_ns();
}

static void on_table(void *ctx, uint32_t index)
{
	((struct probe *)ctx)->table[index] = now_ns();
}

static void row(FILE *out, const struct bench *b, uint64_t seed, const char *what,
		const char *name, uint64_t ns)
{
	fprintf(out, "%s,%" PRIu64 ",%s%s,%" PRIu64 "\n", b->config, seed, what, name, ns);
}

/* Open the map and shuffle, as the decompressor does; out NULL: warm-up. */
static uint64_t time_shuffle(struct bench *b, uint64_t seed, struct probe *p, FILE *out)
{
	struct fgk_map map;
	struct fgk_shuffle_args args = {
		.seed = seed, .phase = on_phase, .table = on_table, .phase_ctx = p,
	};

	bench_restore(b);
	uint64_t t0 = now_ns();
	int err = bench_open(b, &map);
	uint64_t t1 = now_ns();
	if (err)
		die("%s: fgk_map_open: %s", b->config, fgk_strerror(err));
	bench_shuffle(b, &map, &args);
	uint64_t t2 = now_ns();
	if (!out)
		return t2 - t1;
	row(out, b, seed, "map_open", "", t1 - t0);
	row(out, b, seed, "shuffle", "", t2 - t1);
	for (int ph = FGK_PHASE_PLAN; ph < FGK_PHASE_DONE; ph++)
		row(out, b, seed, phase_names[ph], "", p->phase[ph + 1] - p->phase[ph]);
	for (uint32_t i = 0; i < map.hdr->nr_tables; i++)
		row(out, b, seed, "table:", b->table_names[i], p->table[i + 1] - p->table[i]);
	return t2 - t1;
}

/* The floor's parts, timed one after the other (floor.c). */
static uint64_t time_floor(struct bench *b, uint64_t seed, FILE *out)
{
	uint64_t t[7];

	bench_restore(b);
	t[0] = now_ns();
	floor_read_map(b->map_buf, b->map_size);
	t[1] = now_ns();
	floor_copy(b);
	t[2] = now_ns();
	floor_fields(b);
	t[3] = now_ns();
	floor_tables(b);
	t[4] = now_ns();
	floor_kallsyms(b);
	t[5] = now_ns();
	floor_relocs(b);
	t[6] = now_ns();
	if (out) {
		row(out, b, seed, "floor_read", "", t[1] - t[0]);
		row(out, b, seed, "floor_copy", "", t[2] - t[1]);
		row(out, b, seed, "floor_fields", "", t[3] - t[2]);
		row(out, b, seed, "floor_tables", "", t[4] - t[3]);
		row(out, b, seed, "floor_kallsyms", "", t[5] - t[4]);
		row(out, b, seed, "floor_relocs", "", t[6] - t[5]);
		row(out, b, seed, "floor", "", t[6] - t[0]);
		row(out, b, seed, "floor_old", "", t[2] - t[0]);
	}
	return t[6] - t[0];
}

/*
 * Shuffle and floor samples alternate, their order flipping every seed,
 * so that drift in the machine's speed reaches both alike.
 */
void run_time(struct bench *b, const struct bench_opts *o)
{
	struct probe p = { .table = xcalloc(b->map.hdr->nr_tables + 1, sizeof(uint64_t)) };
	FILE *out = open_csv(o->out, "config,seed,what,ns");
	uint64_t every = o->seeds >= 10 ? o->seeds / 5 : 1;

	for (uint32_t w = 0; w < o->warmup; w++) {
		time_shuffle(b, o->first_seed + w, &p, NULL);
		time_floor(b, o->first_seed + w, NULL);
	}
	for (uint64_t i = 0; i < o->seeds; i++) {
		uint64_t seed = o->first_seed + i, shuffle_ns, floor_ns;

		if (i & 1) {
			floor_ns = time_floor(b, seed, out);
			shuffle_ns = time_shuffle(b, seed, &p, out);
		} else {
			shuffle_ns = time_shuffle(b, seed, &p, out);
			floor_ns = time_floor(b, seed, out);
		}
		if ((i + 1) % every == 0 || i + 1 == o->seeds)
			printf("  %s: seed %" PRIu64 " (%" PRIu64 "/%" PRIu64 "): shuffle %.2f ms, floor %.2f ms\n",
			       b->config, seed, i + 1, o->seeds, shuffle_ns / 1e6, floor_ns / 1e6);
		fflush(stdout);
	}
	fclose(out);
	free(p.table);
}
