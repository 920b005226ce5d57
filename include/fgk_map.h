/* fgk_map.h: the fgkaslr section map, written by fgk-mkmap and read by the runtime at boot. */
#ifndef FGK_MAP_H
#define FGK_MAP_H

#include "fgk_types.h"

/*
 * The map describes one loaded image: a flat run of bytes, image offset 0
 * being link-time virtual address `link_base`. Every position in the map is
 * an image offset (u32). All fields are little-endian and naturally aligned;
 * every array starts on an 8-byte boundary (zero padding between arrays).
 *
 *   +--------------------------+ 0
 *   | struct fgk_map_header    |  magic, version, counts, xxh64 of payload
 *   +--------------------------+ header_size            -.
 *   | regions[nr_regions]      |  ranges whose units are permuted      |
 *   | unit stream (unit_bytes) |  movable input sections, by address   |
 *   | xref codes and words     |  nr_xrefs references to fix, by site  |
 *   | tables[nr_tables]        |  sorted address tables to re-sort     |  payload,
 *   | override stream          |  nr_overrides table/symtab entries'   |  covered by
 *   |   (override_bytes)       |  owner units                          |
 *   | field_units[nr_field_units] target units of extra table fields   |  payload_xxh64
 *   | symtabs[nr_symtabs]      |  kallsyms-style symbol table (0 or 1) |
 *   | sym_ties[nr_sym_ties]    |  runs of equal names in its seqs      |
 *   | relocs[ABS64][n0]        |  base-KASLR sites, by offset          |
 *   | relocs[ABS32][n1]        |                                       |
 *   | relocs[INV32][n2]        |                                      -'
 *   +--------------------------+ header_size + payload_size
 *
 * Runtime order: plan the permutation and check it fits (no writes), fix
 * xrefs in place, move the units, re-sort tables and the symtab, then apply
 * the base relocations at their new sites. Every check happens before the
 * first write, so an image is either fully shuffled or untouched. The
 * checks of each reference, entry, symbol and relocation (sorted, owned,
 * fitting) run at build time (fgk_map_check, fgk.h); the boot checks the
 * checksum, the image and the structure its writes rely on (fgk_map_open).
 */

#define FGK_MAP_MAGIC	0x1a0050414d4b4746ULL	/* "FGKMAP\0\x1a" */
#define FGK_MAP_VERSION	3	/* 2: the header names its image; 3: xref stream */
#define FGK_IMAGE_ID_MAX 32

#define FGK_MAP_PIE	0x1	/* flags: image was linked -pie */
/*
 * flags: the base relocations are not in the map but in the image's own
 * list (the decompressor's vmlinux.relocs), which fgk-mkmap found equal
 * to its own; the runtime is given that list (fgk_map_use_relocs).
 */
#define FGK_MAP_IMAGE_RELOCS	0x2

enum fgk_reloc_kind {
	FGK_RELOC_ABS64,	/* u64 at site += delta */
	FGK_RELOC_ABS32,	/* u32 at site += delta (32 and 32S) */
	FGK_RELOC_INV32,	/* u32 at site -= delta (per-CPU, as vmlinux.relocs) */
	FGK_NR_RELOC_KINDS
};

