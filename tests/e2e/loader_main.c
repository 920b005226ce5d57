/* loader_main.c: e2e-loader: load, shuffle, run and check one e2e image over many seeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "loader.h"

/*
 * usage: e2e-loader [--strict] [--seeds N] IMAGE.elf IMAGE.fgkmap
 *        e2e-loader --corrupt N IMAGE.elf IMAGE.fgkmap
 *        e2e-loader --golden IMAGE.elf     (no map: check the image alone)
 *
 * The golden run is relocated from the ELF's own relocations, without the
 * runtime; everything later must agree with it. The second form proves the
 * checks have teeth: N maps each with one wrong xref target, and N each
 * with one wrong table entry owner, must be rejected by the runtime or
 * caught by the checks.
 */

struct options {
	unsigned seeds;
	unsigned corrupt;
	int golden_only;
	int strict;			/* known gaps of other components fail too */
	const char *elf, *map;
};

static void usage(void)
{
	die("usage: e2e-loader [--strict] [--seeds N | --corrupt N] IMAGE.elf IMAGE.fgkmap\n"
	    "       e2e-loader --golden IMAGE.elf");
}

static struct options parse(int argc, char **argv)
{
	struct options o = { .seeds = 32 };
	int i = 1;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--strict"))
			o.strict = 1;
		else if (!strcmp(opt, "--golden"))
			o.golden_only = 1;
		else if (!strcmp(opt, "--seeds") && i + 1 < argc)
			o.seeds = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(opt, "--corrupt") && i + 1 < argc)
			o.corrupt = (unsigned)strtoul(argv[++i], NULL, 0);
		else
			usage();
	}
	if (argc - i != (o.golden_only ? 1 : 2) || !o.seeds)
		usage();
	o.elf = argv[i];
	o.map = o.golden_only ? NULL : argv[i + 1];
	return o;
}

int main(int argc, char **argv)
{
	struct options o = parse(argc, argv);
	struct image img;
	int rc;

	host_tool = "e2e-loader";
	e2e_strict = o.strict;
	image_read(&img, o.elf, o.map);
	fault_init();
	if (o.golden_only)
		rc = golden_mode(&img);
	else
		rc = o.corrupt ? corrupt_mode(&img, o.corrupt) : seeds_mode(&img, o.seeds);
	image_free(&img);
	return rc;
}
