/* ldmap.h: a GNU ld -Map file read: output and input sections, assignments, addresses. */
#ifndef FGK_LDMAP_H
#define FGK_LDMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"

struct ld_insec {
	const char *name;
	const char *file;		/* "x.o", "lib.a(m.o)", or NULL */
	uint64_t addr, size;		/* vaddr */
	uint32_t outsec;		/* index into ld_map.outs */
	bool data_stmt;			/* BYTE/LONG/QUAD... in the script */
};

struct ld_outsec {
	const char *name;
	uint64_t addr, size;
	uint32_t first, n;		/* its input sections */
};

struct ld_assign {			/* "sym = EXPR" in the script, as listed */
	const char *name;
	uint64_t value;			/* the symbol's final value */
};

struct ld_map {
	const char *path;

	VEC(struct ld_outsec) outs;
	VEC(struct ld_insec) ins;	/* in map order (by address per outsec) */
	VEC(struct ld_assign) assigns;	/* in map order */
	uint32_t *by_addr;		/* non-empty ones, sorted by address */
	size_t nby;
};

void ldmap_read(struct ld_map *map, const char *path);
const struct ld_outsec *ldmap_outsec(const struct ld_map *map, const char *name);
const struct ld_insec *ldmap_insec_at(const struct ld_map *map, uint64_t vaddr);
/* Free what ldmap_read allocated. */
void ldmap_free(struct ld_map *map);

#endif /* FGK_LDMAP_H */
