/* mkmap_config.c: parse the fgk-mkmap configuration language (described in mkmap-config.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

#define MAX_WORDS	16

struct words {
	const char *where;
	char *w[MAX_WORDS];
	int n;
};

static noreturn void bad(const struct words *ws, const char *msg, const char *arg)
{
	die_at(ws->where, NULL, NOPOS, NULL, "%s%s%s%s", msg,
	       arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
}

static void split(struct words *ws, char *line)
{
	char *hash = strchr(line, '#');

	if (hash)
		*hash = 0;
	ws->n = 0;
	for (char *t = strtok(line, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
		if (ws->n == MAX_WORDS)
			bad(ws, "too many words", NULL);
		ws->w[ws->n++] = t;
	}
}

static void nargs(const struct words *ws, int min, int max)
{
	if (ws->n - 1 < min || ws->n - 1 > max)
		bad(ws, "wrong number of arguments to", ws->w[0]);
}

/* "key=value": the value if the word starts with key=, else NULL. */
static const char *opt(const char *word, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(word, key, n) && word[n] == '=' ? word + n + 1 : NULL;
}

static uint64_t num(const struct words *ws, const char *s)
{
	uint64_t v;

	if (!parse_num(s, &v))
		bad(ws, "bad number", s);
	return v;
}

static void do_region(struct mk_config *cfg, const struct words *ws)
{
	nargs(ws, 1, 3);
	struct cfg_region *r = vec_push(&cfg->regions);
	*r = (struct cfg_region){ ws->where, xstrdup(ws->w[1]), NULL, false };
	for (int i = 2; i < ws->n; i++) {
		const char *e = opt(ws->w[i], "end");

		if (!strcmp(ws->w[i], "must-fit") && !r->must_fit)
			r->must_fit = true;
		else if (e && *e && !r->end_sym)
			r->end_sym = xstrdup(e);
		else
			bad(ws, "expected end=<symbol> or must-fit, got", ws->w[i]);
	}
}

static void do_range(struct mk_config *cfg, const struct words *ws, bool block)
{
	nargs(ws, 2, 2);
	*vec_push(&cfg->ranges) = (struct cfg_range){
		ws->where, xstrdup(ws->w[1]), xstrdup(ws->w[2]), block, false };
}

static void table_fields(struct cfg_table *t, const struct words *ws, const char *v)
{
	char *list = xstrdup(v);

	for (char *f = strtok(list, ","); f; f = strtok(NULL, ",")) {
		if (t->nfields == CFG_MAX_FIELDS)
			bad(ws, "too many fields", v);
		t->fields[t->nfields++] = num(ws, f);
	}
	free(list);
}

static void table_parallel(struct cfg_table *t, const struct words *ws, const char *v)
{
	const char *colon = strrchr(v, ':');

	if (!colon || colon == v)
		bad(ws, "expected parallel=<symbol>:<entry-size>, got", v);
	t->par_sym = xstrndup(v, colon - v);
	t->par_size = num(ws, colon + 1);
	if (!t->par_size)
		bad(ws, "parallel entry size must not be 0", v);
}

static void table_marker(struct cfg_table *t, const struct words *ws, const char *v)
{
	char *s = xstrdup(v), *save = NULL;
	uint64_t x[3];
	int n = 0;

	for (char *f = strtok_r(s, ":", &save); f; f = strtok_r(NULL, ":", &save)) {
		if (n == 3)
			bad(ws, "expected end-marker=<byte>:<mask>:<value>, got", v);
		x[n++] = num(ws, f);
	}
	free(s);
	if (n != 3 || x[1] > 0xff || x[2] > 0xff)
		bad(ws, "expected end-marker=<byte>:<mask>:<value> (mask, value < 256), got", v);
	t->has_marker = true;
	t->marker_byte = x[0], t->marker_mask = x[1], t->marker_value = x[2];
}

static void table_kind(struct cfg_table *t, const struct words *ws, const char *v)
{
	if (!strcmp(v, "rel32"))
		t->kind = FGK_KEY_REL32;
	else if (!strcmp(v, "abs64"))
		t->kind = FGK_KEY_ABS64;
	else
		bad(ws, "kind= must be rel32 or abs64, not", v);
}

