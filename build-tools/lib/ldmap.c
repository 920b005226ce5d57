/* ldmap.c: parse a GNU ld -Map file: section boundaries and script assignments. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldmap.h"

/*
 * The part after "Linker script and memory map" looks like this (GNU ld
 * 2.40); a name too long for its column pushes the numbers to the next line:
 *
 *   .text           0x0000000000401000       0x57          <- output section
 *    *(.text .stub .text.*)                                <- pattern: skipped
 *    .text.foo      0x0000000000401030        0xd a.o      <- input section
 *                   0x0000000000401030                foo  <- symbol: skipped
 *    *fill*         0x000000000040103d        0x3          <- gap: skipped
 *    .text.a_very_long_name
 *                   0x0000000000401040        0x8 lib.a(b.o)
 *    LONG           0x0000000000401048        0x4 0x1     <- script data
 *                   0x0000000000401050                _etext = .            <- assignment
 *                   0x0000000000401050                PROVIDE (etext = .)   <- used PROVIDE
 *                   [!provide]                        PROVIDE (edata = .)   <- unused: skipped
 *
 * Sections not in any output section listing (/DISCARD/) are ignored.
 * An assignment line shows the symbol's final value (a symbol assigned
 * twice shows it twice); HIDDEN (sym = .) is listed as a plain assignment,
 * and assignments to `.` are not symbols.
 */

#define MAX_TOK 4

struct lm_state {
	struct ld_map *map;
	int lineno;
	int cur_out;			/* index in outs, or -1 */
	char *pend_out, *pend_in;	/* a name waiting for its numbers */
};

static bool is_hex(const char *t)
{
	uint64_t v;

	return t && t[0] == '0' && t[1] == 'x' && parse_num(t, &v);
}

static uint64_t hex(const char *t)
{
	uint64_t v = 0;

	parse_num(t, &v);
	return v;
}

/* Split into at most max words; the last one takes the rest of the line. */
static int tokens(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		tok[n++] = p;
		if (n == max) {
			p[strcspn(p, "\r\n")] = 0;
			for (char *e = p + strlen(p); e > p && e[-1] == ' '; e--)
				e[-1] = 0;
			break;
		}
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
	}
	return n;
}

static void add_out(struct lm_state *st, const char *name, uint64_t addr, uint64_t size)
{
	struct ld_outsec *o = vec_push(&st->map->outs);

	*o = (struct ld_outsec){ xstrdup(name), addr, size, st->map->ins.n, 0 };
	st->cur_out = st->map->outs.n - 1;
}

static void add_in(struct lm_state *st, const char *name, uint64_t addr,
		   uint64_t size, const char *file, bool data)
{
	if (st->cur_out < 0)
		return;
	struct ld_insec *in = vec_push(&st->map->ins);
	*in = (struct ld_insec){ xstrdup(name), file && *file ? xstrdup(file) : NULL,
				 addr, size, st->cur_out, data };
	st->map->outs.v[st->cur_out].n++;
}

static bool is_data_stmt(const char *t)
{
	static const char *const kw[] = { "BYTE", "SHORT", "LONG", "QUAD", "SQUAD" };

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strcmp(t, kw[i]))
			return true;
	return false;
}

static void column0(struct lm_state *st, char *line)
{
	char *t[MAX_TOK];
	int n = tokens(line, t, 4);

	st->cur_out = -1;
	if (!n)
		return;			/* blank */
	if (!strcmp(t[0], "LOAD") || !strncmp(t[0], "OUTPUT(", 7) ||
	    !strcmp(t[0], "START") || !strcmp(t[0], "END") ||
	    !strcmp(t[0], "/DISCARD/"))
		return;
	if (n >= 3 && is_hex(t[1]) && is_hex(t[2]))
		add_out(st, t[0], hex(t[1]), hex(t[2]));
	else if (n == 1)
		st->pend_out = xstrdup(t[0]);
}

static void column1(struct lm_state *st, char *line)
{
	char *t[MAX_TOK];
	int n = tokens(line, t, 4);

	if (!n || t[0][0] == '*')
		return;			/* blank, or an input section pattern */
	if (n == 1) {
		st->pend_in = xstrdup(t[0]);
		return;
	}
	if (n < 3 || !is_hex(t[1]) || !is_hex(t[2]))
		return;			/* KEEP (...), FILL, ASSERT ... */
	bool data = is_data_stmt(t[0]);

	add_in(st, t[0], hex(t[1]), hex(t[2]), data || n < 4 ? NULL : t[3], data);
}

/*
 * "0xVALUE  sym = EXPR" or "0xVALUE  PROVIDE (sym = EXPR)": a symbol the
 * script defines (recorded unless it is `.`). False if the line is no
 * assignment.
 */
