/* ldmap.h: the input sections of some output sections, read from a GNU ld -Map file. */
#ifndef E2E_LDMAP_H
#define E2E_LDMAP_H

#include <stddef.h>
#include <stdint.h>

struct input_section {
	char *name;
	uint64_t addr;
	uint64_t size;
};

/* In link order; out_sections ends with NULL; dies if the map lacks one of them. */
struct input_section *ldmap_read(const char *path, const char *const *out_sections, size_t *count);
void ldmap_free(struct input_section *secs, size_t count);

#endif /* E2E_LDMAP_H */
