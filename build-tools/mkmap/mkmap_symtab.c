/* mkmap_symtab.c: locate the kallsyms arrays and decide the owner unit of every symbol. */
#include <stdlib.h>
#include <string.h>

#include "mkmap.h"

/*
 * kallsyms (scripts/kallsyms.c, kernel/kallsyms.c), all in address order:
 *   kallsyms_num_syms       u32 n
 *   kallsyms_offsets[n]     s32, see fgk_map.h for the two encodings
 *   kallsyms_names          n x { len (ULEB128, 1-2 bytes), len bytes }
 *   kallsyms_markers[]      u32, one per 256 symbols
 *   kallsyms_seqs_of_names  n x 3 bytes (optional)
 *   kallsyms_relative_base  u64 link-time address
 * kallsyms_relative_base keeps its value when units move (the runtime
 * re-encodes offsets against the map's copy), so it gets no xref; it does
 * keep its base relocation.
 *
 * A symbol's owner is the unit holding its address, except a label one past
 * a unit's end in padding (that unit) and a linker-script marker (where
 * mkmap_markers.c places it, by name and address: _stext where a region's
 * first unit starts stays). kallsyms sorts such a marker after a function
 * at its address, among the first unit's symbols; the runtime allows that.
 */

struct syt {
	struct mk *mk;
	const char *where;
	struct fgk_symtab *s;
	uint8_t *closed;
	uint32_t prev_owner;
	uint64_t prev_addr;
	struct ksym_names names;
	uint64_t name_at;		/* the next symbol's names entry */
};

static uint64_t need(struct syt *st, const char *name)
{
	return sym_off(&st->mk->img, st->where, name);
}

/* The names entry at *at: its bytes' length; *at moves to the bytes. */
static uint32_t name_len(const struct syt *st, uint64_t *at)
{
	const struct mk_image *img = &st->mk->img;
	uint32_t len = img_rd(img, (*at)++, 1, "kallsyms_names");

	if (len & 0x80)
		len = (len & 0x7f) | img_rd(img, (*at)++, 1, "kallsyms_names") << 7;
	return len;
}

static uint32_t names_size(struct syt *st)
{
	uint64_t at = st->s->names;

	for (uint32_t i = 0; i < st->s->nr_syms; i++) {
		at += name_len(st, &at);
		img_at(&st->mk->img, st->s->names, at - st->s->names, "kallsyms_names");
	}
	return at - st->s->names;
}

/* The next symbol's name, after its type letter (KSYM_NAME_LEN is 512). */
static char *next_name(struct syt *st)
{
	char buf[512];
	uint32_t len = name_len(st, &st->name_at);
	const char *name = ksym_name(&st->names, st->name_at, len, buf, sizeof(buf));

	st->name_at += len;
	return xstrdup(name);
}

static void locate(struct syt *st)
{
	struct mk *mk = st->mk;
	struct fgk_symtab *s = st->s;
	uint64_t n_off = need(st, "kallsyms_num_syms");
	uint64_t base_off = need(st, "kallsyms_relative_base");

	s->nr_syms = img_rd(&mk->img, n_off, 4, "kallsyms_num_syms");
	s->offsets = need(st, "kallsyms_offsets");
	s->offsets_kind = mk->cfg.abs_percpu ? FGK_SYMOFF_ABS_PERCPU : FGK_SYMOFF_RELATIVE;
	s->names = need(st, "kallsyms_names");
	s->markers = need(st, "kallsyms_markers");
	s->relative_base = img_rd(&mk->img, base_off, 8, "kallsyms_relative_base");
	mk->symtab_base_site = base_off;
	if (sym_find(&mk->img, "kallsyms_seqs_of_names")) {
		s->seqs = need(st, "kallsyms_seqs_of_names");
		s->flags |= FGK_SYMTAB_SEQS;
		img_at(&mk->img, s->seqs, 3ull * s->nr_syms, "kallsyms_seqs_of_names");
	}
	img_at(&mk->img, s->offsets, 4ull * s->nr_syms, "kallsyms_offsets");
	img_at(&mk->img, s->markers, 4ull * ((s->nr_syms + 255) / 256), "kallsyms_markers");
	s->names_size = names_size(st);
}

/* The link-time address of symbol i; false if it is absolute (never moves). */
static bool sym_addr(const struct syt *st, uint32_t i, uint64_t *addr)
{
	int32_t v = img_rd(&st->mk->img, st->s->offsets + 4ull * i, 4, "kallsyms_offsets");

	if (st->s->offsets_kind == FGK_SYMOFF_RELATIVE) {
		*addr = st->s->relative_base + (uint32_t)v;
		return true;
	}
	*addr = v >= 0 ? (uint64_t)v : st->s->relative_base - 1 - (int64_t)v;
	return v < 0;
}

static noreturn void sdie(const struct syt *st, uint32_t i, uint64_t addr, const char *msg)
{
	uint64_t off = 0;
	bool in = vaddr_to_off(&st->mk->img, addr, &off);

	die_at(st->mk->img.path, "kallsyms_offsets", 4ull * i, NULL,
	       "symbol %u at 0x%llx (%s): %s", i, (unsigned long long)addr,
	       in ? describe_off(&st->mk->img, off) : "outside the image", msg);
}

/* Addresses, absolute ones included, must not decrease (scripts/kallsyms.c sorts them). */
static void check_order(struct syt *st, uint32_t i, uint64_t addr)
{
	if (addr < st->prev_addr)
		sdie(st, i, addr, "kallsyms is not sorted by address");
	st->prev_addr = addr;
}

