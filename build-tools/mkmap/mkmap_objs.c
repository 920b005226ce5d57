/* mkmap_objs.c: the alignment of each input section, from the objects the link map names. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkmap.h"

/*
 * The link map gives where an input section went but not its alignment,
 * which the runtime must keep (a moved unit keeps its alignment). The object file has it in
 * sh_addralign. An object may hold several sections of one name (section
 * groups); the k-th one the map lists is the k-th unused one in the
 * object with the same name and size.
 */

struct osec {
	const char *name;
	uint64_t size;
	uint32_t align;
	uint32_t idx;			/* section index: keeps file order */
	bool used;
};

struct obj {
	char *key;			/* as the map names it */
	struct osec *secs;		/* sorted by name, then index */
	size_t n;
};

struct mk_objs {
	char *mapdir;
	const char *objdir;

	VEC(struct obj) objs;
	size_t last;
};

struct mk_objs *objs_new(const char *ldmap_path, const char *objdir)
{
	struct mk_objs *o = xcalloc(1, sizeof(*o));
	char *copy = xstrdup(ldmap_path);

	char *abs = realpath(dirname(copy), NULL);	/* so parents can be walked */

	o->mapdir = xstrdup(abs ? abs : ".");
	free(abs);
	free(copy);
	o->objdir = objdir;
	return o;
}

static int cmp_osec(const void *a, const void *b)
{
	const struct osec *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static void read_obj(struct obj *ob, Elf *e, const char *what)
{
	size_t n, shstrndx;

	if (elf_kind(e) != ELF_K_ELF || elf_getshdrnum(e, &n) ||
	    elf_getshdrstrndx(e, &shstrndx))
		die_at(what, NULL, NOPOS, NULL, "not an ELF object: %s", elf_errmsg(-1));
	ob->secs = xcalloc(n, sizeof(*ob->secs));
	for (size_t i = 1; i < n; i++) {
		GElf_Shdr sh;

		if (!gelf_getshdr(elf_getscn(e, i), &sh))
			die_at(what, NULL, NOPOS, NULL, "bad section header %zu", i);
		const char *nm = elf_strptr(e, shstrndx, sh.sh_name);

		ob->secs[ob->n++] = (struct osec){ xstrdup(nm ? nm : ""), sh.sh_size,
			sh.sh_addralign ? sh.sh_addralign : 1, i, false };
	}
	qsort(ob->secs, ob->n, sizeof(*ob->secs), cmp_osec);
}

/*
 * The map names objects as the linker was given them, relative to where it
 * ran: try objdir/path, path, then path under the link map's directory and
 * each of its parents.
 */
static int open_path(struct mk_objs *o, const char *path)
{
	int fd = -1;

	if (o->objdir && path[0] != '/') {
		char *p = xasprintf("%s/%s", o->objdir, path);

		fd = open(p, O_RDONLY);
		free(p);
	}
	if (fd < 0)
		fd = open(path, O_RDONLY);
	if (path[0] == '/')
		return fd;
	char *dir = xstrdup(o->mapdir);

	for (int up = 0; fd < 0 && up < 16; up++) {
		char *p = xasprintf("%s/%s", dir, path);

		fd = open(p, O_RDONLY);
		free(p);
		char *tmp = xstrdup(dir);	/* dirname() writes to its argument */
		char *parent = xstrdup(dirname(tmp));
		bool top = !strcmp(parent, dir);

		free(tmp);
		free(dir);
		dir = parent;
		if (top)
			break;
	}
	free(dir);
	return fd;
}

static bool read_member(struct obj *ob, int fd, const char *member, const char *what)
{
	Elf *ar = elf_begin(fd, ELF_C_READ, NULL), *e;
	bool found = false;

	if (!ar || elf_kind(ar) != ELF_K_AR)
		die_at(what, NULL, NOPOS, NULL, "not an archive: %s", elf_errmsg(-1));
	while (!found && (e = elf_begin(fd, ELF_C_READ, ar))) {
		Elf_Arhdr *h = elf_getarhdr(e);

		if (h && h->ar_name && !strcmp(h->ar_name, member)) {
			read_obj(ob, e, what);
			found = true;
		}
		elf_next(e);
		elf_end(e);
	}
	elf_end(ar);
	return found;
}

/* "lib.a(m.o)" -> reads member m.o of lib.a; else a plain object. */
static void load_obj(struct mk_objs *o, struct obj *ob, const char *key)
{
	const char *paren = strchr(key, '(');
	size_t len = strlen(key);
	bool member = paren && len && key[len - 1] == ')';
	char *path = member ? xstrndup(key, paren - key) : xstrdup(key);
	int fd = open_path(o, path);

	if (fd < 0)
		die_at(key, NULL, NOPOS, NULL,
		       "cannot open the object the link map names (for input-section alignments): %m");
	if (member) {
		char *m = xstrndup(paren + 1, len - (paren - key) - 2);

		if (!read_member(ob, fd, m, key))
			die_at(key, NULL, NOPOS, NULL, "member %s not in archive %s", m, path);
		free(m);
	} else {
		Elf *e = elf_begin(fd, ELF_C_READ, NULL);

		read_obj(ob, e, key);
		elf_end(e);
	}
	close(fd);
	free(path);
}

static struct obj *get_obj(struct mk_objs *o, const char *key)
{
	if (o->last < o->objs.n && !strcmp(o->objs.v[o->last].key, key))
		return &o->objs.v[o->last];
	for (size_t i = 0; i < o->objs.n; i++)
		if (!strcmp(o->objs.v[i].key, key))
			return &o->objs.v[o->last = i];
	struct obj *ob = vec_push(&o->objs);
	*ob = (struct obj){ xstrdup(key), NULL, 0 };
	load_obj(o, ob, key);
	o->last = o->objs.n - 1;
	return ob;
}

uint32_t objs_align(struct mk_objs *o, const struct ld_insec *in)
{
	if (!in->file)
		die_at(NULL, in->name, NOPOS, NULL,
		       "input section at 0x%llx has no object file in the link map: cannot know its alignment",
		       (unsigned long long)in->addr);
	struct obj *ob = get_obj(o, in->file);
	size_t lo = 0, hi = ob->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(ob->secs[mid].name, in->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < ob->n && !strcmp(ob->secs[i].name, in->name); i++) {
		struct osec *s = &ob->secs[i];

		if (!s->used && s->size == in->size) {
			s->used = true;
			return s->align;
		}
	}
	die_at(in->file, in->name, NOPOS, NULL,
	       "no unused input section of this name and size 0x%llx in the object (link map and objects out of date?)",
	       (unsigned long long)in->size);
}

void objs_free(struct mk_objs *o)
{
	for (size_t i = 0; i < o->objs.n; i++) {
		for (size_t j = 0; j < o->objs.v[i].n; j++)
			free((char *)o->objs.v[i].secs[j].name);
		free(o->objs.v[i].secs);
		free(o->objs.v[i].key);
	}
	free(o->objs.v);
	free(o->mapdir);
	free(o);
}
