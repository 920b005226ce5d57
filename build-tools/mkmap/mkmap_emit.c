/* mkmap_emit.c: hand the arrays to fgk_map_build and write the map file. */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map_write.h"
#include "mkmap.h"

/* The map format holds plain arrays: copy the units and tables out. */
void *emit_map(struct mk *mk, size_t *size)
{
	struct fgk_region *regions = xcalloc(mk->regions.n, sizeof(*regions));
	struct fgk_unit *units = xcalloc(mk->units.n, sizeof(*units));
	struct fgk_table *tables = xcalloc(mk->tables.n, sizeof(*tables));
	struct fgk_map_parts p = {
		.link_base = mk->img.link_base, .image_size = mk->img.image_size,
		.flags = (mk->img.type == ET_DYN ? FGK_MAP_PIE : 0) |
			 (mk->image_relocs ? FGK_MAP_IMAGE_RELOCS : 0),
		.image_id_offset = mk->image_id_offset, .image_id_size = mk->image_id_size,
		.image_id = mk->image_id, .image = mk->img.mem,
		.regions = regions, .nr_regions = mk->regions.n,
		.units = units, .nr_units = mk->units.n,
		.xrefs = mk->xrefs.v, .nr_xrefs = mk->xrefs.n,
		.tables = tables, .nr_tables = mk->tables.n,
		.overrides = mk->overrides.v, .nr_overrides = mk->overrides.n,
		.field_units = mk->field_units.v, .nr_field_units = mk->field_units.n,
		.symtabs = &mk->symtab, .nr_symtabs = mk->has_symtab,
		.sym_ties = mk->sym_ties.v, .nr_sym_ties = mk->sym_ties.n,
	};

	for (size_t i = 0; i < mk->regions.n; i++)
		regions[i] = mk->regions.v[i].r;
	for (size_t i = 0; i < mk->units.n; i++)
		units[i] = mk->units.v[i].u;
	for (size_t i = 0; i < mk->tables.n; i++)
		tables[i] = mk->tables.v[i].t;
	for (int k = 0; k < FGK_NR_RELOC_KINDS && !mk->image_relocs; k++) {
		p.relocs[k] = mk->relocs[k].v;
		p.nr_relocs[k] = mk->relocs[k].n;
	}
	void *map = fgk_map_build(&p, size);

	if (!map)
		die("out of memory building the map");
	free(regions);
	free(units);
	free(tables);
	return map;
}