static uint32_t owner(struct syt *st, uint32_t i, uint64_t addr, const struct mk_marker *m)
{
	struct mk *mk = st->mk;
	uint64_t off;
	uint32_t unit = FGK_UNIT_NONE;

	if (!vaddr_to_off(&mk->img, addr, &off))
		return FGK_UNIT_NONE;
	struct own o = own_at(mk, off);

	if (m && m->refusal)
		sdie(st, i, addr, m->refusal);
	if (m)
		unit = m->unit;
	else if (!own_unit(&o, &unit))
		sdie(st, i, addr, "symbol in region padding, in no unit");
	if (unit != o.half)
		*vec_push(&mk->overrides) = (struct fgk_override){ i, unit };
	return unit;
}

/*
 * The symbols of one unit must be contiguous, unowned ones apart: those
 * lie outside regions or at a region's start or end, where the runtime
 * writes them before or after the region's runs.
 */
static void check_run(struct syt *st, uint32_t i, uint64_t addr, uint32_t unit,
		      const struct mk_marker *m)
{
	if (unit == FGK_UNIT_NONE || unit == st->prev_owner)
		return;
	if (st->prev_owner != FGK_UNIT_NONE)
		st->closed[st->prev_owner] = 1;
	if (st->closed[unit] && m)
		sdie(st, i, addr, xasprintf("the symbols of one unit are not contiguous: kallsyms lists "
					    "linker-script marker %s after symbols of the unit that "
					    "starts at its address", m->name));
	if (st->closed[unit])
		sdie(st, i, addr, "the symbols of one unit are not contiguous");
	st->prev_owner = unit;
}

static void skip_arrays(struct mk *mk, const struct fgk_symtab *s)
{
	add_skip(mk, s->offsets, s->offsets + 4ull * s->nr_syms, SKIP_ALL);
	add_skip(mk, s->names, s->names + s->names_size, SKIP_ALL);
	add_skip(mk, s->markers, s->markers + 4ull * ((s->nr_syms + 255) / 256), SKIP_ALL);
	if (s->flags & FGK_SYMTAB_SEQS)
		add_skip(mk, s->seqs, s->seqs + 3ull * s->nr_syms, SKIP_ALL);
}

static uint32_t seq_at(const struct syt *st, uint32_t pos)
{
	const uint8_t *p = img_at(&st->mk->img, st->s->seqs + 3ull * pos, 3, "kallsyms_seqs_of_names");
	uint32_t i = (uint32_t)p[0] << 16 | p[1] << 8 | p[2];

	if (i >= st->s->nr_syms)
		die_at(st->mk->img.path, "kallsyms_seqs_of_names", 3ull * pos, NULL,
		       "entry %u names symbol %u of %u", pos, i, st->s->nr_syms);
	return i;
}

static void add_tie(struct mk *mk, uint32_t first, uint32_t end)
{
	if (end - first >= 2)
		*vec_push(&mk->sym_ties) = (struct fgk_sym_tie){ first, end - first };
}

/*
 * kallsyms_seqs_of_names lists symbols by name, equal names by address,
 * then index (scripts/kallsyms.c; kallsyms_lookup_name() and
 * kallsyms_on_each_match_symbol() rely on it). The shuffle changes the
 * address order of equal names, so their runs go into the map. Checks the
 * name order on the way: the runtime's tie pass relies on it.
 */
static void find_ties(struct syt *st, char *const *names)
{
	uint32_t n = st->s->nr_syms, first = 0, prev = 0;

	for (uint32_t pos = 0; pos < n; pos++) {
		uint32_t i = seq_at(st, pos);
		int c = pos ? strcmp(names[prev], names[i]) : 1;

		if (pos && (c > 0 || (!c && prev >= i)))
			die_at(st->mk->img.path, "kallsyms_seqs_of_names", 3ull * pos, NULL,
			       "not sorted by name, then address: %s (symbol %u) after %s (symbol %u)",
			       names[i], i, names[prev], prev);
		if (c) {
			add_tie(st->mk, first, pos);
			first = pos;
		}
		prev = i;
	}
	add_tie(st->mk, first, n);
}

void symtab_build(struct mk *mk)
{
	if (!mk->cfg.symtab_where)
		return;
	struct syt st = { .mk = mk, .where = mk->cfg.symtab_where, .s = &mk->symtab,
			  .closed = xcalloc(mk->units.n, 1), .prev_owner = FGK_UNIT_NONE };
	locate(&st);
	ksym_names_init(&st.names, mk);
	st.name_at = mk->symtab.names;
	mk->has_symtab = true;
	mk->symtab.first_override = mk->overrides.n;
	char **names = xcalloc(mk->symtab.nr_syms, sizeof(*names));

	for (uint32_t i = 0; i < mk->symtab.nr_syms; i++) {
		uint64_t addr;
		bool moves = sym_addr(&st, i, &addr);

		names[i] = next_name(&st);
		const struct mk_marker *m = marker_named(mk, names[i], addr);

		check_order(&st, i, addr);
		if (moves)
			check_run(&st, i, addr, owner(&st, i, addr, m), m);
	}
	mk->symtab.nr_overrides = mk->overrides.n - mk->symtab.first_override;
	if (mk->symtab.flags & FGK_SYMTAB_SEQS)
		find_ties(&st, names);
	for (uint32_t i = 0; i < mk->symtab.nr_syms; i++)
		free(names[i]);
	free(names);
	free(st.closed);
	skip_arrays(mk, &mk->symtab);
}
