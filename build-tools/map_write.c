/* map_write.c: lay out and checksum an fgkaslr map from its arrays (host side). */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "map_write.h"

/* The host is x86-64, so structs are written as they lie in memory (LE). */

static size_t align_up(size_t n)
{
	return (n + FGK_MAP_ALIGN - 1) & ~(size_t)(FGK_MAP_ALIGN - 1);
}

struct piece {
	const void *data;
	size_t bytes;
};

/* The streams the arrays are written as. */
struct streams {
	uint8_t *units, *xrefs, *overrides;
	size_t unit_bytes, xref_bytes, override_bytes;
};

static void free_streams(struct streams *st)
{
	free(st->units);
	free(st->xrefs);
	free(st->overrides);
}

static size_t list_pieces(const struct fgk_map_parts *p, const struct streams *st,
			  struct piece *out)
{
	size_t n = 0;

	out[n++] = (struct piece){ p->regions, p->nr_regions * sizeof(*p->regions) };
	out[n++] = (struct piece){ st->units, st->unit_bytes };
	out[n++] = (struct piece){ st->xrefs, (p->nr_xrefs + 1ull) / 2 + st->xref_bytes };
	out[n++] = (struct piece){ p->tables, p->nr_tables * sizeof(*p->tables) };
	out[n++] = (struct piece){ st->overrides, st->override_bytes };
	out[n++] = (struct piece){ p->field_units, p->nr_field_units * sizeof(uint32_t) };
	out[n++] = (struct piece){ p->symtabs, p->nr_symtabs * sizeof(*p->symtabs) };
	out[n++] = (struct piece){ p->sym_ties, p->nr_sym_ties * sizeof(*p->sym_ties) };
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		out[n++] = (struct piece){ p->relocs[k], p->nr_relocs[k] * sizeof(uint32_t) };
	return n;
}

static void fill_header(struct fgk_map_header *h, const struct fgk_map_parts *p,
			size_t payload, const struct streams *st)
{
	memset(h, 0, sizeof(*h));
	h->magic = FGK_MAP_MAGIC;
	h->version = FGK_MAP_VERSION;
	h->header_size = sizeof(*h);
	h->payload_size = payload;
	h->link_base = p->link_base;
	h->image_size = p->image_size;
	h->flags = p->flags;
	h->nr_regions = p->nr_regions;
	h->nr_units = p->nr_units;
	h->nr_xrefs = p->nr_xrefs;
	h->xref_bytes = (uint32_t)st->xref_bytes;
	h->override_bytes = (uint32_t)st->override_bytes;
	h->unit_bytes = (uint32_t)st->unit_bytes;
	h->nr_tables = p->nr_tables;
	h->nr_overrides = p->nr_overrides;
	h->nr_field_units = p->nr_field_units;
	h->nr_symtabs = p->nr_symtabs;
	h->nr_sym_ties = p->nr_sym_ties;
	h->image_id_offset = p->image_id_offset;
	h->image_id_size = p->image_id_size;
	if (p->image_id_size)
		memcpy(h->image_id, p->image_id, p->image_id_size);
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		h->nr_relocs[k] = p->nr_relocs[k];
}

void *fgk_map_build(const struct fgk_map_parts *parts, size_t *size)
{
	struct piece pieces[16];
	struct streams st = { 0 };
	size_t payload = 0, n;

	st.units = fgk_units_encode(parts->units, parts->nr_units, &st.unit_bytes);
	st.xrefs = fgk_xrefs_encode(parts, &st.xref_bytes);
	st.overrides = fgk_overrides_encode(parts->overrides, parts->nr_overrides,
					    &st.override_bytes);
	if (!st.units || !st.xrefs || !st.overrides || st.unit_bytes > UINT32_MAX ||
	    st.xref_bytes > UINT32_MAX || st.override_bytes > UINT32_MAX) {
		free_streams(&st);
		return NULL;
	}
	n = list_pieces(parts, &st, pieces);
	for (size_t i = 0; i < n; i++)
		payload += align_up(pieces[i].bytes);

	size_t total = sizeof(struct fgk_map_header) + payload;
	unsigned char *map = calloc(1, total);
	if (!map) {
		free_streams(&st);
		return NULL;
	}

	size_t at = sizeof(struct fgk_map_header);
	for (size_t i = 0; i < n; i++) {
		if (pieces[i].bytes)
			memcpy(map + at, pieces[i].data, pieces[i].bytes);
		at += align_up(pieces[i].bytes);
	}
	free_streams(&st);
	fill_header((struct fgk_map_header *)map, parts, payload, &st);
	fgk_map_reseal(map);
	*size = total;
	return map;
}

