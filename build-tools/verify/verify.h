/* verify.h: fgk-verify's shared state: two images, the map, where each unit went, and the error report. */
#ifndef FGK_VERIFY_H
#define FGK_VERIFY_H

#include <stdbool.h>
#include <stdio.h>

#include "elfimg_map.h"
#include "map_write.h"

/* A relocated field of IN: an xref and/or a base relocation at one site. */
struct field {
	uint32_t site;			/* image offset in IN */
	uint8_t size;			/* 4 or 8 bytes */
	uint8_t xkind;			/* enum fgk_xref_kind, 0: no xref */
	uint8_t rkind;			/* enum fgk_reloc_kind, FGK_NR_RELOC_KINDS: none */
	bool checked;			/* decoded as an instruction operand */
	bool elf_only;			/* from IN's static relocations, not in the map */
	uint8_t rtype;			/* elf_only: R_X86_64_* */
	uint32_t tunit;			/* xref's target unit (FGK_UNIT_NONE) */
	/* IN's relocation at the site (--emit-relocs), what its symbol says: */
	bool named;			/* not a section symbol */
	bool sym_label;			/* named and NOTYPE: a label or linker-script marker */
	int8_t sym_base;		/* 1: follows the base, 0: stays, -1: no relocation */
	uint32_t sym_unit;		/* its unit, UNIT_STAYS (fixed), NO_UNIT (none or can't tell) */
};

/* What a byte of IN is, for the raw comparison. */
enum byte_kind {
	BYTE_PLAIN = 0,			/* must be unchanged */
	BYTE_FIELD,			/* relocated field: compared decoded */
	BYTE_TABLE,			/* sorted table or symtab: compared as a set */
	BYTE_INSN,			/* already compared as part of an instruction */
	BYTE_NOSECTION,			/* ELF headers, padding: no section's bytes */
};

enum check {
	CHK_LAYOUT, CHK_SYMBOL, CHK_INSN, CHK_TARGET, CHK_BYTES, CHK_FIELD,
	CHK_TABLE, CHK_KALLSYMS, CHK_MAP, NR_CHECKS
};

/* Symbols usable to name an address, sorted by value. */
struct symindex {
	const struct elfimg_sym **by_value;
	size_t n;
};

struct verify {
	struct elfimg in, out;
	struct fgk_map map;
	struct fgk_xref *xrefs;		/* the map's, decoded against IN */
	struct fgk_override *overrides;	/* the map's, decoded */
	int64_t base_delta;		/* OUT link base - IN link base */
	int64_t *unit_new;		/* new offset of each unit */
	uint8_t *kind;			/* enum byte_kind per IN image byte */
	struct field *fields;		/* sorted by site */
	size_t nr_fields;
	struct symindex in_syms, out_syms;
	uint32_t *units_by_new;		/* unit indices sorted by new offset (OUT's names) */
	struct code_range { uint64_t start, end; } *code;	/* executable sections, IN */
	size_t nr_code;
	const struct elfimg_sym **code_syms;	/* sized functions in code, by offset */
	size_t nr_code_syms;
	uint64_t *anchors;		/* IN offsets known to start an instruction, sorted */
	size_t nr_anchors;
	unsigned errors[NR_CHECKS];
	unsigned verbose_limit;		/* messages printed per check */
	bool list_spans;		/* --spans: print each span that did not decode */
	/* What was compared, for the summary. */
	uint64_t nr_insns, nr_funcs, nr_entries, nr_kallsyms, nr_bytes;
	uint64_t nr_undecodable, nr_spans;	/* code bytes capstone could not decode, in spans */
};

