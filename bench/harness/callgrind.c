/* callgrind.c: the callgrind mode: one callgrind dump per phase, table and floor step, labelled by seed. */
#include <stdlib.h>

#include "harness.h"

#if defined(__has_include) && __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_DUMP_STATS_AT(label) ((void)(label))
#endif

/*
 * Callgrind counts from one dump to the next: each cut dumps what ran
 * since the previous cut, labelled "fgkbench CONFIG SEED WHAT". The labels
 * of one seed are formatted before its first cut, in the order the cuts
 * come (fgk.h fixes the order of the phase and table callbacks), so no
 * formatting is counted in a stretch. Outside valgrind a dump is a no-op.
 * restore and idle stretches are the harness's own.
 */
#define LABEL_LEN 128

struct cutter {
	const struct bench *b;
	char (*labels)[LABEL_LEN];
	uint32_t nr_labels, next, max_labels;
};

static void cut(struct cutter *c)
{
	if (c->next >= c->nr_labels)
		die("%s: more callgrind cuts than labels", c->b->config);
	CALLGRIND_DUMP_STATS_AT(c->labels[c->next++]);
}

static void on_phase(void *ctx, enum fgk_phase phase)
{
	(void)phase;
	cut(ctx);
}

static void on_table(void *ctx, uint32_t index)
{
	(void)index;
	cut(ctx);
}

static void add_label(struct cutter *c, uint64_t seed, const char *what, const char *name)
{
	if (c->nr_labels >= c->max_labels)
		die("%s: more callgrind labels than room for them", c->b->config);
	snprintf(c->labels[c->nr_labels++], LABEL_LEN, "fgkbench %s %" PRIu64 " %s%s",
		 c->b->config, seed, what, name);
}

/* What each cut of one seed ends, in order. */
static void make_labels(struct cutter *c, uint64_t seed)
{
	static const char *const phases[] = { "symtab", "relocs", "exit", "restore",
					      "floor_read", "floor_copy", "floor_fields",
					      "floor_tables", "floor_kallsyms", "floor_relocs" };
	uint32_t nr_tables = c->b->map.hdr->nr_tables;

	c->nr_labels = c->next = 0;
	add_label(c, seed, "restore", "");
	add_label(c, seed, "map_open", "");
	add_label(c, seed, "enter", "");	/* fgk_shuffle up to PLAN */
	add_label(c, seed, "plan", "");
	add_label(c, seed, "xrefs", "");
	add_label(c, seed, "move", "");
	add_label(c, seed, "tables", "");	/* TABLES up to the first table */
	for (uint32_t i = 0; i < nr_tables; i++)
		add_label(c, seed, "table:", c->b->table_names[i]);
	add_label(c, seed, "tables", "");	/* after the last table */
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++)
		add_label(c, seed, phases[i], "");
}

static void one_seed(struct bench *b, struct cutter *c, uint64_t seed)
{
	struct fgk_map map;
	struct fgk_shuffle_args args = {
		.seed = seed, .phase = on_phase, .table = on_table, .phase_ctx = c,
	};

	make_labels(c, seed);
	bench_restore(b);
	cut(c);
	if (bench_open(b, &map))
		die("%s: fgk_map_open failed", b->config);
	cut(c);
	bench_shuffle(b, &map, &args);
	cut(c);
	bench_restore(b);
	cut(c);
	floor_read_map(b->map_buf, b->map_size);
	cut(c);
	floor_copy(b);
	cut(c);
	floor_fields(b);
	cut(c);
	floor_tables(b);
	cut(c);
	floor_kallsyms(b);
	cut(c);
	floor_relocs(b);
	cut(c);
	if (c->next != c->nr_labels)
		die("%s: %u callgrind cuts for %u labels", b->config, c->next, c->nr_labels);
}

void run_callgrind(struct bench *b, const struct bench_opts *o)
{
	struct cutter c = { .b = b };

	/* One label per table and about twenty for the phases and the floor's parts. */
	c.max_labels = b->map.hdr->nr_tables + 32;
	c.labels = xcalloc(c.max_labels, LABEL_LEN);
	for (uint64_t i = 0; i < o->seeds; i++) {
		printf("  %s: seed %" PRIu64 " under callgrind (%" PRIu64 "/%" PRIu64 ")\n",
		       b->config, o->first_seed + i, i + 1, o->seeds);
		fflush(stdout);
		one_seed(b, &c, o->first_seed + i);
	}
	free(c.labels);
}
