/* load.c: load a kernel's flat image and map once, restore the image before each run, describe both. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void *read_map(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0)
		die("%s: cannot size: %s", path, strerror(errno));
	rewind(f);
	void *buf = xcalloc((size_t)n + 8, 1);	/* malloc: 16-byte aligned */
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: short read", path);
	fclose(f);
	*size = (uint64_t)n;
	return buf;
}

static const struct elfimg_sym *find_sym(const struct bench *b, const char *name)
{
	for (size_t s = 1; s < b->img.nr_syms; s++)
		if (!strcmp(b->img.syms[s].name, name))
			return &b->img.syms[s];
	return NULL;
}

/*
 * "__start___ex_table" -> "ex_table": the nearest __start_X at or below
 * the table (skip-zero tables start after their zero entries) that has a
 * __stop_X at or past its end.
 */
static char *table_name(const struct bench *b, uint32_t i)
{
	const struct fgk_table *t = &b->map.tables[i];
	const struct elfimg_sym *best = NULL, *stop;
	char buf[160];

	for (size_t s = 1; s < b->img.nr_syms; s++) {
		const struct elfimg_sym *sym = &b->img.syms[s];

		if (!strncmp(sym->name, "__start_", 8) && sym->img_off <= t->offset &&
		    (!best || sym->img_off > best->img_off))
			best = sym;
	}
	if (best) {
		snprintf(buf, sizeof(buf), "__stop_%s", best->name + 8);
		stop = find_sym(b, buf);
		if (stop && stop->img_off != ELFIMG_NO_OFF &&
		    stop->img_off >= t->offset + (uint64_t)t->nr_entries * t->entry_size) {
			const char *n = best->name + 8;
			while (*n == '_')
				n++;
			if (*n)
				return strdup(n);
		}
	}
	snprintf(buf, sizeof(buf), "table%u-%s-%uB", i,
		 t->key_kind == FGK_KEY_ABS64 ? "abs64" : "rel32", t->entry_size);
	return strdup(buf);
}

static void sum_regions(struct bench *b)
{
	b->region_unit_bytes = xcalloc(b->map.hdr->nr_regions, sizeof(uint64_t));
	for (uint32_t r = 0; r < b->map.hdr->nr_regions; r++) {
		const struct fgk_region *reg = &b->map.regions[r];

		b->region_bytes += reg->end - reg->start;
		for (uint32_t u = reg->first_unit; u < reg->first_unit + reg->nr_units; u++)
			b->region_unit_bytes[r] += b->map.units[u].size;
		b->unit_bytes += b->region_unit_bytes[r];
	}
}

int bench_open(struct bench *b, struct fgk_map *map)
{
	int err = fgk_map_open(map, b->map_buf, b->map_size, b->img.image, b->img.size,
			       b->units, b->units_size);

	if (!err && b->relocs)
		err = fgk_map_use_relocs(map, b->relocs, b->relocs_size, b->img.image);
	return err;
}

void bench_load(struct bench *b, const struct bench_opts *o)
{
	memset(b, 0, sizeof(*b));
	b->config = o->config;
	b->base_delta = o->base_delta;
	elfimg_load(&b->img, o->vmlinux);
	b->pristine = xcalloc(b->img.size, 1);
	memcpy(b->pristine, b->img.image, b->img.size);
	b->map_buf = read_map(o->map, &b->map_size);
	if (o->relocs)
		b->relocs = read_map(o->relocs, &b->relocs_size);
	b->units_size = fgk_map_units_bytes(b->map_buf, b->map_size);
	b->units = aligned_alloc(8, b->units_size + 8);
	int err = bench_open(b, &b->map);
	if (err)
		die("%s: map rejected for %s: %s", o->map, o->vmlinux, fgk_strerror(err));
	if (b->map.hdr->link_base != b->img.link_base)
		die("%s: map link_base %#" PRIx64 " but %s loads offset 0 at %#" PRIx64,
		    o->map, b->map.hdr->link_base, o->vmlinux, b->img.link_base);
	b->scratch_size = fgk_scratch_size(&b->map);
	b->scratch = aligned_alloc(8, (b->scratch_size + 15) & ~7ull);
	if (!b->scratch)
		die("no memory for %" PRIu64 " bytes of scratch", b->scratch_size);
	sum_regions(b);
	floor_init(b);
	b->table_names = xcalloc(b->map.hdr->nr_tables + 1, sizeof(char *));
	for (uint32_t i = 0; i < b->map.hdr->nr_tables; i++)
		b->table_names[i] = table_name(b, i);
}