/* Report a mismatch of kind `chk`; printed while under the limit. */
void fail(struct verify *v, enum check chk, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
unsigned total_errors(const struct verify *v);

/* verify_sym.c: naming addresses and mapping IN addresses into OUT. */
void symindex_build(struct symindex *idx, const struct elfimg *img);
/* "name+0xoff" for an address of `img`, in a static ring of buffers. */
const char *symname(const struct verify *v, const struct elfimg *img, uint64_t addr);
/* "name+0xoff" for an image offset of `img` (IN: where a site is). */
const char *offname(const struct verify *v, const struct elfimg *img, uint64_t off);
/*
 * Where IN address `addr` should be in OUT: it moves with the unit that
 * holds it (or that it ends, one past the end), and with the base if its
 * segment does. `hint` (a unit, or NO_UNIT) picks between the two units at
 * a boundary (UNIT_STAYS: neither); in region padding, where no unit is,
 * the address follows `hint` (NO_UNIT: it stays), as the map decides. `base` is its base move
 * if known otherwise (a relocation's symbol). Returns how many answers.
 */
int expected_addr(const struct verify *v, uint64_t addr, uint32_t hint, int64_t base, uint64_t out[2]);
/* For `base` above: the base move of addr's own segment. */
#define BASE_OF_ADDR INT64_MIN
/* Whether IN image offset `off` is region padding: in a region, in no unit, ending none. */
bool in_padding(const struct verify *v, uint64_t off);
/* How far unit u moved (new - old offset). */
int64_t unit_move(const struct verify *v, uint32_t u);
/* Index OUT's units by new offset, once their moves are known (for naming OUT addresses). */
void index_units_by_new(struct verify *v);
/*
 * The base-KASLR move of IN address `addr`: that of the segment holding it
 * (or ending at it), 0 in a per-CPU segment; outside all, above the base.
 */
int64_t base_move(const struct verify *v, uint64_t addr);
bool follows_base(const struct verify *v, uint64_t addr);
/*
 * Where OUT should have IN address `addr` of a table or symtab entry whose
 * owner the map decides (fgk_map.h): with that unit, or with none.
 */
uint64_t owned_addr(const struct verify *v, uint64_t addr, uint32_t owner);
/* Whether OUT address `got` is one of the expected places of IN `addr`. */
bool addr_matches(const struct verify *v, uint64_t addr, uint32_t hint, int64_t base, uint64_t got);
/* Image offset in OUT of IN image offset `off` (moved with its unit). */
uint64_t out_off(const struct verify *v, uint64_t off);
/* The name of the loaded section holding image offset `off`. */
const char *secname_at(const struct elfimg *img, uint64_t off);
/* "expected foo+0x4 (0x...)" */
const char *expected_name(const struct verify *v, uint64_t addr, uint32_t hint, int64_t base);

/* verify_layout.c */
void find_unit_moves(struct verify *v);
void check_layout(struct verify *v);
void check_symbols(struct verify *v);

/* verify_fields.c: the map's and IN's relocated fields; the raw comparison. */
void collect_fields(struct verify *v);
const struct field *field_at(const struct verify *v, uint64_t site);
/* Index of the first field at or after site (nr_fields if none). */
size_t field_from(const struct verify *v, uint64_t site);
void check_fields(struct verify *v);
void check_bytes(struct verify *v);

/* verify_target.c: what an address field points at, where OUT should have it. */
bool field_is_abs(const struct field *f);
/* The address an absolute field at `at` holds (sign-extended when 32S). */
uint64_t field_addr(const struct verify *v, const struct field *f, const uint8_t *at);
/* The xref's target unit, or NO_UNIT. */
uint32_t field_hint(const struct field *f);
/* A unit hint: the address stays put (its symbol is fixed). */
#define UNIT_STAYS (NO_UNIT - 1)
/*
 * The unit the target of f follows: `dflt` (the map's target unit), but
 * where the address alone cannot tell (region padding, one past a unit's
 * end) IN's relocation symbol decides when it can: a named symbol's unit
 * (PFN_ALIGN(_text) is _text + 0xfff: it stays), or a section outside the
 * regions (.altinstr_replacement just after .text): UNIT_STAYS.
 */
uint32_t target_hint(const struct verify *v, const struct field *f, uint64_t target, uint32_t dflt);
/* The base move of an absolute field: its relocation symbol's (relocs.c), else BASE_OF_ADDR. */
int64_t field_base(const struct verify *v, const struct field *f);
bool abs_field_ok(struct verify *v, const struct field *f, uint64_t *in_addr, uint64_t *out_addr);
/* "foo+0x4 (0x...)": what OUT should hold in absolute field f, for a message. */
const char *abs_expected(const struct verify *v, const struct field *f, uint64_t in_addr);
/* Whether a target at a region's start names the region (a marker) and OUT kept it. */
bool marker_kept(const struct verify *v, const struct field *f, uint64_t in_addr, uint64_t out_addr);
/* What is wrong with the map's target unit for target, or NULL. */
const char *hint_problem(const struct verify *v, const struct field *f, uint64_t target);

/* verify_relocs.c: IN's static relocations (--emit-relocs), a second opinion on the map. */
size_t count_elf_relocs(const struct verify *v);
/* Append a field for each relocated field of a loaded section outside the tables. */
size_t add_elf_relocs(struct verify *v, struct field *out);

/* verify_sweep.c: what is code, where instructions are known to start, the sweep. */
void find_code(struct verify *v);
/* Whether IN image offset off is in an executable section. */
bool in_code(const struct verify *v, uint64_t off);
/* After an instruction capstone cannot decode: anchors, once the fields are known. */
void find_anchors(struct verify *v);
/* The first anchor after off, or limit. */
uint64_t next_anchor(const struct verify *v, uint64_t off, uint64_t limit);
void check_code(struct verify *v);

/* verify_tables.c, verify_kallsyms.c */
void check_tables(struct verify *v);
void check_kallsyms(struct verify *v);

#endif /* FGK_VERIFY_H */
