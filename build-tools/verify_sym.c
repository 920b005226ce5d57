/* verify_sym.c: name addresses as symbol+offset and map IN addresses to where OUT should have them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

/* FUNC and OBJECT name an address before labels do. */
static int rank(const struct elfimg_sym *s)
{
	return s->type == STT_FUNC || s->type == STT_OBJECT ? 0 : 1;
}

static int by_value(const void *a, const void *b)
{
	const struct elfimg_sym *x = *(const struct elfimg_sym *const *)a;
	const struct elfimg_sym *y = *(const struct elfimg_sym *const *)b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool names_address(const struct elfimg_sym *s)
{
	if (s->img_off == ELFIMG_NO_OFF || !s->name[0] || !strncmp(s->name, ".L", 2))
		return false;
	return s->type == STT_FUNC || s->type == STT_OBJECT || s->type == STT_NOTYPE;
}

void symindex_build(struct symindex *idx, const struct elfimg *img)
{
	idx->by_value = xcalloc(img->nr_syms, sizeof(*idx->by_value));
	idx->n = 0;
	for (size_t i = 1; i < img->nr_syms; i++)
		if (names_address(&img->syms[i]))
			idx->by_value[idx->n++] = &img->syms[i];
	qsort(idx->by_value, idx->n, sizeof(*idx->by_value), by_value);
}

/* Index of the first symbol of the last value <= addr, or -1. */
static long preceding(const struct symindex *idx, uint64_t addr)
{
	size_t lo = 0, hi = idx->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idx->by_value[mid]->value <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	long i = lo - 1;
	while (i > 0 && idx->by_value[i - 1]->value == idx->by_value[i]->value)
		i--;
	return i;
}

/*
 * The symbol naming addr: the sized FUNC/OBJECT holding it (the nearest
 * such start, looking back a few symbols for labels inside functions), or
 * else the nearest preceding symbol. Both files use the same rule.
 */
static const struct elfimg_sym *sym_for(const struct symindex *idx, uint64_t addr)
{
	long i = preceding(idx, addr);

	if (i < 0)
		return NULL;
	for (long j = i, seen = 0; j >= 0 && seen < 64; j--, seen++) {
		const struct elfimg_sym *s = idx->by_value[j];
		if (rank(s) == 0 && s->size && addr < s->value + s->size)
			return s;
	}
	return idx->by_value[i];
}

static char *ring_buf(void)
{
	static char bufs[16][320];
	static unsigned next;

	return bufs[next++ % 16];
}

/* The loaded section holding image offset off (or ending at it), or 0. */
static size_t section_at(const struct elfimg *img, uint64_t off)
{
	for (size_t i = 1; i < img->nr_secs; i++) {
		GElf_Shdr sh;
		if (img->sec_off[i] == ELFIMG_NO_OFF)
			continue;
		elfimg_shdr(img, i, &sh);
		if (off >= img->sec_off[i] && off - img->sec_off[i] <= sh.sh_size - !!sh.sh_size)
			return i;
	}
	return 0;
}

const char *symname(const struct verify *v, const struct elfimg *img, uint64_t addr)
{
	const struct symindex *idx = img == &v->in ? &v->in_syms : &v->out_syms;
	const struct elfimg_sym *s = sym_for(idx, addr);
	uint64_t off = elfimg_off(img, addr);
	size_t sec = off == ELFIMG_NO_OFF ? 0 : section_at(img, off);
	char *b = ring_buf();

	/* A symbol of another section says little: name the section instead. */
	if (s && sec && s->shndx != sec && !(s->size && addr < s->value + s->size)) {
		GElf_Shdr sh;
		elfimg_shdr(img, sec, &sh);
		snprintf(b, 320, "%s+%#" PRIx64, elfimg_secname(img, sec), addr - sh.sh_addr);
	} else if (!s)
		snprintf(b, 320, "%#" PRIx64, addr);
	else if (addr == s->value)
		snprintf(b, 320, "%.256s", s->name);
	else
		snprintf(b, 320, "%.256s+%#" PRIx64, s->name, addr - s->value);
	return b;
}

const char *offname(const struct verify *v, const struct elfimg *img, uint64_t off)
{
	return symname(v, img, elfimg_addr(img, off));
}

int64_t base_move(const struct verify *v, uint64_t addr)
{
	uint64_t off = elfimg_off(&v->in, addr);

	if (off == ELFIMG_NO_OFF)	/* outside the image: an absolute address? */
		return addr >= v->in.link_base ? v->base_delta : 0;
	return elfimg_follows_base(&v->in, off) ? v->base_delta : 0;
}

static int64_t unit_move(const struct verify *v, uint32_t u)
{
	return v->unit_new[u] - (int64_t)v->map.units[u].offset;
}

int expected_addr(const struct verify *v, uint64_t addr, uint32_t hint, uint64_t out[2])
{
	uint64_t off = elfimg_off(&v->in, addr);
	int64_t base = base_move(v, addr);

	if (off == ELFIMG_NO_OFF) {
		out[0] = addr + base;
		return 1;
	}
	uint32_t cand[2] = { unit_at(&v->map, off), unit_ending_at(&v->map, off) };
	int n = 0;
	if (hint != NO_UNIT && (hint == cand[0] || hint == cand[1]))
		cand[0] = hint, cand[1] = NO_UNIT;
	for (int i = 0; i < 2; i++)
		if (cand[i] != NO_UNIT)
			out[n++] = addr + unit_move(v, cand[i]) + base;
	if (!n && region_at(&v->map, off))
		return 0;	/* region padding: it does not survive a shuffle */
	if (!n)
		out[n++] = addr + base;
	return n;
}

bool addr_matches(const struct verify *v, uint64_t addr, uint32_t hint, uint64_t got)
{
	uint64_t exp[2];
	int n = expected_addr(v, addr, hint, exp);

	for (int i = 0; i < n; i++)
		if (exp[i] == got)
			return true;
	return false;
}

const char *expected_name(const struct verify *v, uint64_t addr, uint32_t hint)
{
	uint64_t exp[2];
	int n = expected_addr(v, addr, hint, exp);
	char *b = ring_buf();

	if (!n)
		snprintf(b, 320, "nothing: %s is in region padding", symname(v, &v->in, addr));
	else if (n == 1)
		snprintf(b, 320, "%s (%#" PRIx64 ")", symname(v, &v->out, exp[0]), exp[0]);
	else
		snprintf(b, 320, "%s (%#" PRIx64 ") or %s (%#" PRIx64 ")",
			 symname(v, &v->out, exp[0]), exp[0], symname(v, &v->out, exp[1]), exp[1]);
	return b;
}

uint64_t out_off(const struct verify *v, uint64_t off)
{
	uint32_t u = unit_at(&v->map, off);

	return u == NO_UNIT ? off : off + unit_move(v, u);
}

const char *secname_at(const struct elfimg *img, uint64_t off)
{
	for (size_t i = 1; i < img->nr_secs; i++) {
		GElf_Shdr sh;
		if (img->sec_off[i] == ELFIMG_NO_OFF)
			continue;
		elfimg_shdr(img, i, &sh);
		if (off >= img->sec_off[i] && off < img->sec_off[i] + sh.sh_size)
			return elfimg_secname(img, i);
	}
	return "?";
}

uint64_t owned_addr(const struct verify *v, uint64_t addr, uint32_t owner)
{
	if (owner == NO_UNIT)
		return addr + base_move(v, addr);
	return addr + unit_move(v, owner) + base_move(v, addr);
}
