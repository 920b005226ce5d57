/* mkmap.c: fgk-mkmap main: options, then the pipeline from ELF image and link map to map. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

static const char usage[] =
	"usage: fgk-mkmap [--config FILE] [-c 'LINE']... --ldmap LINKMAP IMAGE -o MAP [--dump]\n"
	"       fgk-mkmap --dump-map MAP [IMAGE]\n"
	"  --config FILE   configuration (language: mkmap-config.txt, beside the sources)\n"
	"  -c LINE         one configuration line (repeatable, after --config)\n"
	"  --ldmap FILE    GNU ld -Map output of the link of IMAGE\n"
	"  --objdir DIR    look for the link map's object files in DIR first\n"
	"  --base-relocs FILE  the image's own base relocations (vmlinux.relocs):\n"
	"                  the map leaves out its own copy, which must be equal\n"
	"  --image-relocs  a PIE image: the map leaves out its base relocations, the\n"
	"                  boot reads the image's .rela.dyn/.relr.dyn (checked equal)\n"
	"  -o MAP          write the map here (after the runtime's full check of it)\n"
	"  --scratch-out FILE  write the scratch bytes a boot needs for the map\n"
	"  --dump          print the map written, with statistics\n"
	"  --dump-map MAP  print an existing map (naming units from IMAGE if given)\n"
	"  --insn-trace FILE  write every operand the instruction decoder classified\n";

struct opts {
	const char *ldmap, *out, *image, *dump_map, *objdir, *base_relocs, *scratch_out;
	bool dump, image_relocs;
};

/* Everything hangs off one static, so the leak checker sees it at exit. */
static struct mk mk;

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "ldmap", required_argument, NULL, 'L' },
		{ "objdir", required_argument, NULL, 'D' },
		{ "base-relocs", required_argument, NULL, 'R' },
		{ "scratch-out", required_argument, NULL, 'S' },
		{ "image-relocs", no_argument, NULL, 'I' },
		{ "dump", no_argument, NULL, 'd' },
		{ "dump-map", required_argument, NULL, 'M' },
		{ "insn-trace", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	int c, nline = 0;

	while ((c = getopt_long(argc, argv, "c:o:h", lo, NULL)) != -1) {
		char where[32];

		switch (c) {
		case 'C':
			config_file(&mk.cfg, optarg);
			break;
		case 'c':
			snprintf(where, sizeof(where), "-c #%d", ++nline);
			config_line(&mk.cfg, optarg, where);
			break;
		case 'L':
			o->ldmap = optarg;
			break;
		case 'D':
			o->objdir = optarg;
			break;
		case 'R':
			o->base_relocs = optarg;
			break;
		case 'S':
			o->scratch_out = optarg;
			break;
		case 'I':
			o->image_relocs = true;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'd':
			o->dump = true;
			break;
		case 'M':
			o->dump_map = optarg;
			break;
		case 'T':
			insn_trace_to(optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc)
		o->image = argv[optind++];
	if (optind < argc || (!o->dump_map && (!o->image || !o->ldmap || !o->out))) {
		fputs(usage, stderr);
		die("need IMAGE, --ldmap and -o (or --dump-map MAP)");
	}
}

static void dump_existing(const struct opts *o)
{
	size_t size;
	void *map = read_whole_file(o->dump_map, &size);
	struct namer *nm = NULL;

	if (o->image) {
		image_read(&mk.img, o->image);
		nm = namer_new(&mk.img, NULL, 0);
	}
	dump_map(map, size, o->dump_map, nm, o->image ? mk.img.mem : NULL, mk.img.image_size);
	namer_free(nm);
	free(map);
}

static void build(const struct opts *o)
{
	size_t size;

	image_read(&mk.img, o->image);
	ldmap_read(&mk.ldmap, o->ldmap);
	mk.objs = objs_new(o->ldmap, o->objdir);
	image_id_find(&mk);
	units_build(&mk);
	markers_build(&mk);
	tables_build(&mk);
	symtab_build(&mk);
	refs_static(&mk);
	relocs_dynamic(&mk);
	relocs_finish(&mk);
	if (o->base_relocs && o->image_relocs)
		die("--base-relocs and --image-relocs: one list or the other");
	if (o->base_relocs && mk.img.type == ET_DYN)
		die_at(o->image, NULL, NOPOS, NULL,
		       "--base-relocs: a PIE image's base relocations are its own RELA/RELR: use --image-relocs");
	if (o->base_relocs)
		base_relocs_match(&mk, o->base_relocs);
	if (o->image_relocs)
		pie_relocs_left_out(&mk);
	void *map = emit_map(&mk, &size);
	uint64_t scratch = map_selfcheck(&mk, map, size, o->base_relocs);

	write_file(o->out, map, size);
	if (o->scratch_out) {
		char line[32];
		int n = snprintf(line, sizeof(line), "%" PRIu64 "\n", scratch);

		write_file(o->scratch_out, line, (size_t)n);
	}
	if (o->dump) {
		struct namer *nm = namer_new(&mk.img, mk.units.v, mk.units.n);

		dump_map(map, size, o->out, nm, mk.img.mem, mk.img.image_size);
		namer_free(nm);
	}
	free(map);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	host_tool = "fgk-mkmap";
	mk.symtab_base_site = NOPOS;
	parse_opts(argc, argv, &o);
	if (o.dump_map)
		dump_existing(&o);
	else
		build(&o);
	insn_done();
	if (mk.objs)
		objs_free(mk.objs);
	image_free(&mk.img);
	return 0;
}