struct fgk_map_header {
	uint64_t magic;
	uint32_t version;
	uint32_t header_size;		/* sizeof(struct fgk_map_header) */
	uint64_t payload_size;		/* bytes after the header */
	uint64_t payload_xxh64;		/* xxh64, seed 0, of those bytes */
	uint64_t link_base;		/* link-time address of image offset 0 */
	uint64_t image_size;		/* bytes of image the map covers */
	uint32_t flags;			/* FGK_MAP_* */
	uint32_t nr_regions;
	uint32_t nr_units;
	uint32_t nr_xrefs;
	uint32_t nr_tables;
	uint32_t nr_overrides;
	uint32_t nr_field_units;
	uint32_t nr_symtabs;
	uint32_t nr_relocs[FGK_NR_RELOC_KINDS];
	uint32_t nr_sym_ties;		/* runs in sym_ties; 0: none */
	uint32_t xref_bytes;		/* bytes of the xref words (after the codes) */
	uint32_t override_bytes;	/* bytes of the override stream */
	uint32_t unit_bytes;		/* bytes of the unit stream */
	uint32_t reserved;		/* zero */
	/*
	 * The image the map was made for: image_id_size bytes at image
	 * offset image_id_offset must equal image_id (the GNU build id
	 * note's descriptor, which lies in the loaded image), checked before
	 * anything else reads the image. Size 0: the image had no build id.
	 */
	uint32_t image_id_offset;
	uint32_t image_id_size;
	uint8_t image_id[FGK_IMAGE_ID_MAX];
};

/*
 * A region is a range whose units are laid out again in a random order:
 * from `start`, each unit aligned up to its alignment, the layout must end
 * at or before `end`. Bytes of the region not covered by a unit become int3.
 * Its units are units[first_unit .. first_unit + nr_units), which lie inside
 * [start, end). Regions are sorted and do not overlap. Ranges that must stay
 * put are simply outside every region.
 */
struct fgk_region {
	uint32_t start;
	uint32_t end;
	uint32_t first_unit;
	uint32_t nr_units;
};

/*
 * A unit moves as one: one input section (references inside it need no
 * relocation, so it cannot be cut), or a block of them
 * that must stay contiguous. Sorted by offset, not overlapping.
 * align is a power of two.
 *
 * The map holds them as a stream of ULEB128 words, two per unit; the
 * runtime decodes it into memory the caller gives fgk_map_open (12 bytes
 * a unit), as everything else looks units up by index:
 *
 *   per unit:  (offset - previous unit's end) << 5 | log2(align),  size
 *              (the first unit: its offset)
 *
 * e.g. units [0x1000, +0x4c) align 16, [0x1050, +0x1e) align 16:
 *   0x1000 << 5 | 4 = ULEB 0x84 0x80 0x08, 0x4c;  4 << 5 | 4 = 0x84 0x01, 0x1e
 */
struct fgk_unit {
	uint32_t offset;
	uint32_t size;
	uint32_t align;
};

/*
 * A reference whose site or target lies in a unit (PC-relative references
 * within one unit are left out: they do not change, and so are absolute
 * ones to code that stays put). Fields do not overlap, and a field lies
 * wholly inside one unit or outside all. With dS, dT the moves of the
 * site's and target's units (0 if none):
 *   PC32, PC64:          field += dT - dS
 *   ABS64, ABS32, ABS32S: field += dT   (the base delta comes from relocs)
 *
 * They are held sorted by site, as a code per xref, then ULEB128 words
 * (7 bits a byte, least significant first, high bit set on all but the
 * last). Most targets are not stored: the field's own value points into
 * the target, so the runtime reads it and asks which unit holds that
 * address D. Codes and words are apart so that the compressor sees two
 * regular streams (mostly code 0; small site gaps).
 *
 *   | codes: 4 bits per xref, the first in the low nibble | words        |
 *     (nr_xrefs + 1) / 2 bytes                             xref_bytes
 *
 *   words per xref:  site - previous site                (first: site)
 *                    code 7 only: (target unit + 1, 0: none) << 3 | kind
 *
 *   code  kind    target: the unit holding image offset D, else none
 *    0    PC32    D = site + 4 + field      call, jmp, RIP-relative operand
 *    1    PC32    D = site + field          self-relative table entry
 *    2    ABS64   D = field - link_base
 *    3    ABS32S  D = field (sign-extended) - link_base
 *    7    w2's kind, target as stored (fgk-mkmap stores it when D would
 *         name another unit, e.g. an address just past a function)
 *
 * e.g. a call at 0x1005 to a function in another unit, then a pointer at
 * 0x1010 to the end of a function (stored, unit 41):
 *   codes 0, 7       = 0x70
 *   words 0x1005     = ULEB 0x85 0x20
 *         0xb        = 0x0b, then 42 << 3 | ABS64 = ULEB 0xd3 0x02
 */
