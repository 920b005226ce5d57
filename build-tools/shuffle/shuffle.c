/* shuffle.c: fgk-shuffle, shuffle a linked ELF offline with the fgkaslr runtime and write a new ELF. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shuffle.h"

struct options {
	const char *in, *out, *map, *relocs;
	uint64_t seed;
	int64_t base_delta;
	int have_seed;
	int scratch_only;	/* --scratch-size: print it and exit */
};

static void usage(void)
{
	die("usage: fgk-shuffle IN --seed N [--map MAP (default IN.fgkmap)] "
	    "[--relocs LIST] [--base-delta D] -o OUT\n"
	    "       (--relocs: the image's base relocations, vmlinux.relocs, for a map without them)\n"
	    "       fgk-shuffle IN [--map MAP] [--relocs LIST] --scratch-size\n"
	    "       (check the map in full, as the boot does not, and print the scratch bytes a\n"
	    "       boot needs: the decoded units, then fgk_shuffle's)");
}

static void parse_args(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "map", required_argument, NULL, 'm' },
		{ "relocs", required_argument, NULL, 'r' },
		{ "base-delta", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "scratch-size", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->seed = parse_u64("--seed", optarg); o->have_seed = 1; break;
		case 'm': o->map = optarg; break;
		case 'r': o->relocs = optarg; break;
		case 'b': o->base_delta = parse_s64("--base-delta", optarg); break;
		case 'o': o->out = optarg; break;
		case 'S': o->scratch_only = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || (!o->scratch_only && (!o->out || !o->have_seed)))
		usage();
	o->in = argv[optind];
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *default_map_path(const char *in)
{
	char *p = xcalloc(strlen(in) + sizeof(".fgkmap"), 1);

	sprintf(p, "%s.fgkmap", in);
	return p;
}

int main(int argc, char **argv)
{
	struct options o;
	struct elfimg in;
	struct fgk_map map;
	struct fgk_stats st = { 0 };

	host_tool = "fgk-shuffle";
	parse_args(&o, argc, argv);
	char *map_path = o.map ? NULL : default_map_path(o.in);
	elfimg_load(&in, o.in);
	/* A loader moves an image by whole PT_LOAD alignments (the kernel: 2 MiB). */
	if ((uint64_t)o.base_delta % in.align)
		die("--base-delta %#" PRIx64 " is not a multiple of %s's PT_LOAD alignment %#" PRIx64,
		    (uint64_t)o.base_delta, o.in, in.align);
	void *map_buf = elfimg_open_map(&map, o.map ? o.map : map_path, &in);
	void *relocs_buf = elfimg_use_relocs(&map, o.map ? o.map : map_path, o.relocs, &in);
	/* The full check, which the boot leaves out: the kernel build runs it here. */
	elfimg_check_map(&map, o.map ? o.map : map_path, &in);

	uint64_t scratch_size = fgk_scratch_size(&map);
	if (o.scratch_only) {
		/* For boot code that reserves its memory at build time. */
		printf("%" PRIu64 "\n", fgk_map_units_bytes(map.hdr, sizeof(*map.hdr)) + scratch_size);
		free(relocs_buf);
		free(map_buf);
		free(map_path);
		elfimg_free(&in);
		return 0;
	}
	void *scratch = aligned_alloc(8, (scratch_size + 15) & ~7ull);
	if (!scratch)
		die("no memory for %" PRIu64 " bytes of scratch", scratch_size);
	int32_t *unit_delta = xcalloc(map.hdr->nr_units, sizeof(*unit_delta));
	struct fgk_shuffle_args args = {
		.seed = o.seed, .base_delta = o.base_delta,
		.scratch = scratch, .scratch_size = scratch_size,
		.stats = &st, .unit_delta = unit_delta,
	};
	double t0 = now_ms();
	int err = fgk_shuffle(&map, in.image, &args);
	double t1 = now_ms();
	if (err)
		die("%s, seed %" PRIu64 ": %s", o.in, o.seed, fgk_strerror(err));

	struct shuffle_result res = { in.image, unit_delta, o.base_delta };
	shuffle_write_elf(&in, &map, &res, o.out);
	printf("fgk-shuffle: %s -> %s: seed %" PRIu64 ": moved %u of %u units (%" PRIu64
	       " bytes), %u xrefs, %u table entries, %u syms, %u relocs in %.2f ms\n",
	       o.in, o.out, o.seed, st.units_moved, st.units, st.bytes_moved, st.xrefs,
	       st.table_entries, st.syms, st.relocs, t1 - t0);

	free(unit_delta);
	free(scratch);
	free(relocs_buf);
	free(map_buf);
	free(map_path);
	elfimg_free(&in);
	return 0;
}
