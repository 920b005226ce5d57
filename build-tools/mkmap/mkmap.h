/* mkmap.h: the shared state and the steps of fgk-mkmap, which maps an ELF image. */
#ifndef MKMAP_H
#define MKMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "fgk_map.h"
#include "host.h"
#include "elfimg.h"
#include "ldmap.h"

/*
 * Pipeline (build() in mkmap.c), one file each:
 *   config -> image (elf) -> link map (ldmap) -> image id -> units
 *          -> markers -> tables -> symtab -> static relocations (refs)
 *          -> dynamic relocations, finish (relocs) -> emit
 * Every position the steps exchange is an image offset (see mkmap_elf.c),
 * except where a name says vaddr.
 */

/* ---- text and bytes (mkmap_util.c); errors, allocation, files: host.h ---- */
uint64_t rd_le(const void *p, int size);	/* unaligned little-endian read */
int64_t rd_sle(const void *p, int size);	/* same, sign-extended */

/* ---- the input image (mkmap_elf.c) ---- */
struct mk_seg {
	uint64_t vaddr, memsz, filesz, foff;
	uint64_t img;			/* image offset of vaddr */
};

struct mk_sec {
	const char *name;
	uint64_t addr, size, align, flags, foff, entsize;
	uint32_t type, link, info;
	bool loaded;			/* SHF_ALLOC, inside a PT_LOAD */
	uint64_t img;			/* image offset of addr, if loaded */
	bool percpu;			/* named by a `percpu` directive */
};

struct mk_sym {
	const char *name;
	uint64_t value, size;
	uint16_t shndx;
	uint8_t type, bind;
};

struct mk_image {
	struct elfimg e;		/* the shared loader's image; the rest are views of it */
	const char *path;
	void *elf;			/* libelf handle (Elf *) */
	uint16_t type;			/* ET_EXEC, or ET_DYN for any PIE */
	unsigned char *file;		/* the whole file */
	size_t file_size;
	struct mk_sec *secs;
	size_t nsecs;
	struct mk_seg *segs;
	size_t nsegs;
	struct mk_sym *syms;		/* .symtab */
	size_t nsyms;
	uint64_t link_base, image_size;
	unsigned char *mem;		/* the loaded image, image_size bytes */
};

void image_read(struct mk_image *img, const char *path);
void image_free(struct mk_image *img);
bool vaddr_to_off(const struct mk_image *img, uint64_t vaddr, uint64_t *off);
bool off_to_vaddr(const struct mk_image *img, uint64_t off, uint64_t *vaddr);
const struct mk_sym *sym_find(const struct mk_image *img, const char *name);
const char *sym_name(const struct mk_image *img, size_t i);
uint64_t sym_off(const struct mk_image *img, const char *where, const char *name);
const unsigned char *img_at(const struct mk_image *img, uint64_t off,
			    uint64_t size, const char *what);
uint64_t img_rd(const struct mk_image *img, uint64_t off, int size, const char *what);
const struct mk_sec *sec_of_off(const struct mk_image *img, uint64_t off);
const char *describe_off(const struct mk_image *img, uint64_t off);

/* ---- the configuration (mkmap_config.c; language in mkmap-config.txt) ---- */
struct cfg_region {
	const char *where;		/* "file:line" of the directive */
	const char *outsec;
	const char *end_sym;		/* NULL: end of the output section */
	bool must_fit;			/* worst-case layout over capacity: error */
};

struct cfg_range {
	const char *where;
	const char *start_sym, *end_sym;
	bool block;			/* block: moves as one; else fixed */
	bool used;			/* it met a region */
};

#define CFG_MAX_FIELDS	32

struct cfg_table {
	const char *where;
	const char *name, *start_sym, *end_sym;
	uint64_t entry, key;
	uint32_t kind;			/* FGK_KEY_* */
	uint32_t fields[CFG_MAX_FIELDS];
	uint32_t nfields;
	const char *par_sym;		/* NULL: no parallel array */
	uint64_t par_size;
	bool has_marker;
	uint32_t marker_byte, marker_mask, marker_value;
	bool skip_zero;			/* leading zero keys stay out of the table */
};

struct mk_config {
	VEC(struct cfg_region) regions;
	VEC(struct cfg_range) ranges;
	VEC(const char *) keeps;
	VEC(const char *) keep_where;
	VEC(struct cfg_table) tables;
	VEC(const char *) percpu;	/* per-CPU output sections */
	VEC(const char *) abs_relative;	/* SHN_ABS symbols that do move */
	VEC(char *) wheres;		/* owns every "file:line" string */
	const char *symtab_where;	/* NULL: no `symtab` directive */
	bool abs_percpu;
};

