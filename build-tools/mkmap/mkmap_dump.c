/* mkmap_dump.c: print a map readably (--dump, --dump-map), with statistics; one walker for both. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_write.h"
#include "mkmap.h"

/*
 * Output lines start with a keyword so tests can grep them:
 *   map, region, unit, xref, table, override, fields, symtab, tie, reloc, stat
 */

struct view {
	const char *path;
	size_t size;
	const struct fgk_map_header *h;
	const struct fgk_region *regions;
	struct fgk_unit *units;		/* decoded, malloc'd */
	struct fgk_xref *xrefs;		/* decoded, malloc'd */
	const uint8_t *image;		/* NULL: derived targets unknown */
	uint64_t image_size;
	const struct fgk_table *tables;
	struct fgk_override *overrides;	/* decoded, malloc'd */
	const uint32_t *field_units;
	const struct fgk_symtab *symtabs;
	const struct fgk_sym_tie *sym_ties;
	const uint32_t *relocs[FGK_NR_RELOC_KINDS];
	struct namer *nm;
};

static const char *const xref_kinds[] = { "?", "PC32", "PC64", "ABS64", "ABS32", "ABS32S" };
static const char *const reloc_kinds[] = { "ABS64", "ABS32", "INV32" };

/* Array `a` of the map (fgk_map.h's layout), which must lie inside it. */
static const void *take(const struct view *v, enum fgk_map_array a)
{
	uint64_t at = fgk_map_array_offset(v->h, a), bytes = fgk_map_array_bytes(v->h, a);

	if (at > v->size || bytes > v->size - at)
		die_at(v->path, NULL, at < v->size ? at : v->size, NULL,
		       "map truncated: %s (%" PRIu64 " bytes)", fgk_map_array_name((enum fgk_map_array)a), bytes);
	return (const unsigned char *)v->h + at;
}

static void open_view(struct view *v, const void *map, size_t size)
{
	const struct fgk_map_header *h = map;

	v->h = h;
	v->size = size;
	if (size < sizeof(*h) || h->magic != FGK_MAP_MAGIC)
		die_at(v->path, NULL, NOPOS, NULL, "not an fgkaslr map (bad magic or too short)");
	if (h->version != FGK_MAP_VERSION || h->header_size != sizeof(*h) ||
	    h->image_size > v->image_size)
		die_at(v->path, NULL, NOPOS, NULL, "map version %u / header size %u not supported",
		       h->version, h->header_size);
	if (h->payload_size > size - sizeof(*h))
		die_at(v->path, NULL, NOPOS, NULL, "map truncated: payload of %" PRIu64 " bytes",
		       h->payload_size);
	for (int a = 0; a < FGK_MAP_NR_ARRAYS; a++)
		take(v, a);	/* all of them inside the map before any is read */
	v->regions = take(v, FGK_MAP_REGIONS);
	v->units = fgk_units_decode(h);
	if (!v->units)
		die_at(v->path, NULL, NOPOS, NULL, "unit stream malformed");
	v->xrefs = fgk_xrefs_decode(h, v->image, v->image_size);
	if (!v->xrefs)
		die_at(v->path, NULL, NOPOS, NULL, "xref stream malformed");
	v->tables = take(v, FGK_MAP_TABLES);
	v->overrides = fgk_overrides_decode(h);
	if (!v->overrides)
		die_at(v->path, NULL, NOPOS, NULL, "override stream malformed");
	v->field_units = take(v, FGK_MAP_FIELD_UNITS);
	v->symtabs = take(v, FGK_MAP_SYMTABS);
	v->sym_ties = take(v, FGK_MAP_SYM_TIES);
	v->relocs[FGK_RELOC_ABS64] = take(v, FGK_MAP_RELOCS_ABS64);
	v->relocs[FGK_RELOC_ABS32] = take(v, FGK_MAP_RELOCS_ABS32);
	v->relocs[FGK_RELOC_INV32] = take(v, FGK_MAP_RELOCS_INV32);
}

