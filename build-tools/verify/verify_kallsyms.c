/* verify_kallsyms.c: the kallsyms-style symtab of OUT names the same places as IN's, in address order. */
#include <stdlib.h>
#include <string.h>

#include "verify.h"

struct ksym {
	const uint8_t *name;		/* compressed name bytes (the type char is a token) */
	uint32_t len;
	uint32_t index;			/* address-order index */
	uint64_t addr;			/* IN: where OUT should have it */
};

struct ktab {
	struct verify *v;
	const struct fgk_symtab *s;
	const struct elfimg *img;
	struct ksym *syms;
	uint64_t relative_base;
};

/* Name lengths are ULEB128 in one or two bytes (kernel/kallsyms.c). */
static void decode_names(struct ktab *k)
{
	const uint8_t *p = k->img->image + k->s->names, *end = p + k->s->names_size;

	for (uint32_t i = 0; i < k->s->nr_syms; i++) {
		uint32_t len = p < end ? *p++ : 0;
		if (len & 0x80 && p < end)
			len = (len & 0x7f) | (uint32_t)*p++ << 7;
		if (len > (size_t)(end - p))
			die("%s: kallsyms_names: symbol %u runs past the end (%u bytes)",
			    k->img->path, i, len);
		k->syms[i] = (struct ksym){ p, len, i, 0 };
		p += len;
	}
}

static uint64_t decode_offset(const struct ktab *k, uint32_t i)
{
	int32_t val = (int32_t)get_le(k->img->image + k->s->offsets + 4ull * i, 4);

	if (k->s->offsets_kind == FGK_SYMOFF_RELATIVE)
		return k->relative_base + (uint32_t)val;
	return val >= 0 ? (uint64_t)val : k->relative_base - 1 - val;
}

static uint32_t sym_owner(const struct verify *v, uint32_t i, uint64_t addr)
{
	const struct fgk_symtab *s = v->map.symtab;
	const struct fgk_override *o = v->overrides + s->first_override;

	for (uint32_t j = 0; j < s->nr_overrides; j++)	/* few: end labels */
		if (o[j].entry == i)
			return o[j].unit == FGK_UNIT_NONE ? NO_UNIT : o[j].unit;
	uint64_t off = elfimg_off(&v->in, addr);
	return off == ELFIMG_NO_OFF ? NO_UNIT : unit_at(&v->map, off);
}

static void decode_ktab(struct ktab *k, struct verify *v, const struct elfimg *img)
{
	*k = (struct ktab){ v, v->map.symtab, img, NULL, v->map.symtab->relative_base };
	if (img == &v->out)
		k->relative_base += v->base_delta;
	k->syms = xcalloc(k->s->nr_syms, sizeof(*k->syms));
	decode_names(k);
	for (uint32_t i = 0; i < k->s->nr_syms; i++) {
		uint64_t a = decode_offset(k, i);
		if (img == &v->in)
			a = owned_addr(v, a, sym_owner(v, i, a));
		k->syms[i].addr = a;
	}
}

/* The text of a name, type letter first: expanded with IN's token table when it has one. */
static size_t expand(const struct verify *v, const struct ksym *ks, char *b, size_t cap)
{
	static const struct elfimg_sym *tt, *ti;
	static bool looked;
	size_t n = 0;

	for (size_t i = 1; !looked && i < v->in.nr_syms; i++) {
		if (!strcmp(v->in.syms[i].name, "kallsyms_token_table"))
			tt = &v->in.syms[i];
		if (!strcmp(v->in.syms[i].name, "kallsyms_token_index"))
			ti = &v->in.syms[i];
	}
	looked = true;
	for (uint32_t j = 0; j < ks->len && n + 1 < cap; j++) {
		if (!tt || !ti || tt->img_off == ELFIMG_NO_OFF || ti->img_off == ELFIMG_NO_OFF) {
			b[n++] = (char)ks->name[j];
			continue;
		}
		uint64_t t = tt->img_off + get_le(v->in.image + ti->img_off + 2 * ks->name[j], 2);
		for (; t < v->in.size && v->in.image[t] && n + 1 < cap; t++)
			b[n++] = (char)v->in.image[t];
	}
	b[n] = 0;
	return n;
}

/* A name for messages, with the symbol type after it as in /proc/kallsyms. */
static const char *ksym_text(const struct verify *v, const struct ksym *ks)
{
	static char bufs[4][300];
	static unsigned next;
	char *b = bufs[next++ % 4], raw[250];
	size_t n = expand(v, ks, raw, sizeof(raw));

	for (size_t i = 0; i < n; i++)
		if (raw[i] < 32 || raw[i] > 126)
			raw[i] = '?';
	if (n > 1)
		snprintf(b, 300, "%s (%c)", raw + 1, raw[0]);
	else
		snprintf(b, 300, "%s", raw);
	return b;
}

/* Every symbol's name after its type letter, which is what seqs sorts by. */
static char **sort_names(const struct verify *v, const struct ktab *k)
{
	char **names = xcalloc(k->s->nr_syms, sizeof(*names)), buf[600];

	for (uint32_t i = 0; i < k->s->nr_syms; i++) {
		size_t n = expand(v, &k->syms[i], buf, sizeof(buf));
		names[i] = xcalloc(n + 1, 1);
		memcpy(names[i], n ? buf + 1 : buf, n ? n - 1 : 0);
	}
	return names;
}