/* Not timed: put back the bytes fgk_map_open checked. */
void bench_restore(struct bench *b)
{
	memcpy(b->img.image, b->pristine, b->img.size);
}

void bench_shuffle(struct bench *b, const struct fgk_map *map, struct fgk_shuffle_args *args)
{
	args->base_delta = b->base_delta;
	args->scratch = b->scratch;
	args->scratch_size = b->scratch_size;
	int err = fgk_shuffle(map, b->img.image, args);
	if (err)
		die("%s: seed %" PRIu64 ": %s", b->config, args->seed, fgk_strerror(err));
}

void bench_free(struct bench *b)
{
	for (uint32_t i = 0; i < b->map.hdr->nr_tables; i++)
		free(b->table_names[i]);
	free(b->table_names);
	floor_free(b);
	free(b->region_unit_bytes);
	free(b->scratch);
	free(b->map_buf);
	free(b->units);
	free(b->relocs);
	free(b->pristine);
	elfimg_free(&b->img);
}

/* The function (or other symbol) that starts the unit, for labels. */
const char *unit_name(const struct bench *b, uint32_t unit)
{
	const char *any = NULL;

	for (size_t s = 1; s < b->img.nr_syms; s++) {
		const struct elfimg_sym *sym = &b->img.syms[s];

		if (sym->img_off != b->map.units[unit].offset || !*sym->name ||
		    sym->type == STT_SECTION || sym->type == STT_FILE)
			continue;
		if (sym->type == STT_FUNC)	/* __pfx_f: f's padding, the unit's start */
			return strncmp(sym->name, "__pfx_", 6) ? sym->name : sym->name + 6;
		if (!any)
			any = sym->name;
	}
	return any ? any : "?";
}

FILE *open_csv(const char *path, const char *header)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "%s\n", header);
	return f;
}

/* The .text output section: where it is in the image and how big. */
static void text_section(const struct bench *b, uint64_t *off, uint64_t *size)
{
	*off = *size = 0;
	for (size_t i = 1; i < b->img.nr_secs; i++) {
		GElf_Shdr sh;

		if (strcmp(elfimg_secname(&b->img, i), ".text"))
			continue;
		elfimg_shdr(&b->img, i, &sh);
		*off = b->img.sec_off[i];
		*size = sh.sh_size;
	}
}

/* key,value lines: what the report says about the kernel and the map. */
void bench_write_info(const struct bench *b, const struct bench_opts *o)
{
	const struct fgk_map_header *h = b->map.hdr;
	FILE *f = open_csv(o->info, "key,value");
	uint64_t text_off, text_size;

	text_section(b, &text_off, &text_size);
	fprintf(f, "config,%s\nvmlinux,%s\nmap,%s\n", b->config, o->vmlinux, o->map);
	fprintf(f, "link_base,%#" PRIx64 "\nimage_bytes,%" PRIu64 "\nmap_bytes,%" PRIu64 "\n",
		h->link_base, b->img.size, b->map_size);
	fprintf(f, "text_offset,%" PRIu64 "\ntext_bytes,%" PRIu64 "\n", text_off, text_size);
	fprintf(f, "regions,%u\nunits,%u\nunit_bytes,%" PRIu64 "\nregion_bytes,%" PRIu64 "\n",
		h->nr_regions, h->nr_units, b->unit_bytes, b->region_bytes);
	fprintf(f, "xrefs,%u\ntables,%u\nsyms,%u\nscratch_bytes,%" PRIu64 "\n", h->nr_xrefs,
		h->nr_tables, b->map.symtab ? b->map.symtab->nr_syms : 0, b->scratch_size);
	fprintf(f, "relocs,%u\nbase_delta,%#" PRIx64 "\n",
		b->map.nr_relocs[0] + b->map.nr_relocs[1] + b->map.nr_relocs[2], (uint64_t)b->base_delta);
	for (uint32_t i = 0; i < h->nr_tables; i++)
		fprintf(f, "table:%s,%u\n", b->table_names[i], b->map.tables[i].nr_entries);
	for (uint32_t r = 0; r < h->nr_regions; r++) {
		const struct fgk_region *reg = &b->map.regions[r];
		fprintf(f, "region:%u,%u %u %u\n", r, reg->start, reg->end, reg->nr_units);
	}
	fclose(f);
}