static bool assignment(struct lm_state *st, const char *line)
{
	static const char *const wraps[] = { "PROVIDE (", "PROVIDE_HIDDEN (", "HIDDEN (" };
	const char *p = line + strspn(line, " ");
	char *end;
	uint64_t value = strtoull(p, &end, 16);
	size_t len;

	if (strncmp(p, "0x", 2) || *end != ' ')
		return false;
	p = end + strspn(end, " ");
	for (size_t i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++)
		if (!strncmp(p, wraps[i], strlen(wraps[i])))
			p += strlen(wraps[i]);
	len = strcspn(p, " ");
	if (!len || strncmp(p + len, " = ", 3))
		return false;
	if (len != 1 || p[0] != '.')
		*vec_push(&st->map->assigns) = (struct ld_assign){ xstrndup(p, len), value };
	return true;
}

/* A line of numbers under a name too long for its column, or an assignment. */
static void continuation(struct lm_state *st, char *line)
{
	char *t[MAX_TOK];
	int n;

	if (assignment(st, line))
		return;
	n = tokens(line, t, 3);
	if (n >= 2 && is_hex(t[0]) && is_hex(t[1])) {
		if (st->pend_out)
			add_out(st, st->pend_out, hex(t[0]), hex(t[1]));
		else if (st->pend_in)
			add_in(st, st->pend_in, hex(t[0]), hex(t[1]),
			       n == 3 ? t[2] : NULL, false);
	}
}

static void parse_line(struct lm_state *st, char *line)
{
	char *pend_out = st->pend_out, *pend_in = st->pend_in;

	line[strcspn(line, "\r\n")] = 0;
	if (!*line) {
		st->pend_out = st->pend_in = NULL;
	} else if (line[0] != ' ') {
		st->pend_out = st->pend_in = NULL;
		column0(st, line);
	} else if (line[1] != ' ') {
		st->pend_out = st->pend_in = NULL;
		column1(st, line + 1);
	} else {
		continuation(st, line);
		st->pend_out = st->pend_in = NULL;
	}
	if (pend_out != st->pend_out)
		free(pend_out);
	if (pend_in != st->pend_in)
		free(pend_in);
}

static const struct ld_map *sort_map;

static int by_addr(const void *a, const void *b)
{
	const struct ld_insec *x = &sort_map->ins.v[*(const uint32_t *)a];
	const struct ld_insec *y = &sort_map->ins.v[*(const uint32_t *)b];

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* An index of the non-empty input sections by address, for lookups. */
static void index_map(struct ld_map *map)
{
	map->by_addr = xcalloc(map->ins.n, sizeof(uint32_t));
	for (size_t i = 0; i < map->ins.n; i++)
		if (map->ins.v[i].size)
			map->by_addr[map->nby++] = i;
	sort_map = map;
	qsort(map->by_addr, map->nby, sizeof(uint32_t), by_addr);
}

void ldmap_read(struct ld_map *map, const char *path)
{
	struct lm_state st = { .map = map, .cur_out = -1 };
	size_t size;
	char *text = read_whole_file(path, &size), *at = text, *line;
	bool in_map = false;

	map->path = path;
	while ((line = next_line(&at))) {
		st.lineno++;
		if (in_map)
			parse_line(&st, line);
		else if (!strncmp(line, "Linker script and memory map", 28))
			in_map = true;
	}
	free(text);
	free(st.pend_out);
	free(st.pend_in);
	if (!in_map || !map->outs.n)
		die_at(path, NULL, NOPOS, NULL,
		       "not a GNU ld link map (no \"Linker script and memory map\" part)");
	index_map(map);
}

const struct ld_outsec *ldmap_outsec(const struct ld_map *map, const char *name)
{
	for (size_t i = 0; i < map->outs.n; i++)
		if (!strcmp(map->outs.v[i].name, name))
			return &map->outs.v[i];
	return NULL;
}

/* The non-empty input section holding vaddr. */
const struct ld_insec *ldmap_insec_at(const struct ld_map *map, uint64_t vaddr)
{
	size_t lo = 0, hi = map->nby;

	while (lo < hi) {		/* first one starting after vaddr */
		size_t mid = (lo + hi) / 2;

		if (map->ins.v[map->by_addr[mid]].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	const struct ld_insec *in = &map->ins.v[map->by_addr[lo - 1]];

	return vaddr - in->addr < in->size ? in : NULL;
}

void ldmap_free(struct ld_map *map)
{
	for (size_t i = 0; i < map->outs.n; i++)
		free((char *)map->outs.v[i].name);
	for (size_t i = 0; i < map->ins.n; i++) {
		free((char *)map->ins.v[i].name);
		free((char *)map->ins.v[i].file);
	}
	for (size_t i = 0; i < map->assigns.n; i++)
		free((char *)map->assigns.v[i].name);
	free(map->outs.v);
	free(map->ins.v);
	free(map->assigns.v);
	free(map->by_addr);
	*map = (struct ld_map){ 0 };
}
