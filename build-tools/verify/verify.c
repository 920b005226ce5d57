/* verify.c: fgk-verify, check without running it that a shuffled ELF is its input with the functions moved and every reference following. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

/*
 * fgk-verify IN OUT --map MAP: IN is a linked image, OUT what fgk-shuffle
 * (or anything else) made of it, MAP IN's fgkaslr map. Nothing runs.
 * It decodes with capstone on purpose: the map is made with the kernel's
 * decoder in a kernel build, so the check has a second, independent one.
 *
 *   1. Where each unit went: from OUT's .symtab (same symbols, same order),
 *      or for a unit without symbols, by its bytes and fields in OUT.
 *   2. Layout: units inside their region, aligned, not overlapping; every
 *      other byte of a region is int3. Symbols moved with their units.
 *   3. Code: every unit in code (cut at its functions) and every other
 *      byte of IN's executable sections outside the regions (fixed code,
 *      .altinstr_replacement) is disassembled with capstone in IN and in
 *      OUT. Same instructions; address operands (branch targets,
 *      RIP-relative operands, relocated immediates and displacements)
 *      must point at the place IN's target moved to, reported as
 *      symbol+offset (unitN+offset in a unit without symbols).
 *   4. Fields of the map (xrefs, base relocations) and of IN's static
 *      relocations (--emit-relocs, a second opinion) decoded and compared.
 *   5. Every other byte of every loaded section: unchanged.
 *   6. Sorted tables and kallsyms: same entries (keys, rel32 fields,
 *      names decoded), sorted, markers and seqs consistent.
 *
 * Addresses compare by where their IN target moved (its unit; the map's
 * target unit decides at a boundary between two units), which equals
 * comparing symbol+offset once step 2 has checked OUT's symbols. Where
 * the address alone cannot say (region padding, one past a unit's end, a
 * region's start, a value outside the image), IN's relocation symbol
 * decides (verify_target.c); an absolute field's base move is its
 * symbol's, as arch/x86/tools/relocs.c decides.
 * Not checked: code that is only reached through data the map does not
 * describe and IN has no relocation for; instructions capstone 4 cannot
 * decode (rdpkru, lkgs, AMX: the sweep goes on at the next address known
 * to start an instruction; the span between is counted and compared as
 * bytes and fields); the order of equal table keys.
 */

static const char *const check_names[NR_CHECKS] = {
	[CHK_LAYOUT] = "layout", [CHK_SYMBOL] = "symbol", [CHK_INSN] = "insn",
	[CHK_TARGET] = "target", [CHK_BYTES] = "bytes", [CHK_FIELD] = "field",
	[CHK_TABLE] = "table", [CHK_KALLSYMS] = "kallsyms", [CHK_MAP] = "map",
};

void fail(struct verify *v, enum check chk, const char *fmt, ...)
{
	va_list ap;

	if (v->errors[chk]++ >= v->verbose_limit)
		return;
	fprintf(stderr, "fgk-verify: %s: ", check_names[chk]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

unsigned total_errors(const struct verify *v)
{
	unsigned n = 0;

	for (int i = 0; i < NR_CHECKS; i++)
		n += v->errors[i];
	return n;
}

static void usage(void)
{
	die("usage: fgk-verify IN OUT --map MAP [--relocs LIST] [--max-reports N] [--spans]\n"
	    "  IN: the linked ELF, OUT: fgk-shuffle's output, MAP: IN's fgkaslr map\n"
	    "  --relocs: the image's base relocations (vmlinux.relocs), for a map without them\n"
	    "  --spans: list the code capstone could not decode (compared as bytes)");
}

static void parse_args(struct verify *v, int argc, char **argv, const char **map,
		       const char **relocs)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "relocs", required_argument, NULL, 'r' },
		{ "max-reports", required_argument, NULL, 'n' },
		{ "spans", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*map = *relocs = NULL;
	v->verbose_limit = 20;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'm')
			*map = optarg;
		else if (c == 'r')
			*relocs = optarg;
		else if (c == 'n')
			v->verbose_limit = parse_u64("--max-reports", optarg);
		else if (c == 's')
			v->list_spans = true;
		else
			usage();
	}
	if (optind != argc - 2 || !*map)
		usage();
}