enum fgk_xref_kind {
	FGK_XREF_PC32 = 1,	/* s32 */
	FGK_XREF_PC64 = 2,	/* s64 */
	FGK_XREF_ABS64 = 3,	/* u64, also PIE R_X86_64_RELATIVE fields */
	FGK_XREF_ABS32 = 4,	/* u32, zero-extended */
	FGK_XREF_ABS32S = 5,	/* s32, sign-extended */
	FGK_XREF_KIND_MAX = FGK_XREF_ABS32S
};

enum fgk_xref_code {
	FGK_CODE_PC32_INSN = 0,
	FGK_CODE_PC32_SELF = 1,
	FGK_CODE_ABS64 = 2,
	FGK_CODE_ABS32S = 3,
	FGK_CODE_STORED = 7,
};

#define FGK_STORED_KIND_BITS	3
#define FGK_STORED_KIND_MASK	7u

/*
 * One reference decoded, as fgk-mkmap collects it and tests write it
 * (the stream's encoder works from these):
 *
 *   info:  31      28 27                              0
 *         +---------+---------------------------------+
 *         |  kind   |  target unit, or FGK_UNIT_NONE  |
 *         +---------+---------------------------------+
 */
#define FGK_UNIT_NONE		0x0fffffffu
#define FGK_XREF_KIND(info)	((info) >> 28)
#define FGK_XREF_UNIT(info)	((info) & FGK_UNIT_NONE)
#define FGK_XREF_INFO(kind, unit) (((uint32_t)(kind) << 28) | (unit))

struct fgk_xref {
	uint32_t site;
	uint32_t info;
};

/*
 * A table sorted by an address key at build time (__ex_table, ORC ip,
 * __mcount_loc). Its fields are not in xrefs: relocations of tables sorted
 * after the link are stale (they describe the entries before sorting), so
 * the runtime reads the contents.
 *
 *   entry (entry_size bytes), e.g. __ex_table:
 *     +0 key (s32 self-relative)  +4 rel32 field (fixup)  +8 data
 *   rel32_fields = 1 << 1: bit i marks the s32 at byte 4*i (never the key)
 *
 * An entry's owner is the unit whose [offset, offset + size) holds the key
 * address, found by walking units alongside the sorted table, unless
 * overrides[first_override ..] names an owner for that entry index (a key
 * one past a unit's end, e.g. an ORC terminator). Entries owned by one unit
 * form one run; after the move the runs are written out in the new address
 * order, keys and rel32 fields adjusted, and the parallel array (ORC's
 * .orc_unwind) permuted alike. No general sort is needed. An unowned entry
 * (FGK_UNIT_NONE: it never moves) has its key outside every region or
 * exactly at a region's start or end (a linker-script marker such as
 * _stext); among that region's entries it is written before (start) or
 * after (end) the region's runs, in its old relative order.
 *
 * field_units[first_field_unit + i * nfields + j] is the target unit of
 * the j-th marked field of original entry i (nfields = popcount).
 */
enum fgk_key_kind {
	FGK_KEY_REL32 = 1,	/* s32: address = &field + value */
	FGK_KEY_ABS64 = 2,	/* u64 link-time address */
};

struct fgk_table {
	uint32_t offset;
	uint32_t nr_entries;
	uint32_t entry_size;
	uint32_t key_offset;
	uint32_t key_kind;
	uint32_t rel32_fields;
	uint32_t par_offset;
	uint32_t par_entry_size;	/* 0: no parallel array */
	uint32_t first_override;
	uint32_t nr_overrides;
	uint32_t first_field_unit;
	uint32_t reserved;		/* zero */
};