static void print_header(const struct view *v)
{
	const struct fgk_map_header *h = v->h;
	uint64_t sum = fgk_xxh64((const char *)h + h->header_size, h->payload_size, 0);

	printf("map %s: %zu bytes, version %u, flags 0x%x%s%s, checksum %s\n", v->path,
	       v->size, h->version, h->flags, h->flags & FGK_MAP_PIE ? " (pie)" : "",
	       h->flags & FGK_MAP_IMAGE_RELOCS ? " (image relocs)" : "",
	       sum == h->payload_xxh64 ? "ok" : "BAD");
	printf("map link_base 0x%" PRIx64 " image_size 0x%" PRIx64 "\n", h->link_base,
	       h->image_size);
	printf("map image-id");
	if (!h->image_id_size)
		printf(" none");
	else
		printf(" 0x%x ", h->image_id_offset);
	for (uint32_t i = 0; i < h->image_id_size && i < FGK_IMAGE_ID_MAX; i++)
		printf("%02x", h->image_id[i]);
	printf("\n");
	printf("map regions %u units %u xrefs %u tables %u overrides %u field_units %u symtabs %u sym_ties %u relocs %u/%u/%u\n",
	       h->nr_regions, h->nr_units, h->nr_xrefs, h->nr_tables, h->nr_overrides,
	       h->nr_field_units, h->nr_symtabs, h->nr_sym_ties, h->nr_relocs[0], h->nr_relocs[1],
	       h->nr_relocs[2]);
}

/* Bytes the longest layout of the region's units can take (layout_worst_case). */
static uint64_t needed(const struct view *v, const struct fgk_region *r)
{
	uint32_t n = r->first_unit < v->h->nr_units ? v->h->nr_units - r->first_unit : 0;

	if (n > r->nr_units)
		n = r->nr_units;
	return layout_worst_case(v->units + r->first_unit, n, r->start);
}

/* Capacity minus the worst-case layout. */
static int64_t slack(const struct view *v, const struct fgk_region *r)
{
	return (int64_t)r->end - r->start - (int64_t)needed(v, r);
}

static void print_regions(const struct view *v)
{
	for (uint32_t i = 0; i < v->h->nr_regions; i++) {
		const struct fgk_region *r = &v->regions[i];
		int64_t s = slack(v, r);

		printf("region %u: [0x%x, 0x%x) units %u+%u capacity 0x%x slack %s0x%llx%s\n", i,
		       r->start, r->end, r->first_unit, r->nr_units, r->end - r->start,
		       s < 0 ? "-" : "", (unsigned long long)(s < 0 ? -s : s),
		       s < 0 ? " WARNING: worst case exceeds capacity, some seeds may fail with NOSPACE" : "");
	}
}

static const char *uname(const struct view *v, uint32_t i)
{
	if (!v->nm || i >= v->h->nr_units)
		return "";
	return namer_unit(v->nm, &v->units[i], i);
}

static void print_units(const struct view *v)
{
	for (uint32_t i = 0; i < v->h->nr_units; i++) {
		const struct fgk_unit *u = &v->units[i];

		printf("unit %u: off 0x%x size 0x%x align %u %s\n", i, u->offset, u->size,
		       u->align, uname(v, i));
	}
}

static const char *unit_str(uint32_t unit, char *buf)
{
	if (unit == FGK_UNIT_NONE)
		return "-";
	sprintf(buf, "u%u", unit);
	return buf;
}

/* The unit holding off (half-open), by binary search. */
static uint32_t unit_at(const struct view *v, uint32_t off)
{
	uint32_t lo = 0, hi = v->h->nr_units;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v->units[mid].offset <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && off - v->units[lo - 1].offset < v->units[lo - 1].size)
		return lo - 1;
	return FGK_UNIT_NONE;
}

static const char *target_str(uint32_t unit, char *buf)
{
	return unit == FGK_UNIT_UNKNOWN ? "?" : unit_str(unit, buf);
}

static void print_xrefs(const struct view *v, uint32_t *count)
{
	char a[16], b[16];

	for (uint32_t k = 1; k <= FGK_XREF_KIND_MAX; k++)
		for (uint32_t i = 0; i < v->h->nr_xrefs; i++) {
			const struct fgk_xref *x = &v->xrefs[i];

			if (FGK_XREF_KIND(x->info) != k)
				continue;
			count[k]++;
			printf("xref %s 0x%x %s -> %s\n", xref_kinds[k], x->site,
			       unit_str(unit_at(v, x->site), a), target_str(FGK_XREF_UNIT(x->info), b));
		}
}

static void print_overrides(const struct view *v, uint32_t first, uint32_t n, const char *what)
{
	char a[16];

	for (uint32_t i = 0; i < n && first + i < v->h->nr_overrides; i++) {
		const struct fgk_override *o = &v->overrides[first + i];

		printf("override %s entry %u -> %s\n", what, o->entry, unit_str(o->unit, a));
	}
}

static void print_fields(const struct view *v, const struct fgk_table *t)
{
	uint32_t nf = __builtin_popcount(t->rel32_fields);
	char a[16];

	for (uint32_t e = 0; nf && e < t->nr_entries; e++) {
		printf("fields entry %u:", e);
		for (uint32_t j = 0; j < nf; j++) {
			uint64_t at = t->first_field_unit + (uint64_t)e * nf + j;

			printf(" %s", at < v->h->nr_field_units ? unit_str(v->field_units[at], a) : "?");
		}
		printf("\n");
	}
}