static void free_names(char **names, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	if (c || x->len != y->len)
		return c ? c : x->len < y->len ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool same_name(const struct ksym *a, const struct ksym *b)
{
	return a->len == b->len && !memcmp(a->name, b->name, a->len);
}

/* Sorted by name then address: walk both, pairing equal names. */
static void compare_names(struct verify *v, struct ksym *want, struct ksym *got, uint32_t n)
{
	qsort(want, n, sizeof(*want), cmp_ksym);
	qsort(got, n, sizeof(*got), cmp_ksym);
	for (uint32_t i = 0, j = 0; i < n || j < n;) {
		const struct ksym *a = i < n ? &want[i] : NULL, *b = j < n ? &got[j] : NULL;
		int c = !a ? 1 : !b ? -1 : cmp_ksym(a, b);
		if (!c) {
			i++, j++;
		} else if (a && b && same_name(a, b)) {
			fail(v, CHK_KALLSYMS, "kallsyms %s: OUT has %s (%#" PRIx64 "), expected %s (%#"
			     PRIx64 ")", ksym_text(v, a), symname(v, &v->out, b->addr), b->addr,
			     symname(v, &v->out, a->addr), a->addr);
			i++, j++;
		} else if (c < 0) {
			fail(v, CHK_KALLSYMS, "kallsyms %s at %s: missing from OUT", ksym_text(v, a),
			     symname(v, &v->out, a->addr));
			i++;
		} else {
			fail(v, CHK_KALLSYMS, "kallsyms %s at %s: unexpected in OUT", ksym_text(v, b),
			     symname(v, &v->out, b->addr));
			j++;
		}
	}
}

/* OUT in address order, markers pointing at every 256th name. */
static void check_order(struct verify *v, const struct ktab *out)
{
	const struct fgk_symtab *s = out->s;

	for (uint32_t i = 0; i + 1 < s->nr_syms; i++) {
		if (out->syms[i].addr > out->syms[i + 1].addr) {
			fail(v, CHK_KALLSYMS, "kallsyms: OUT not in address order at %u: %s (%#" PRIx64
			     ") before %s (%#" PRIx64 ")", i, ksym_text(v, &out->syms[i]), out->syms[i].addr,
			     ksym_text(v, &out->syms[i + 1]), out->syms[i + 1].addr);
			break;
		}
	}
	for (uint32_t i = 0; i < s->nr_syms; i += 256) {
		uint32_t m = get_le(v->out.image + s->markers + 4ull * (i / 256), 4);
		uint64_t at = out->syms[i].name - v->out.image - s->names;
		/* The marker points at the length byte(s) before the name. */
		if (m != at - 1 - (out->syms[i].len >= 0x80))
			fail(v, CHK_KALLSYMS, "kallsyms_markers[%u] = %#x, but symbol %u starts at %#" PRIx64,
			     i / 256, m, i, at - 1 - (out->syms[i].len >= 0x80));
	}
}

static uint32_t seq(const struct elfimg *img, const struct fgk_symtab *s, uint32_t i)
{
	const uint8_t *p = img->image + s->seqs + 3ull * i;

	return (uint32_t)p[0] << 16 | p[1] << 8 | p[2];
}

/*
 * The i-th symbol by name has the same name in both, and OUT's seqs is in
 * the kernel's order: by name, equal names by address (their indexes
 * ascending), which the kernel's lookups by name rely on.
 */
static void check_seqs(struct verify *v, const struct ktab *in, const struct ktab *out)
{
	const struct fgk_symtab *s = in->s;

	if (!(s->flags & FGK_SYMTAB_SEQS))
		return;
	char **in_names = sort_names(v, in), **out_names = sort_names(v, out);
	for (uint32_t i = 0, prev = 0; i < s->nr_syms; i++) {
		uint32_t a = seq(&v->in, s, i), b = seq(&v->out, s, i);
		if (a >= s->nr_syms || b >= s->nr_syms || strcmp(in_names[a], out_names[b])) {
			fail(v, CHK_KALLSYMS, "kallsyms_seqs_of_names[%u]: IN names %s, OUT %s",
			     i, a < s->nr_syms ? ksym_text(v, &in->syms[a]) : "nothing",
			     b < s->nr_syms ? ksym_text(v, &out->syms[b]) : "nothing");
			break;
		}
		int c = i ? strcmp(out_names[prev], out_names[b]) : -1;
		if (c > 0 || (!c && prev >= b)) {
			fail(v, CHK_KALLSYMS, "kallsyms_seqs_of_names[%u]: OUT not by name, then address: "
			     "%s at %#" PRIx64 " after %s at %#" PRIx64, i, ksym_text(v, &out->syms[b]),
			     out->syms[b].addr, ksym_text(v, &out->syms[prev]), out->syms[prev].addr);
			break;
		}
		prev = b;
	}
	free_names(in_names, s->nr_syms);
	free_names(out_names, s->nr_syms);
}

void check_kallsyms(struct verify *v)
{
	struct ktab in, out;

	if (!v->map.symtab)
		return;
	decode_ktab(&in, v, &v->in);
	decode_ktab(&out, v, &v->out);
	check_order(v, &out);
	check_seqs(v, &in, &out);
	uint32_t n = in.s->nr_syms;
	struct ksym *want = xcalloc(n, sizeof(*want)), *got = xcalloc(n, sizeof(*got));
	memcpy(want, in.syms, n * sizeof(*want));
	memcpy(got, out.syms, n * sizeof(*got));
	compare_names(v, want, got, n);
	v->nr_kallsyms += n;
	free(want);
	free(got);
	free(in.syms);
	free(out.syms);
}