/*
 * The owner of entry `entry` of a table or symtab. A table's run,
 * overrides[first_override .. + nr_overrides), is sorted by entry.
 *
 * The map holds them as one stream, in index order, of ULEB128 words,
 * each a zigzag delta z(d) = d >= 0 ? 2d : -2d - 1 from the one before
 * (both start at 0; an unowned override does not change the unit's):
 *
 *   per override:  z(entry - previous entry),
 *                  unit == FGK_UNIT_NONE ? 0 : z(unit - previous unit) + 1
 *
 * Most overrides are ORC terminators, one per unit a few entries apart,
 * each owned by the unit after the previous one: two small, repetitive
 * words. e.g. entries 5 -> u3, 9 -> u4, 2 -> none: 0a 07 | 08 03 | 0d 00
 */
struct fgk_override {
	uint32_t entry;
	uint32_t unit;			/* or FGK_UNIT_NONE */
};

/*
 * A kallsyms-style symbol table (kernel/kallsyms.c), all arrays in address
 * order except seqs:
 *   offsets[nr_syms]  s32: RELATIVE: address = relative_base + (u32)v
 *                          ABS_PERCPU: v >= 0: absolute v (never moves),
 *                                      v < 0: relative_base - 1 - v
 *   names             per symbol: length (ULEB128, 1 or 2 bytes), bytes
 *   markers[]         u32 offset into names of every 256th symbol
 *   seqs[nr_syms]     3 bytes, big-endian: address-order index of the
 *                     symbol that is i-th by name (if FGK_SYMTAB_SEQS)
 * Owners are found as for tables, with overrides.
 */
enum fgk_symoff_kind {
	FGK_SYMOFF_RELATIVE = 1,
	FGK_SYMOFF_ABS_PERCPU = 2,
};

#define FGK_SYMTAB_SEQS	0x1

struct fgk_symtab {
	uint32_t nr_syms;
	uint32_t offsets;
	uint32_t offsets_kind;
	uint32_t names;
	uint32_t names_size;
	uint32_t markers;
	uint32_t seqs;
	uint32_t flags;			/* FGK_SYMTAB_* */
	uint32_t first_override;
	uint32_t nr_overrides;
	uint64_t relative_base;
};

/*
 * Symbols of one name (static functions of several files) sit next to
 * each other in seqs, and the kernel's lookups by name expect them in
 * address order (scripts/kallsyms.c sorts by name, then address, then
 * index). The shuffle changes their relative addresses, so each such run
 * of seqs positions is listed, and the runtime writes the run's indexes
 * out again in ascending (new address) order:
 *
 *   seqs:  ... | foo:17 | foo:4 | foo:90 | ...    after remapping
 *                '------ first, count = 3 -'
 *   seqs:  ... | foo:4  | foo:17 | foo:90 | ...   after the tie pass
 *
 * Sorted by first, not overlapping, count >= 2, inside seqs; a map with
 * ties has a symtab with seqs. Which names are equal is fgk-mkmap's
 * business: the runtime needs only the positions.
 */
struct fgk_sym_tie {
	uint32_t first;			/* position in seqs */
	uint32_t count;
};

/*
 * Base-KASLR relocation sites: uint32_t image offsets, sorted ascending.
 * With FGK_MAP_IMAGE_RELOCS the map has none, and the image's list is
 * read instead: u32 link addresses (truncated; image offset = address -
 * link_base, modulo 2^32), each kind sorted ascending, after a 0:
 *
 *   | 0 | ABS64 ... | 0 | INV32 ... | 0 | ABS32 ... |   (the whole list)
 */

#define FGK_MAP_ALIGN	8u

/*
 * The payload, stated once: these arrays in this order after the header,
 * each padded with zeros to a multiple of 8 bytes (the diagram at the
 * top). The runtime's reader, the writer and the dump take offsets and
 * sizes from here (fgk_map_array_bytes, fgk_map_array_offset); a test
 * holds the bench's Python reader (bench/size/mapfile.py) to this enum
 * and to the sizes below, array by array.
 */
