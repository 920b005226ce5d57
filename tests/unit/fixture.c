/* fixture.c: build synthetic images and their maps for the runtime's unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

struct fx *fx_new(uint32_t image_size)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->image = calloc(1, image_size);
	assert_non_null(fx->image);
	fx->image_size = image_size;
	fx->link_base = FX_LINK_BASE;
	/* Bytes outside units: a filler that no phase writes. */
	memset(fx->image, 0x5a, image_size);
	return fx;
}

void fx_free(struct fx *fx)
{
	free(fx->image);
	free(fx);
}

uint32_t fx_region(struct fx *fx, uint32_t start, uint32_t end)
{
	struct fgk_region *r = &fx->regions[fx->nr_regions];

	*r = (struct fgk_region){ start, end, fx->nr_units, 0 };
	memset(fx->image + start, 0, end - start);
	return fx->nr_regions++;
}

uint8_t fx_pattern(uint32_t unit, uint32_t i)
{
	return (uint8_t)(unit * 29 + i * 7 + 1);
}

uint32_t fx_unit(struct fx *fx, uint32_t offset, uint32_t size, uint32_t align)
{
	uint32_t u = fx->nr_units++;

	assert_true(fx->nr_regions > 0 && u < FX_MAX);
	fx->units[u] = (struct fgk_unit){ offset, size, align };
	fx->regions[fx->nr_regions - 1].nr_units++;
	for (uint32_t i = 0; i < size; i++)
		fx->image[offset + i] = fx_pattern(u, i);
	return u;
}

void fx_put32(struct fx *fx, uint32_t off, uint32_t v)
{
	memcpy(fx->image + off, &v, 4);
}

void fx_put64(struct fx *fx, uint32_t off, uint64_t v)
{
	memcpy(fx->image + off, &v, 8);
}

uint32_t get32(const uint8_t *image, uint64_t off)
{
	uint32_t v;

	memcpy(&v, image + off, 4);
	return v;
}

uint64_t get64(const uint8_t *image, uint64_t off)
{
	uint64_t v;

	memcpy(&v, image + off, 8);
	return v;
}

void fx_xref(struct fx *fx, uint32_t site, uint32_t kind, uint32_t target, uint64_t value)
{
	fx->xrefs[fx->nr_xrefs++] = (struct fgk_xref){ site, FGK_XREF_INFO(kind, target) };
	if (kind == FGK_XREF_PC64 || kind == FGK_XREF_ABS64)
		fx_put64(fx, site, value);
	else
		fx_put32(fx, site, (uint32_t)value);
}

void fx_reloc(struct fx *fx, uint32_t kind, uint32_t site)
{
	fx->relocs[kind][fx->nr_relocs[kind]++] = site;
}

uint32_t fx_override(struct fx *fx, uint32_t entry, uint32_t unit)
{
	fx->overrides[fx->nr_overrides] = (struct fgk_override){ entry, unit };
	return fx->nr_overrides++;
}

void *fx_map(const struct fx *fx, size_t *size)
{
	struct fgk_map_parts p = {
		.link_base = fx->link_base,
		.image_size = fx->image_size,
		.regions = fx->regions, .nr_regions = fx->nr_regions,
		.units = fx->units, .nr_units = fx->nr_units,
		.xrefs = fx->xrefs, .nr_xrefs = fx->nr_xrefs,
		.tables = fx->tables, .nr_tables = fx->nr_tables,
		.overrides = fx->overrides, .nr_overrides = fx->nr_overrides,
		.field_units = fx->field_units, .nr_field_units = fx->nr_field_units,
		.symtabs = &fx->symtab, .nr_symtabs = fx->nr_symtabs,
		.sym_ties = fx->sym_ties, .nr_sym_ties = fx->nr_sym_ties,
		.image_id_offset = fx->image_id_offset, .image_id_size = fx->image_id_size,
		.image_id = fx->image_id, .image = fx->derive ? fx->image : NULL,
	};

	for (int k = 0; k < FGK_NR_RELOC_KINDS && !fx->image_relocs; k++) {
		p.relocs[k] = fx->relocs[k];
		p.nr_relocs[k] = fx->nr_relocs[k];
	}
	if (fx->image_relocs)
		p.flags |= FGK_MAP_IMAGE_RELOCS;
	if (fx->pie)
		p.flags |= FGK_MAP_PIE;
	void *buf = fgk_map_build(&p, size);
	assert_non_null(buf);
	return buf;
}

const uint32_t *fx_image_relocs(const struct fx *fx, uint64_t *size)
{
	static uint32_t list[FGK_NR_RELOC_KINDS * (FX_MAX + 1)];
	static const int order[] = { FGK_RELOC_ABS64, FGK_RELOC_INV32, FGK_RELOC_ABS32 };
	uint32_t n = 0;

	for (int r = 0; r < FGK_NR_RELOC_KINDS; r++) {
		list[n++] = 0;
		for (uint32_t i = 0; i < fx->nr_relocs[order[r]]; i++)
			list[n++] = (uint32_t)(fx->link_base + fx->relocs[order[r]][i]);
	}
	*size = 4ull * n;
	return list;
}