void config_file(struct mk_config *cfg, const char *path);
void config_line(struct mk_config *cfg, const char *line, const char *where);

/* ---- object files (mkmap_objs.c); the link map is ldmap.h's ---- */
struct mk_objs;
struct mk_objs *objs_new(const char *ldmap_path, const char *objdir);
uint32_t objs_align(struct mk_objs *objs, const struct ld_insec *in);
void objs_free(struct mk_objs *objs);

/* ---- the map under construction ---- */
struct mk_unit {
	struct fgk_unit u;
	uint32_t region;
	const char *name;		/* input section, or "block ..." */
	const char *file;
	const struct cfg_range *block;	/* the `block` it is, or NULL */
};

struct mk_region {
	struct fgk_region r;
	const char *outsec;
	bool must_fit;			/* from the region directive */
};

/* A byte range whose static relocations are stale or handled elsewhere. */
struct mk_skip {
	uint64_t start, end;
	int table;			/* index of an ABS64 table, or SKIP_* */
};

#define SKIP_ALL	(-1)		/* no xrefs, no base relocations */
#define SKIP_XREFS	(-2)		/* no xrefs; base relocations as usual */

struct mk_table {
	struct fgk_table t;
	const char *name;
	uint64_t abs64_relocs;		/* relocations seen at its keys */
};

struct mk {
	struct mk_config cfg;
	struct mk_image img;
	struct ld_map ldmap;
	struct mk_objs *objs;

	VEC(struct mk_region) regions;
	VEC(struct mk_unit) units;
	VEC(struct fgk_xref) xrefs;
	VEC(struct mk_table) tables;
	VEC(struct fgk_override) overrides;
	VEC(uint32_t) field_units;
	struct fgk_symtab symtab;
	bool has_symtab;

	VEC(struct fgk_sym_tie) sym_ties;
	uint32_t image_id_offset, image_id_size;	/* the build id; size 0: none */
	uint8_t image_id[FGK_IMAGE_ID_MAX];

	VEC(uint32_t) relocs[FGK_NR_RELOC_KINDS];
	bool image_relocs;		/* relocs equal the image's own list: left out */

	VEC(struct mk_skip) skips;
	uint64_t symtab_base_site;	/* kallsyms_relative_base, or NOPOS */
	uint64_t *funcs;		/* STT_FUNC values, sorted (decoding starts) */
	size_t nfuncs;
	uint64_t pad_fallbacks;		/* targets in padding given their symbol's unit */
	char *pad_example;
	struct mk_marker *markers;	/* linker-script markers, by name */
	size_t nmarkers;
	uint32_t *marker_of;		/* per symbol: index in markers, or NO_MARKER */

	VEC(uint64_t) abs64_decided;	/* ABS64 fields whose static relocation named the target */
};

/* Steps, in pipeline order. */
void image_id_find(struct mk *mk);	/* mkmap_image_id.c */
void units_build(struct mk *mk);	/* mkmap_units.c */
/* mkmap_units.c: bytes the longest layout of these units from `start` can take */
uint64_t layout_worst_case(const struct fgk_unit *u, uint32_t n, uint64_t start);
void markers_build(struct mk *mk);	/* mkmap_markers.c */
void tables_build(struct mk *mk);	/* mkmap_tables.c */
void symtab_build(struct mk *mk);	/* mkmap_symtab.c */
void refs_static(struct mk *mk);	/* mkmap_refs.c */
void relocs_dynamic(struct mk *mk);	/* mkmap_relocs.c */
void relocs_finish(struct mk *mk);	/* mkmap_relocs.c: sort, dedup, check */
/* mkmap_base_relocs.c: relocs equal the list in `path`, or die */
void base_relocs_match(struct mk *mk, const char *path);
/* mkmap_pie_relocs.c: --image-relocs: a PIE image's RELA/RELR, which the boot reads. */
void pie_relocs_left_out(struct mk *mk);
/* The image's RELA and RELR sections (NULL: none); dies on more than one of a kind. */
void pie_relocs_find(const struct mk *mk, const struct mk_sec **rela, const struct mk_sec **relr);
void *emit_map(struct mk *mk, size_t *size);	/* mkmap_emit.c */
/* mkmap_selfcheck.c: the runtime's checks of the map made; the boot's scratch bytes. */
uint64_t map_selfcheck(const struct mk *mk, const void *map, size_t size,
		       const char *relocs_path);