static void print_tables(const struct view *v)
{
	for (uint32_t i = 0; i < v->h->nr_tables; i++) {
		const struct fgk_table *t = &v->tables[i];

		printf("table %u: off 0x%x entries %u entry_size %u key %u %s fields 0x%x parallel 0x%x/%u overrides %u\n",
		       i, t->offset, t->nr_entries, t->entry_size, t->key_offset,
		       t->key_kind == FGK_KEY_REL32 ? "rel32" : "abs64", t->rel32_fields,
		       t->par_offset, t->par_entry_size, t->nr_overrides);
		print_overrides(v, t->first_override, t->nr_overrides, "table");
		print_fields(v, t);
	}
}

static void print_symtab(const struct view *v)
{
	for (uint32_t i = 0; i < v->h->nr_symtabs; i++) {
		const struct fgk_symtab *s = &v->symtabs[i];

		printf("symtab: syms %u offsets 0x%x %s names 0x%x+0x%x markers 0x%x seqs 0x%x flags 0x%x relative_base 0x%" PRIx64 " overrides %u\n",
		       s->nr_syms, s->offsets,
		       s->offsets_kind == FGK_SYMOFF_RELATIVE ? "relative" : "abs-percpu",
		       s->names, s->names_size, s->markers, s->seqs, s->flags,
		       s->relative_base, s->nr_overrides);
		print_overrides(v, s->first_override, s->nr_overrides, "symtab");
	}
	for (uint32_t i = 0; i < v->h->nr_sym_ties; i++)
		printf("tie seqs %u +%u\n", v->sym_ties[i].first, v->sym_ties[i].count);
}

static void print_relocs(const struct view *v)
{
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		for (uint32_t i = 0; i < v->h->nr_relocs[k]; i++)
			printf("reloc %s 0x%x\n", reloc_kinds[k], v->relocs[k][i]);
}

static void print_stats(const struct view *v, const uint32_t *xcount)
{
	uint64_t bytes = 0;
	int64_t min_slack = 0;

	for (uint32_t i = 0; i < v->h->nr_units; i++)
		bytes += v->units[i].size;
	for (uint32_t i = 0; i < v->h->nr_regions; i++) {
		int64_t s = slack(v, &v->regions[i]);

		if (!i || s < min_slack)
			min_slack = s;
	}
	printf("stat units %u\nstat regions %u\nstat bytes-movable %" PRIu64 "\n",
	       v->h->nr_units, v->h->nr_regions, bytes);
	for (uint32_t k = 1; k <= FGK_XREF_KIND_MAX; k++)
		printf("stat xrefs-%s %u\n", xref_kinds[k], xcount[k]);
	printf("stat xrefs %u\n", v->h->nr_xrefs);
	printf("stat xrefs-stored %u\n", fgk_xrefs_stored(v->h));
	for (uint32_t i = 0; i < v->h->nr_tables; i++)
		printf("stat table-%u entries %u bytes %" PRIu64 "\n", i, v->tables[i].nr_entries,
		       (uint64_t)v->tables[i].nr_entries * v->tables[i].entry_size);
	printf("stat overrides %u\nstat syms %u\nstat sym-ties %u\n", v->h->nr_overrides,
	       v->h->nr_symtabs ? v->symtabs[0].nr_syms : 0, v->h->nr_sym_ties);
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		printf("stat relocs-%s %u\n", reloc_kinds[k], v->h->nr_relocs[k]);
	printf("stat map-size %zu\nstat min-region-slack %" PRId64 "\n", v->size, min_slack);
	for (uint32_t i = 0; i < v->h->nr_regions; i++)
		printf("stat region-%u-needed %" PRIu64 "\nstat region-%u-capacity %u\n", i,
		       needed(v, &v->regions[i]), i, v->regions[i].end - v->regions[i].start);
}

void dump_map(const void *map, size_t size, const char *path, struct namer *nm,
	      const uint8_t *image, uint64_t image_size)
{
	struct view v = { .path = path, .nm = nm, .image = image,
			  .image_size = image ? image_size : UINT64_MAX };
	uint32_t xcount[FGK_XREF_KIND_MAX + 1] = { 0 };

	open_view(&v, map, size);
	print_header(&v);
	print_regions(&v);
	print_units(&v);
	print_xrefs(&v, xcount);
	print_tables(&v);
	print_symtab(&v);
	print_relocs(&v);
	print_stats(&v, xcount);
	free(v.xrefs);
	free(v.overrides);
	free(v.units);
}
