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

/* The unit holding image offset off of img (OUT: at its new place), or NO_UNIT. */
static uint32_t unit_in(const struct verify *v, const struct elfimg *img, uint64_t off)
{
	if (img == &v->in)
		return unit_at(&v->map, off);
	if (!v->units_by_new)
		return NO_UNIT;
	size_t lo = 0, hi = v->map.hdr->nr_units;
	while (lo < hi) {	/* first unit (by new offset) ending after off */
		size_t mid = lo + (hi - lo) / 2;
		uint32_t u = v->units_by_new[mid];
		if ((uint64_t)v->unit_new[u] + v->map.units[u].size <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == v->map.hdr->nr_units)
		return NO_UNIT;
	uint32_t u = v->units_by_new[lo];
	return v->unit_new[u] <= (int64_t)off ? u : NO_UNIT;
}

/* Whether symbol s of img names a place of unit u (symbols move with their units). */
static bool sym_in_unit(const struct verify *v, const struct elfimg_sym *s, uint32_t u)
{
	return unit_of_symbol(&v->map, &v->in.syms[s->index]) == u;
}

const char *symname(const struct verify *v, const struct elfimg *img, uint64_t addr)
{
	const struct symindex *idx = img == &v->in ? &v->in_syms : &v->out_syms;
	const struct elfimg_sym *s = sym_for(idx, addr);
	uint64_t off = elfimg_off(img, addr);
	size_t sec = off == ELFIMG_NO_OFF ? 0 : section_at(img, off);
	uint32_t u = off == ELFIMG_NO_OFF ? NO_UNIT : unit_in(v, img, off);
	char *b = ring_buf();

	/* A unit without a symbol there (an overridden weak function): name the unit. */
	if (u != NO_UNIT && (!s || !sym_in_unit(v, s, u))) {
		int64_t start = img == &v->in ? v->map.units[u].offset : v->unit_new[u];
		snprintf(b, 320, "unit%u+%#" PRIx64, u, off - start);
	} else if (s && sec && s->shndx != sec && !(s->size && addr < s->value + s->size)) {
		/* A symbol of another section says little: name the section instead. */
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

bool follows_base(const struct verify *v, uint64_t addr)
{
	/* Inside a segment first; then one past a segment's end (end symbols). */
	for (int past_end = 0; past_end <= 1; past_end++) {
		for (size_t i = 0; i < v->in.nr_segs; i++) {
			const struct elfimg_seg *s = &v->in.segs[i];
			if (addr >= s->vaddr && addr - s->vaddr < s->memsz + past_end)
				return s->vaddr == v->in.link_base + s->img_off;
		}
	}
	return addr >= v->in.link_base;		/* an absolute address? */
}

int64_t base_move(const struct verify *v, uint64_t addr)
{
	return follows_base(v, addr) ? v->base_delta : 0;
}

int64_t unit_move(const struct verify *v, uint32_t u)
{
	return v->unit_new[u] - (int64_t)v->map.units[u].offset;
}

bool in_padding(const struct verify *v, uint64_t off)
{
	return region_at(&v->map, off) && unit_at(&v->map, off) == NO_UNIT &&
	       unit_ending_at(&v->map, off) == NO_UNIT;
}

int expected_addr(const struct verify *v, uint64_t addr, uint32_t hint, int64_t base, uint64_t out[2])
{
	uint64_t off = elfimg_off(&v->in, addr);
	uint32_t cand[2] = { NO_UNIT, NO_UNIT };
	int n = 0;

	if (base == BASE_OF_ADDR)
		base = base_move(v, addr);
	if (off != ELFIMG_NO_OFF)
		cand[0] = unit_at(&v->map, off), cand[1] = unit_ending_at(&v->map, off);
	if (hint == UNIT_STAYS && cand[0] == NO_UNIT)
		cand[1] = NO_UNIT;	/* one past a unit's end, but named from fixed code */
	else if (hint != NO_UNIT && (hint == cand[0] || hint == cand[1]))
		cand[0] = hint, cand[1] = NO_UNIT;
	else if (cand[0] == NO_UNIT && cand[1] == NO_UNIT && off != ELFIMG_NO_OFF &&
		 region_at(&v->map, off))
		cand[0] = hint;		/* region padding does not survive: the map decides */
	for (int i = 0; i < 2; i++)
		if (cand[i] < v->map.hdr->nr_units)
			out[n++] = addr + unit_move(v, cand[i]) + base;
	if (!n)
		out[n++] = addr + base;
	return n;
}

bool addr_matches(const struct verify *v, uint64_t addr, uint32_t hint, int64_t base, uint64_t got)
{
	uint64_t exp[2];
	int n = expected_addr(v, addr, hint, base, exp);

	for (int i = 0; i < n; i++)
		if (exp[i] == got)
			return true;
	return false;
}

const char *expected_name(const struct verify *v, uint64_t addr, uint32_t hint, int64_t base)
{
	uint64_t exp[2];
	int n = expected_addr(v, addr, hint, base, exp);
	uint64_t off = elfimg_off(&v->in, addr);
	char *b = ring_buf();

	int k = snprintf(b, 320, "%s (%#" PRIx64 ")", symname(v, &v->out, exp[0]), exp[0]);
	if (n == 2)
		snprintf(b + k, 320 - k, " or %s (%#" PRIx64 ")", symname(v, &v->out, exp[1]), exp[1]);
	else if (off != ELFIMG_NO_OFF && in_padding(v, off) && hint < v->map.hdr->nr_units)
		snprintf(b + k, 320 - k, " (region padding: moves with unit %u)", hint);
	else if (off != ELFIMG_NO_OFF && in_padding(v, off))
		snprintf(b + k, 320 - k, " (region padding: stays)");
	return b;
}

static const struct verify *sort_ctx;

static int by_new_offset(const void *a, const void *b)
{
	int64_t x = sort_ctx->unit_new[*(const uint32_t *)a];
	int64_t y = sort_ctx->unit_new[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

void index_units_by_new(struct verify *v)
{
	uint32_t n = v->map.hdr->nr_units;

	v->units_by_new = xcalloc(n, sizeof(*v->units_by_new));
	for (uint32_t u = 0; u < n; u++)
		v->units_by_new[u] = u;
	sort_ctx = v;
	qsort(v->units_by_new, n, sizeof(*v->units_by_new), by_new_offset);
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