static void table_word(struct cfg_table *t, const struct words *ws, const char *w,
		       unsigned int *seen)
{
	static const char *const keys[] = { "start", "end", "entry", "key", "kind",
				      "fields", "parallel", "end-marker" };
	const char *v = NULL;
	unsigned int k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]) && !v; k++)
		v = opt(w, keys[k]);
	if (!v || !*v)
		bad(ws, "unknown or empty table option", w);
	k--;
	if (*seen & 1u << k)
		bad(ws, "repeated table option", w);
	*seen |= 1u << k;
	switch (k) {
	case 0:
		t->start_sym = xstrdup(v);
		break;
	case 1:
		t->end_sym = xstrdup(v);
		break;
	case 2:
		t->entry = num(ws, v);
		break;
	case 3:
		t->key = num(ws, v);
		break;
	case 4:
		table_kind(t, ws, v);
		break;
	case 5:
		table_fields(t, ws, v);
		break;
	case 6:
		table_parallel(t, ws, v);
		break;
	default:
		table_marker(t, ws, v);
		break;
	}
}

static void do_table(struct mk_config *cfg, const struct words *ws)
{
	struct cfg_table t = { .where = ws->where };
	unsigned int seen = 0;

	if (ws->n < 2 || strchr(ws->w[1], '='))
		bad(ws, "table needs a name first", NULL);
	t.name = xstrdup(ws->w[1]);
	for (int i = 2; i < ws->n; i++) {
		if (!strcmp(ws->w[i], "skip-zero"))
			t.skip_zero = true;
		else
			table_word(&t, ws, ws->w[i], &seen);
	}
	if ((seen & 0x1f) != 0x1f)
		bad(ws, "table needs start=, end=, entry=, key= and kind=", NULL);
	if (t.has_marker && !t.par_sym)
		bad(ws, "end-marker= needs parallel=", NULL);
	if (t.skip_zero && (t.kind != FGK_KEY_ABS64 || t.par_sym))
		bad(ws, "skip-zero is for abs64 tables without a parallel array", NULL);
	*vec_push(&cfg->tables) = t;
}

static void do_symtab(struct mk_config *cfg, const struct words *ws)
{
	nargs(ws, 1, 2);
	if (strcmp(ws->w[1], "kallsyms"))
		bad(ws, "only `symtab kallsyms` is supported, not", ws->w[1]);
	if (ws->n == 3 && strcmp(ws->w[2], "abs-percpu"))
		bad(ws, "unknown symtab option", ws->w[2]);
	if (cfg->symtab_where)
		bad(ws, "a second symtab directive", NULL);
	cfg->symtab_where = ws->where;
	cfg->abs_percpu = ws->n == 3;
}

void config_line(struct mk_config *cfg, const char *line, const char *where)
{
	struct words ws = { .where = where };
	char *copy = xstrdup(line);

	split(&ws, copy);
	if (!ws.n) {
		free(copy);
		return;
	}
	ws.where = *vec_push(&cfg->wheres) = xstrdup(where);
	const char *d = ws.w[0];

	if (!strcmp(d, "region"))
		do_region(cfg, &ws);
	else if (!strcmp(d, "fixed") || !strcmp(d, "block"))
		do_range(cfg, &ws, d[0] == 'b');
	else if (!strcmp(d, "keep")) {
		nargs(&ws, 1, 1);
		*vec_push(&cfg->keeps) = xstrdup(ws.w[1]);
		*vec_push(&cfg->keep_where) = ws.where;
	} else if (!strcmp(d, "table"))
		do_table(cfg, &ws);
	else if (!strcmp(d, "symtab"))
		do_symtab(cfg, &ws);
	else if (!strcmp(d, "percpu")) {
		nargs(&ws, 1, 1);
		*vec_push(&cfg->percpu) = xstrdup(ws.w[1]);
	} else if (!strcmp(d, "abs-relative")) {
		nargs(&ws, 1, 1);
		*vec_push(&cfg->abs_relative) = xstrdup(ws.w[1]);
	} else
		bad(&ws, "unknown directive", d);
	free(copy);
}

void config_file(struct mk_config *cfg, const char *path)
{
	size_t size;
	char *text = read_whole_file(path, &size), *at = text, *line;
	int lineno = 0;

	while ((line = next_line(&at))) {
		char where[4096];

		snprintf(where, sizeof(where), "%s:%d", path, ++lineno);
		config_line(cfg, line, where);
	}
	free(text);
}
