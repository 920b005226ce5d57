/* main.c: fgk-bench: time, count (under callgrind) or tally (entropy) fgk_shuffle on a kernel image and map. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void usage(void)
{
	die("usage: fgk-bench --mode time|callgrind|entropy --config NAME --vmlinux ELF --map MAP\n"
	    "                 [--relocs LIST (vmlinux.relocs, for a map without its own)]\n"
	    "                 --out CSV --info CSV [--seeds N] [--first-seed S] [--base-delta D]\n"
	    "                 [--bins B] [--warmup N]");
}

static void parse_args(struct bench_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'M' },
		{ "config", required_argument, NULL, 'c' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "map", required_argument, NULL, 'm' },
		{ "relocs", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "info", required_argument, NULL, 'i' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "first-seed", required_argument, NULL, 'f' },
		{ "base-delta", required_argument, NULL, 'b' },
		{ "bins", required_argument, NULL, 'B' },
		{ "warmup", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* A 16 MiB base-KASLR move: base relocations are applied, as at boot. */
	*o = (struct bench_opts){ .first_seed = 1, .seeds = 10, .base_delta = 16 << 20,
				  .bins = 10, .warmup = 2 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'M': o->mode = optarg; break;
		case 'c': o->config = optarg; break;
		case 'v': o->vmlinux = optarg; break;
		case 'm': o->map = optarg; break;
		case 'r': o->relocs = optarg; break;
		case 'o': o->out = optarg; break;
		case 'i': o->info = optarg; break;
		case 'n': o->seeds = parse_u64("--seeds", optarg); break;
		case 'f': o->first_seed = parse_u64("--first-seed", optarg); break;
		case 'b': o->base_delta = parse_s64("--base-delta", optarg); break;
		case 'B': o->bins = (uint32_t)parse_u64("--bins", optarg); break;
		case 'w': o->warmup = (uint32_t)parse_u64("--warmup", optarg); break;
		default: usage();
		}
	}
	if (optind != argc || !o->mode || !o->config || !o->vmlinux || !o->map || !o->info ||
	    (!o->out && strcmp(o->mode, "callgrind")) || !o->seeds || !o->bins)
		usage();
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench b;

	host_tool = "fgk-bench";
	parse_args(&o, argc, argv);
	bench_load(&b, &o);
	bench_write_info(&b, &o);
	if (!strcmp(o.mode, "time"))
		run_time(&b, &o);
	else if (!strcmp(o.mode, "callgrind"))
		run_callgrind(&b, &o);
	else if (!strcmp(o.mode, "entropy"))
		run_entropy(&b, &o);
	else
		usage();
	bench_free(&b);
	return 0;
}
