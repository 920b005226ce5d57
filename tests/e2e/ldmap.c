/* ldmap.c: the input sections of some output sections, read from a GNU ld -Map file. */
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

/* Which of out_sections (NULL-terminated) the line opens: its index, or -1. */
static int opens_which(const char *line, const char *const *out_sections)
{
	for (int i = 0; out_sections[i]; i++)
		if (starts_section(line, out_sections[i]))
			return i;
	return -1;
}

struct input_section *ldmap_read(const char *path, const char *const *out_sections, size_t *count)
{
	struct reader r = { 0 };
	char line[8192];
	int inside = -1;
	unsigned found = 0, all = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		die("%s: cannot open", path);
	for (int i = 0; out_sections[i]; i++)
		all |= 1u << i;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ' ' && line[0] != '\n') {
			inside = opens_which(line, out_sections);
			found |= inside >= 0 ? 1u << inside : 0;
			r.pending[0] = '\0';
			continue;
		}
		if (inside >= 0)
			parse_line(&r, line);
	}
	fclose(f);
	if (found != all)
		die("%s: an output section of %s... is missing", path, out_sections[0]);
	*count = r.count;
	return r.secs;
}

void ldmap_free(struct input_section *secs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(secs[i].name);
	free(secs);
}
