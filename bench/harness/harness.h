/* harness.h: fgk-bench, the runtime on a real kernel image and map, loaded once and shuffled per seed. */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stdio.h>
#include <time.h>

#include "elfimg.h"
#include "elfimg_map.h"

/* One kernel: its flat image (as the decompressor sees it), map and scratch. */
struct bench {
	const char *config;		/* the CSV's config column: test, defconfig */
	struct elfimg img;		/* img.image is the working copy */
	uint8_t *pristine;		/* the image as loaded: restored before each run */
	void *map_buf;
	uint64_t map_size;
	void *units;			/* the map's decoded units */
	uint64_t units_size;
	void *relocs;			/* the image's relocation list, if the map has none */
	uint64_t relocs_size;
	struct fgk_map map;
	void *scratch;
	uint64_t scratch_size;
	int64_t base_delta;
	uint64_t unit_bytes;		/* sum of unit sizes: the bytes that may move */
	uint64_t region_bytes;
	uint64_t *region_unit_bytes;	/* per region: its units' bytes */
	uint8_t *floor_buf;		/* where the floor copies to (the largest array) */
	uint64_t *xref_sites, *reloc_sites;	/* site | (8-byte field) << 32 */
	uint64_t nr_xref_sites, nr_reloc_sites;
	char **table_names;		/* per table: ex_table, orc_unwind_ip, ... */
};

/* What each mode is given (main.c parses it). */
struct bench_opts {
	const char *config, *vmlinux, *map, *relocs, *mode, *out, *info;
	uint64_t first_seed, seeds;
	int64_t base_delta;
	uint32_t bins;			/* entropy: landing buckets */
	uint32_t warmup;		/* time: untimed rounds first */
};

/* load.c */
void bench_load(struct bench *b, const struct bench_opts *o);
/* fgk_map_open of b's map (and its relocation list) into *map. */
int bench_open(struct bench *b, struct fgk_map *map);
void bench_restore(struct bench *b);
void bench_free(struct bench *b);
const char *unit_name(const struct bench *b, uint32_t unit);
void bench_write_info(const struct bench *b, const struct bench_opts *o);
FILE *open_csv(const char *path, const char *header);

/* floor.c: the least a shuffle can cost, for comparison. */
void floor_init(struct bench *b);
void floor_free(struct bench *b);
void floor_copy(const struct bench *b);
void floor_fields(struct bench *b);
void floor_tables(const struct bench *b);
void floor_kallsyms(const struct bench *b);
void floor_relocs(struct bench *b);
uint64_t floor_read_map(const void *buf, uint64_t size);

/* The modes. */
void run_time(struct bench *b, const struct bench_opts *o);
void run_callgrind(struct bench *b, const struct bench_opts *o);
void run_entropy(struct bench *b, const struct bench_opts *o);

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Shuffle the (restored) image with b's scratch; die on error. */
void bench_shuffle(struct bench *b, const struct fgk_map *map, struct fgk_shuffle_args *args);

#endif /* BENCH_HARNESS_H */