/*
 * RELR as linkers write it: an address word for a site the last bitmap
 * cannot reach, then bitmaps while the next sites lie within 63 words.
 */
static uint64_t relr_encode(const uint64_t *va, uint32_t n, uint64_t *out)
{
	uint64_t m = 0, next = 0;

	for (uint32_t i = 0; i < n;) {
		if (!m || va[i] < next || va[i] >= next + 63 * 8 || (va[i] - next) % 8) {
			out[m++] = va[i];
			next = va[i++] + 8;
			continue;
		}
		uint64_t bits = 0;

		while (i < n && va[i] >= next && va[i] < next + 63 * 8 && (va[i] - next) % 8 == 0)
			bits |= 1ull << ((va[i++] - next) / 8);
		out[m++] = bits << 1 | 1;
		next += 63 * 8;
	}
	return m;
}

void fx_pie_lists(const struct fx *fx, struct fx_pie_lists *l)
{
	static uint64_t rela[3 * FX_MAX], relr[FX_MAX], even[FX_MAX];
	uint32_t na = 0, ne = 0;

	for (uint32_t i = 0; i < fx->nr_relocs[FGK_RELOC_ABS64]; i++) {
		uint64_t va = fx->link_base + fx->relocs[FGK_RELOC_ABS64][i];

		if (va % 2 || i % 3 == 0) {
			rela[3 * na] = va;
			rela[3 * na + 1] = 8;	/* R_X86_64_RELATIVE */
			rela[3 * na + 2] = get64(fx->image, va - fx->link_base);
			na++;
		} else {
			even[ne++] = va;
		}
	}
	l->rela = rela;
	l->rela_size = 24ull * na;
	l->relr = relr;
	l->relr_size = 8 * relr_encode(even, ne, relr);
}

void *fx_units_mem(void)
{
	static uint64_t mem[4][FX_UNITS_BYTES / 8];
	static unsigned next;

	return mem[next++ % 4];
}

int fx_open(const struct fx *fx, void *buf, size_t size, struct fgk_map *map)
{
	int err = fgk_map_open(map, buf, size, fx->image, fx->image_size, FX_UNITS);
	uint64_t bytes;
	const uint32_t *list;

	if (!err && fx->image_relocs && fx->pie) {
		static uint32_t sites[FX_MAX];
		struct fx_pie_lists l;

		fx_pie_lists(fx, &l);
		err = fgk_map_use_pie_relocs(map, l.rela, l.rela_size, l.relr, l.relr_size,
					     sites, sizeof(sites));
	} else if (!err && fx->image_relocs) {
		list = fx_image_relocs(fx, &bytes);
		err = fgk_map_use_relocs(map, list, bytes, fx->image);
	}
	return err ? err : fgk_map_check(map, fx->image);
}

int fx_shuffle_copy(const struct fx *fx, const struct fgk_map *map, uint64_t seed,
		    int64_t base_delta)
{
	uint8_t *copy = malloc(fx->image_size);
	uint64_t need = fgk_scratch_size(map);
	void *scratch = malloc(need);
	struct fgk_shuffle_args args = { .seed = seed, .base_delta = base_delta,
					 .scratch = scratch, .scratch_size = need };
	int err;

	memcpy(copy, fx->image, fx->image_size);
	err = fgk_shuffle(map, copy, &args);
	free(scratch);
	free(copy);
	return err;
}

int fx_shuffle_buf(struct fx *fx, void *buf, size_t size, uint64_t seed,
		   int64_t base_delta, uint32_t flags, struct fx_run *run)
{
	struct fgk_map map;
	struct fx_run local;

	if (!run)
		run = &local;
	memset(run, 0, sizeof(*run));
	run->err = fx_open(fx, buf, size, &map);
	if (run->err)
		return run->err;
	run->scratch_size = fgk_scratch_size(&map);
	/* Exactly the size asked for, so ASan catches any overrun. */
	void *scratch = malloc(run->scratch_size ? run->scratch_size : 1);
	struct fgk_shuffle_args args = {
		.seed = seed, .base_delta = base_delta, .scratch = scratch,
		.scratch_size = run->scratch_size, .flags = flags,
		.stats = &run->stats, .unit_delta = run->delta,
	};
	run->err = fgk_shuffle(&map, fx->image, &args);
	free(scratch);
	return run->err;
}

int fx_shuffle(struct fx *fx, uint64_t seed, int64_t base_delta, uint32_t flags,
	       struct fx_run *run)
{
	size_t size;
	void *buf = fx_map(fx, &size);
	int err = fx_shuffle_buf(fx, buf, size, seed, base_delta, flags, run);

	free(buf);
	return err;
}

void fx_expect_error_buf(struct fx *fx, void *buf, size_t size, int err, const char *what)
{
	uint8_t *before = malloc(fx->image_size);
	int got;

	memcpy(before, fx->image, fx->image_size);
	got = fx_shuffle_buf(fx, buf, size, 1, 0x200000, 0, NULL);
	if (got != err)
		fail_msg("%s: got \"%s\", expected \"%s\"", what ? what : "?",
			 fgk_strerror(got), fgk_strerror(err));
	if (memcmp(fx->image, before, fx->image_size))
		fail_msg("%s: the image was written", what ? what : "?");
	free(before);
}