/* ---- owners of addresses (mkmap_owner.c) ---- */
/*
 * Where an image offset lies relative to the units:
 *   half   the unit u with u.offset <= off < u.offset + u.size (half-open)
 *   ended  the unit u with u.offset + u.size == off
 *   pad    off is inside a region but in no unit (int3 after a shuffle)
 */
struct own {
	uint32_t half, ended;
	bool pad;
};

struct own own_at(const struct mk *mk, uint64_t off);
/* The usual rule: half-open; one past a unit's end in padding: that unit. */
bool own_unit(const struct own *o, uint32_t *unit);
uint32_t unit_of_site(const struct mk *mk, uint64_t off, uint64_t size);
int region_of(const struct mk *mk, uint64_t off);
bool in_skip(const struct mk *mk, uint64_t off, int *table);
void add_skip(struct mk *mk, uint64_t start, uint64_t end, int table);

/* ---- linker-script markers (mkmap_markers.c) ---- */
/*
 * A marker is a symbol the linker script defines by an assignment the -Map
 * file lists (`__sched_text_end = .`, a used PROVIDE) whose ELF symbol is
 * STT_NOTYPE with that value (GNU ld gives `alias = func` func's type, so
 * such aliases follow their function as usual). A marker never moves with
 * the unit that happens to start at its address: see marker_unit().
 */
#define NO_MARKER	UINT32_MAX

struct mk_marker {
	const char *name;
	size_t symi;
	uint64_t vaddr;
	uint32_t unit;			/* where it belongs (FGK_UNIT_NONE: stays) */
	const char *refusal;		/* non-NULL: no right answer; die if used */
};

/* Symbol symi's marker, or NULL if it is none. */
const struct mk_marker *marker_of_sym(const struct mk *mk, size_t symi);
/* The marker of this name at vaddr (a kallsyms entry), or NULL. */
const struct mk_marker *marker_named(const struct mk *mk, const char *name, uint64_t vaddr);

/* ---- kallsyms names (mkmap_ksym_names.c) ---- */
struct ksym_names {
	const struct mk_image *img;
	bool tokens;			/* kallsyms_token_table/_index present */
	uint64_t table, index;		/* their image offsets */
};

void ksym_names_init(struct ksym_names *kn, const struct mk *mk);
/* The name (after the type letter) of the entry whose len bytes are at `at`. */
const char *ksym_name(const struct ksym_names *kn, uint64_t at, uint32_t len, char *buf, size_t cap);

/* ---- references (mkmap_refs.c, mkmap_insn.c, mkmap_relocs.c) ---- */
void add_xref(struct mk *mk, uint64_t site, int kind, uint32_t unit);
void add_reloc(struct mk *mk, int kind, uint64_t site);
const char *rtype_name(uint32_t type);
/* An SHN_ABS symbol that `abs-relative` says is an image address after all. */
bool abs_relative(const struct mk *mk, const char *name);

enum insn_field {
	FIELD_PCREL,		/* rip-relative displacement or branch offset */
	FIELD_IMM,		/* another immediate or displacement */
};

/* Classify the 4-byte field at `field` by decoding from `start`; sets *end. */
enum insn_field insn_classify(struct mk *mk, uint64_t start, uint64_t field,
			      uint64_t *end, const char *sym);
/*
 * Write each classification (field, kind, instruction end) to path; with a
 * trace on, every 4-byte field in code is classified (insn_trace_field),
 * also those whose target needs no decoding, so that two decoders can be
 * compared on every reference.
 */
void insn_trace_to(const char *path);
bool insn_tracing(void);
void insn_trace_field(struct mk *mk, uint64_t start, uint64_t field);
void insn_done(void);

/* ---- output (mkmap_names.c, mkmap_dump.c) ---- */
/* Names units in the dump: "input-section (file) first-symbol". */
struct namer;
struct namer *namer_new(const struct mk_image *img, const struct mk_unit *units,
			size_t nunits);
const char *namer_unit(struct namer *nm, const struct fgk_unit *u, uint32_t i);
void namer_free(struct namer *nm);

/*
 * Print a map readably; nm may be NULL, and image (the loaded image the
 * xref targets are read from) too. Dies on a malformed map.
 */
void dump_map(const void *map, size_t size, const char *path, struct namer *nm,
	      const uint8_t *image, uint64_t image_size);

#endif /* MKMAP_H */
