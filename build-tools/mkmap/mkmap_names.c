/* mkmap_names.c: name units for the dump after their input section and first symbol. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

struct symoff {
	uint64_t off;
	const char *name;
};

struct namer {
	const struct mk_unit *units;	/* NULL: no link map, symbols only */
	size_t nunits;
	struct symoff *syms;
	size_t nsyms;
	char buf[1024];
};

static int cmp_symoff(const void *a, const void *b)
{
	const struct symoff *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool nameable(const struct mk_image *img, const struct mk_sym *s)
{
	return *s->name && s->type != STT_SECTION && s->type != STT_FILE &&
	       s->shndx != SHN_UNDEF && s->shndx < img->nsecs &&
	       img->secs[s->shndx].loaded && !img->secs[s->shndx].percpu;
}

struct namer *namer_new(const struct mk_image *img, const struct mk_unit *units,
			size_t nunits)
{
	struct namer *nm = xcalloc(1, sizeof(*nm));

	nm->units = units;
	nm->nunits = nunits;
	nm->syms = xcalloc(img->nsyms, sizeof(*nm->syms));
	for (size_t i = 1; i < img->nsyms; i++) {
		const struct mk_sym *s = &img->syms[i];
		uint64_t off;

		if (nameable(img, s) && vaddr_to_off(img, s->value, &off))
			nm->syms[nm->nsyms++] = (struct symoff){ off, s->name };
	}
	qsort(nm->syms, nm->nsyms, sizeof(*nm->syms), cmp_symoff);
	return nm;
}

/* The first symbol in [u->offset, u->offset + u->size), or "-". */
static const char *first_sym(const struct namer *nm, const struct fgk_unit *u)
{
	size_t lo = 0, hi = nm->nsyms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (nm->syms[mid].off < u->offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nm->nsyms && nm->syms[lo].off < (uint64_t)u->offset + u->size)
		return nm->syms[lo].name;
	return "-";
}

const char *namer_unit(struct namer *nm, const struct fgk_unit *u, uint32_t i)
{
	if (nm->units && i < nm->nunits)
		snprintf(nm->buf, sizeof(nm->buf), "%s (%s) %s", nm->units[i].name,
			 nm->units[i].file ? nm->units[i].file : "-", first_sym(nm, u));
	else
		snprintf(nm->buf, sizeof(nm->buf), "%s", first_sym(nm, u));
	return nm->buf;
}

void namer_free(struct namer *nm)
{
	if (!nm)
		return;
	free(nm->syms);
	free(nm);
}