void fx_expect_error(struct fx *fx, int err, const char *what)
{
	size_t size;
	void *buf = fx_map(fx, &size);

	fx_expect_error_buf(fx, buf, size, err, what);
	free(buf);
}

void fx_plan_init(struct fx_plan *p, const struct fgk_map *map)
{
	for (uint32_t u = 0; u < FX_MAX; u++) {
		p->order[u] = u;
		p->delta[u] = 0;
	}
	p->work = malloc(fgk_scratch_size(map) + 1);
	p->plan = (struct fgk_plan){ map, p->order, p->delta, p->work, map->hdr->nr_units };
}

void fx_plan_free(struct fx_plan *p)
{
	free(p->work);
}

uint8_t fx_name_byte(uint32_t sym, uint32_t i)
{
	if (i == 0)
		return (uint8_t)sym;
	if (i == 1)
		return (uint8_t)(sym >> 8);
	return (uint8_t)(sym * 13 + i);
}

/* Names: a 1- or 2-byte ULEB128 length, then the bytes. */
static uint32_t put_name(uint8_t *p, uint32_t sym, uint32_t len)
{
	uint32_t prefix = 1;

	if (len < 0x80) {
		p[0] = (uint8_t)len;
	} else {
		p[0] = (uint8_t)(0x80 | (len & 0x7f));
		p[1] = (uint8_t)(len >> 7);
		prefix = 2;
	}
	for (uint32_t i = 0; i < len; i++)
		p[prefix + i] = fx_name_byte(sym, i);
	return prefix + len;
}

static uint32_t sym_value(const struct fx *fx, const struct fx_sym *s, uint32_t kind)
{
	uint64_t addr = fx->link_base + s->offset;

	if (s->unit == FX_SYM_PERCPU)
		return s->offset;	/* ABS_PERCPU absolute value */
	if (kind == FGK_SYMOFF_RELATIVE)
		return (uint32_t)(addr - fx->symtab.relative_base);
	return (uint32_t)(fx->symtab.relative_base - 1 - addr);
}

static uint32_t align8(uint32_t v)
{
	return (v + 7) & ~7u;
}

void fx_symtab(struct fx *fx, uint32_t at, const struct fx_sym *syms, uint32_t n,
	       uint32_t kind, int seqs)
{
	fx_symtab_rb(fx, at, syms, n, kind, seqs, fx->link_base);
}

void fx_symtab_rb(struct fx *fx, uint32_t at, const struct fx_sym *syms, uint32_t n,
		  uint32_t kind, int seqs, uint64_t relative_base)
{
	struct fgk_symtab *st = &fx->symtab;
	uint32_t names_at = 0;

	memset(st, 0, sizeof(*st));
	fx->nr_sym_ties = 0;
	st->nr_syms = n;
	st->offsets_kind = kind;
	st->relative_base = relative_base;
	st->flags = seqs ? FGK_SYMTAB_SEQS : 0;
	st->offsets = at;
	st->names = align8(at + 4 * n);
	for (uint32_t i = 0; i < n; i++) {
		fx_put32(fx, st->offsets + 4 * i, sym_value(fx, &syms[i], kind));
		names_at += put_name(fx->image + st->names + names_at, i, syms[i].name_len);
	}
	st->names_size = names_at;
	st->markers = align8(st->names + names_at);
	st->seqs = align8(st->markers + 4 * ((n + 255) / 256));
	for (uint32_t i = 0, p = 0; i < n; i++) {
		if (i % 256 == 0)
			fx_put32(fx, st->markers + 4 * (i / 256), p);
		p += fgk_name_entry_size(fx->image + st->names + p, names_at - p);
	}
	for (uint32_t k = 0; seqs && k < n; k++) {
		uint32_t v = n - 1 - k;	/* "name order": the reverse */
		uint8_t *q = fx->image + st->seqs + 3 * k;

		q[0] = (uint8_t)(v >> 16);
		q[1] = (uint8_t)(v >> 8);
		q[2] = (uint8_t)v;
	}
	assert_true(st->seqs + 3 * n <= fx->image_size);
	fx->nr_symtabs = 1;
}

void fx_sym_tie(struct fx *fx, uint32_t first, uint32_t count)
{
	assert_true(fx->nr_sym_ties < sizeof(fx->sym_ties) / sizeof(fx->sym_ties[0]));
	fx->sym_ties[fx->nr_sym_ties++] = (struct fgk_sym_tie){ first, count };
}

void fx_hex_words(const char *hex, uint32_t *w, int n)
{
	for (int i = 0; i < n; i++) {
		w[i] = 0;
		for (int k = 0; k < 4; k++) {
			unsigned v;

			assert_int_equal(sscanf(hex + 8 * i + 2 * k, "%2x", &v), 1);
			w[i] |= (uint32_t)v << (8 * k);
		}
	}
}
