/* ldmap.c: the input sections of one output section, read from a GNU ld -Map file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "ldmap.h"

/*
 * Inside an output section's block, an input section is a line with one
 * leading space and its name, then address, size and object file; a long
 * name pushes the last three onto the next line:
 *
 *   .text           0x0000000010000030    0x24e2b            <- output section
 *    .text.f2       0x0000000010001890       0x4b a.o        <- input section
 *    .text.unlikely.some_long_name
 *                   0x0000000010000316       0x2e a.o        <- continued
 *                   0x0000000010001890                f2     <- symbol (ignored)
 *    *fill*         0x000000001000188a        0x6 cccccccc   <- padding (ignored)
 */

struct reader {
	struct input_section *secs;
	size_t count, cap;
	char pending[4096];		/* a name waiting for its address line */
};

static void add(struct reader *r, const char *name, uint64_t addr, uint64_t size)
{
	if (r->count == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->secs = realloc(r->secs, r->cap * sizeof(*r->secs));
		if (!r->secs)
			die("out of memory");
	}
	r->secs[r->count].name = strdup(name);
	r->secs[r->count].addr = addr;
	r->secs[r->count].size = size;
	r->count++;
}

/* "0x<addr> 0x<size> <file>": the part of an input-section line after its name. */
static int parse_place(const char *s, uint64_t *addr, uint64_t *size)
{
	char file[4096];
	unsigned long long a, n;

	if (sscanf(s, " 0x%llx 0x%llx %4095s", &a, &n, file) != 3)
		return 0;
	*addr = a;
	*size = n;
	return 1;
}

static void parse_line(struct reader *r, const char *line)
{
	uint64_t addr, size;
	char name[4096];
	int used;

	if (r->pending[0]) {
		if (parse_place(line, &addr, &size))
			add(r, r->pending, addr, size);
		r->pending[0] = '\0';
		return;
	}
	if (line[0] != ' ' || line[1] == ' ' || line[1] == '*' || line[1] == '\n')
		return;
	if (sscanf(line + 1, "%4095s%n", name, &used) != 1)
		return;
	if (parse_place(line + 1 + used, &addr, &size))
		add(r, name, addr, size);
	else if (line[1 + used] == '\n' || line[1 + used] == '\0')
		strcpy(r->pending, name);
}

static int starts_section(const char *line, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(line, name, n) && (line[n] == ' ' || line[n] == '\n');
}

struct input_section *ldmap_read(const char *path, const char *out_section, size_t *count)
{
	struct reader r = { 0 };
	char line[8192];
	int inside = 0, found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		die("%s: cannot open", path);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ' ' && line[0] != '\n') {
			inside = starts_section(line, out_section);
			found |= inside;
			r.pending[0] = '\0';
			continue;
		}
		if (inside)
			parse_line(&r, line);
	}
	fclose(f);
	if (!found)
		die("%s: no output section %s", path, out_section);
	*count = r.count;
	return r.secs;
}

void ldmap_free(struct input_section *secs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(secs[i].name);
	free(secs);
}
