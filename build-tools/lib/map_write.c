/* map_write.c: lay out and checksum an fgkaslr map from its arrays (host side). */
#include <stdlib.h>
#include <string.h>

#include "map_write.h"

/* The host is x86-64, so structs are written as they lie in memory (LE). */

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

/* What goes into each payload array (fgk_map.h); the sizes come from the header. */
static void array_data(const struct fgk_map_parts *p, const struct streams *st,
		       const void *data[FGK_MAP_NR_ARRAYS])
{
	data[FGK_MAP_REGIONS] = p->regions;
	data[FGK_MAP_UNITS] = st->units;
	data[FGK_MAP_XREFS] = st->xrefs;
	data[FGK_MAP_TABLES] = p->tables;
	data[FGK_MAP_OVERRIDES] = st->overrides;
	data[FGK_MAP_FIELD_UNITS] = p->field_units;
	data[FGK_MAP_SYMTABS] = p->symtabs;
	data[FGK_MAP_SYM_TIES] = p->sym_ties;
	data[FGK_MAP_RELOCS_ABS64] = p->relocs[FGK_RELOC_ABS64];
	data[FGK_MAP_RELOCS_ABS32] = p->relocs[FGK_RELOC_ABS32];
	data[FGK_MAP_RELOCS_INV32] = p->relocs[FGK_RELOC_INV32];
}

/* The header; its payload_size and checksum come once the arrays are laid out. */
static void fill_header(struct fgk_map_header *h, const struct fgk_map_parts *p,
			const struct streams *st)
{
	memset(h, 0, sizeof(*h));
	h->magic = FGK_MAP_MAGIC;
	h->version = FGK_MAP_VERSION;
	h->header_size = sizeof(*h);
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
	const void *data[FGK_MAP_NR_ARRAYS];
	struct fgk_map_header h;
	struct streams st = { 0 };
	unsigned char *map;
	size_t total;

	st.units = fgk_units_encode(parts->units, parts->nr_units, &st.unit_bytes);
	st.xrefs = fgk_xrefs_encode(parts, &st.xref_bytes);
	st.overrides = fgk_overrides_encode(parts->overrides, parts->nr_overrides,
					    &st.override_bytes);
	if (!st.units || !st.xrefs || !st.overrides || st.unit_bytes > UINT32_MAX ||
	    st.xref_bytes > UINT32_MAX || st.override_bytes > UINT32_MAX) {
		free_streams(&st);
		return NULL;
	}
	fill_header(&h, parts, &st);
	total = fgk_map_array_offset(&h, FGK_MAP_NR_ARRAYS);
	h.payload_size = total - sizeof(h);
	map = calloc(1, total);
	if (!map) {
		free_streams(&st);
		return NULL;
	}
	memcpy(map, &h, sizeof(h));
	array_data(parts, &st, data);
	for (int a = 0; a < FGK_MAP_NR_ARRAYS; a++) {
		uint64_t bytes = fgk_map_array_bytes(&h, a);

		if (bytes)
			memcpy(map + fgk_map_array_offset(&h, a), data[a], bytes);
	}
	free_streams(&st);
	fgk_map_reseal(map);
	*size = total;
	return map;
}

struct fgk_map_parts fgk_map_parts_of(const void *map)
{
	const struct fgk_map_header *h = map;
	struct fgk_map_parts p = {
		.link_base = h->link_base, .image_size = h->image_size, .flags = h->flags,
		.image_id_offset = h->image_id_offset, .image_id_size = h->image_id_size,
		.image_id = h->image_id,
		.nr_regions = h->nr_regions, .nr_units = h->nr_units, .nr_xrefs = h->nr_xrefs,
		.nr_tables = h->nr_tables, .nr_overrides = h->nr_overrides,
		.nr_field_units = h->nr_field_units, .nr_symtabs = h->nr_symtabs,
		.nr_sym_ties = h->nr_sym_ties,
	};

	p.regions = (const void *)fgk_map_section(map, FGK_MAP_REGIONS);
	p.tables = (const void *)fgk_map_section(map, FGK_MAP_TABLES);
	p.field_units = (const void *)fgk_map_section(map, FGK_MAP_FIELD_UNITS);
	p.symtabs = (const void *)fgk_map_section(map, FGK_MAP_SYMTABS);
	p.sym_ties = (const void *)fgk_map_section(map, FGK_MAP_SYM_TIES);
	p.relocs[FGK_RELOC_ABS64] = (const void *)fgk_map_section(map, FGK_MAP_RELOCS_ABS64);
	p.relocs[FGK_RELOC_ABS32] = (const void *)fgk_map_section(map, FGK_MAP_RELOCS_ABS32);
	p.relocs[FGK_RELOC_INV32] = (const void *)fgk_map_section(map, FGK_MAP_RELOCS_INV32);
	for (int k = 0; k < FGK_NR_RELOC_KINDS; k++)
		p.nr_relocs[k] = h->nr_relocs[k];
	return p;
}

const uint8_t *fgk_map_section(const void *map, enum fgk_map_array a)
{
	return (const uint8_t *)map + fgk_map_array_offset(map, a);
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

	h->payload_xxh64 = fgk_xxh64((unsigned char *)map + h->header_size,
				 h->payload_size, 0);
}