/* OUT must be IN's image, same size, same symbols, loaded at one base delta. */
static void check_shape(struct verify *v)
{
	struct elfimg *in = &v->in, *out = &v->out;

	if (in->size != out->size || in->nr_segs != out->nr_segs)
		die("%s and %s have different loaded images (%#" PRIx64 " vs %#" PRIx64
		    " bytes, %zu vs %zu PT_LOADs)", in->path, out->path, in->size, out->size,
		    in->nr_segs, out->nr_segs);
	if (in->nr_syms != out->nr_syms || !in->nr_syms)
		die("%s has %zu symbols and %s %zu: OUT must keep IN's .symtab",
		    in->path, in->nr_syms, out->path, out->nr_syms);
	v->base_delta = (int64_t)(out->link_base - in->link_base);
	if ((uint64_t)v->base_delta % in->align)
		die("%s lies %#" PRIx64 " from %s: not a multiple of the PT_LOAD alignment %#" PRIx64
		    " (no loader puts an image there)", out->path, (uint64_t)v->base_delta, in->path,
		    in->align);
}

static void summary(const struct verify *v, const char *out)
{
	unsigned moved = 0, n = v->map.hdr->nr_units;

	for (uint32_t u = 0; u < n; u++)
		moved += v->unit_new[u] != v->map.units[u].offset;
	if (!total_errors(v)) {
		printf("fgk-verify: %s: OK: %u of %u units moved; %" PRIu64 " functions, %" PRIu64
		       " instructions, %zu fields, %" PRIu64 " table entries, %" PRIu64
		       " kallsyms, %" PRIu64 " other bytes compared", out, moved, n, v->nr_funcs,
		       v->nr_insns, v->nr_fields, v->nr_entries, v->nr_kallsyms, v->nr_bytes);
		if (v->nr_undecodable)
			printf(" (%" PRIu64 " bytes of code in %" PRIu64 " spans did not decode:"
			       " compared as bytes)", v->nr_undecodable, v->nr_spans);
		printf("\n");
		return;
	}
	printf("fgk-verify: %s: FAIL: %u errors:", out, total_errors(v));
	for (int i = 0; i < NR_CHECKS; i++)
		if (v->errors[i])
			printf(" %s %u", check_names[i], v->errors[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static struct verify v;
	const char *map_path, *relocs_path;

	host_tool = "fgk-verify";
	parse_args(&v, argc, argv, &map_path, &relocs_path);
	elfimg_load(&v.in, argv[optind]);
	elfimg_load(&v.out, argv[optind + 1]);
	void *map_buf = elfimg_open_map(&v.map, map_path, &v.in);
	void *relocs_buf = elfimg_use_relocs(&v.map, map_path, relocs_path, &v.in);
	elfimg_check_map(&v.map, map_path, &v.in);
	v.xrefs = fgk_xrefs_decode(v.map.hdr, v.in.image, v.in.size);
	v.overrides = fgk_overrides_decode(v.map.hdr);
	if (!v.xrefs || !v.overrides)
		die("%s: out of memory decoding the xrefs and overrides", map_path);
	check_shape(&v);
	symindex_build(&v.in_syms, &v.in);
	symindex_build(&v.out_syms, &v.out);

	find_code(&v);
	collect_fields(&v);
	find_anchors(&v);
	find_unit_moves(&v);
	check_layout(&v);
	check_symbols(&v);
	check_code(&v);
	check_fields(&v);
	check_bytes(&v);
	check_tables(&v);
	check_kallsyms(&v);
	summary(&v, v.out.path);

	int status = total_errors(&v) ? 1 : 0;
	free(v.xrefs);
	free(v.overrides);
	free(relocs_buf);
	free(map_buf);
	free(v.unit_new);
	free(v.kind);
	free(v.fields);
	free(v.code);
	free(v.anchors);
	free(v.code_syms);
	free(v.units_by_new);
	free(v.in_syms.by_value);
	free(v.out_syms.by_value);
	elfimg_free(&v.in);
	elfimg_free(&v.out);
	return status;
}