enum fgk_map_array {
	FGK_MAP_REGIONS,
	FGK_MAP_UNITS,
	FGK_MAP_XREFS,
	FGK_MAP_TABLES,
	FGK_MAP_OVERRIDES,
	FGK_MAP_FIELD_UNITS,
	FGK_MAP_SYMTABS,
	FGK_MAP_SYM_TIES,
	FGK_MAP_RELOCS_ABS64,
	FGK_MAP_RELOCS_ABS32,
	FGK_MAP_RELOCS_INV32,
	FGK_MAP_NR_ARRAYS
};

/* Bytes of array `a` (below FGK_MAP_NR_ARRAYS) in the map with header h, padding not counted. */
static inline uint64_t fgk_map_array_bytes(const struct fgk_map_header *h, enum fgk_map_array a)
{
	const uint64_t bytes[FGK_MAP_NR_ARRAYS] = {
		[FGK_MAP_REGIONS] = (uint64_t)h->nr_regions * sizeof(struct fgk_region),
		[FGK_MAP_UNITS] = h->unit_bytes,
		[FGK_MAP_XREFS] = ((uint64_t)h->nr_xrefs + 1) / 2 + h->xref_bytes,
		[FGK_MAP_TABLES] = (uint64_t)h->nr_tables * sizeof(struct fgk_table),
		[FGK_MAP_OVERRIDES] = h->override_bytes,
		[FGK_MAP_FIELD_UNITS] = (uint64_t)h->nr_field_units * sizeof(uint32_t),
		[FGK_MAP_SYMTABS] = (uint64_t)h->nr_symtabs * sizeof(struct fgk_symtab),
		[FGK_MAP_SYM_TIES] = (uint64_t)h->nr_sym_ties * sizeof(struct fgk_sym_tie),
		[FGK_MAP_RELOCS_ABS64] = (uint64_t)h->nr_relocs[FGK_RELOC_ABS64] * sizeof(uint32_t),
		[FGK_MAP_RELOCS_ABS32] = (uint64_t)h->nr_relocs[FGK_RELOC_ABS32] * sizeof(uint32_t),
		[FGK_MAP_RELOCS_INV32] = (uint64_t)h->nr_relocs[FGK_RELOC_INV32] * sizeof(uint32_t),
	};

	return bytes[a];
}

/* The name of array `a` (below FGK_MAP_NR_ARRAYS), for dumps and messages (host code). */
static inline const char *fgk_map_array_name(enum fgk_map_array a)
{
	static const char *const names[FGK_MAP_NR_ARRAYS] = {
		[FGK_MAP_REGIONS] = "regions",
		[FGK_MAP_UNITS] = "units",
		[FGK_MAP_XREFS] = "xrefs",
		[FGK_MAP_TABLES] = "tables",
		[FGK_MAP_OVERRIDES] = "overrides",
		[FGK_MAP_FIELD_UNITS] = "field units",
		[FGK_MAP_SYMTABS] = "symtabs",
		[FGK_MAP_SYM_TIES] = "symtab ties",
		[FGK_MAP_RELOCS_ABS64] = "ABS64",
		[FGK_MAP_RELOCS_ABS32] = "ABS32",
		[FGK_MAP_RELOCS_INV32] = "INV32",
	};

	return names[a];
}

/* Where array `a` starts, in bytes from the start of the map. */
static inline uint64_t fgk_map_array_offset(const struct fgk_map_header *h, enum fgk_map_array a)
{
	uint64_t at = sizeof(*h);

	for (uint32_t i = 0; i < (uint32_t)a; i++)
		at += (fgk_map_array_bytes(h, (enum fgk_map_array)i) + 7) & ~7ull;
	return at;
}

/* The payload checksum: XXH64 (runtime/xxh64.c), for the reader and the writers. */
uint64_t fgk_xxh64(const void *data, uint64_t len, uint64_t seed);

#endif /* FGK_MAP_H */