static const void *take(const uint8_t **at, size_t count, size_t elem)
{
	const void *p = *at;

	*at += align_up(count * elem);
	return p;
}

struct fgk_map_parts fgk_map_parts_of(const void *map)
{
	const struct fgk_map_header *h = map;
	const uint8_t *at = (const uint8_t *)map + h->header_size;
	struct fgk_map_parts p = {
		.link_base = h->link_base, .image_size = h->image_size, .flags = h->flags,
		.image_id_offset = h->image_id_offset, .image_id_size = h->image_id_size,
		.image_id = h->image_id,
		.nr_regions = h->nr_regions, .nr_units = h->nr_units, .nr_xrefs = h->nr_xrefs,
		.nr_tables = h->nr_tables, .nr_overrides = h->nr_overrides,
		.nr_field_units = h->nr_field_units, .nr_symtabs = h->nr_symtabs,
		.nr_sym_ties = h->nr_sym_ties,
	};

	p.regions = take(&at, h->nr_regions, sizeof(*p.regions));
	take(&at, h->unit_bytes, 1);
	take(&at, (h->nr_xrefs + 1ull) / 2 + h->xref_bytes, 1);
	p.tables = take(&at, h->nr_tables, sizeof(*p.tables));
	take(&at, h->override_bytes, 1);
	p.field_units = take(&at, h->nr_field_units, sizeof(uint32_t));
	p.symtabs = take(&at, h->nr_symtabs, sizeof(*p.symtabs));
	p.sym_ties = take(&at, h->nr_sym_ties, sizeof(*p.sym_ties));
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++) {
		p.relocs[k] = take(&at, h->nr_relocs[k], sizeof(uint32_t));
		p.nr_relocs[k] = h->nr_relocs[k];
	}
	return p;
}

const uint8_t *fgk_map_section(const void *map, enum fgk_section s)
{
	const struct fgk_map_header *h = map;
	size_t sizes[] = {
		[FGK_SECTION_REGIONS] = h->nr_regions * sizeof(struct fgk_region),
		[FGK_SECTION_UNITS] = h->unit_bytes,
		[FGK_SECTION_XREFS] = (h->nr_xrefs + 1ull) / 2 + h->xref_bytes,
		[FGK_SECTION_TABLES] = h->nr_tables * sizeof(struct fgk_table),
		[FGK_SECTION_OVERRIDES] = h->override_bytes,
		[FGK_SECTION_FIELD_UNITS] = h->nr_field_units * sizeof(uint32_t),
		[FGK_SECTION_SYMTABS] = h->nr_symtabs * sizeof(struct fgk_symtab),
		[FGK_SECTION_SYM_TIES] = h->nr_sym_ties * sizeof(struct fgk_sym_tie),
	};
	const uint8_t *at = (const uint8_t *)map + h->header_size;

	for (int i = 0; i < (int)s; i++)
		at += align_up(sizes[i]);
	return at;
}

uint8_t *fgk_put_uleb(uint8_t *p, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;

		v >>= 7;
		*p++ = byte | (v ? 0x80 : 0);
	} while (v);
	return p;
}

int fgk_get_uleb(const uint8_t **at, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (uint32_t shift = 0; *at < end && shift < 64; shift += 7) {
		uint8_t byte = *(*at)++;

		*v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return 1;
	}
	return 0;
}

void fgk_map_reseal(void *map)
{
	struct fgk_map_header *h = map;

	h->payload_xxh64 = XXH64((unsigned char *)map + h->header_size,
				 h->payload_size, 0);
}
