/* loader.h: e2e-loader: load an e2e image at a new base, shuffle it with the runtime, run and check it. */
#ifndef E2E_LOADER_H
#define E2E_LOADER_H

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "fgk.h"
#include "elf_file.h"

/* The image as linked, read once: flat bytes at link addresses, never run. */
struct image {
	struct elf_file elf;
	int pie;
	uint64_t link_base;		/* address of image offset 0 */
	uint64_t size;			/* bytes a run maps (covers the map's image_size) */
	uint8_t *pristine;
	uint8_t *map_buf;		/* the .fgkmap file, possibly corrupted by a test */
	size_t map_size;
	void *units;			/* its decoded units (fgk_map_open) */
	uint64_t units_size;
	/* Image offsets of what the checks read. */
	uint64_t text, text_end;	/* both regions: _stext .. __alttext_end (slack included) */
	uint64_t alt;			/* the second region starts here (.alttext) */
	uint64_t entries, nr_entries;
	uint64_t extable, nr_extable;
	uint64_t mcount, nr_mcount;
	uint64_t orc_ip, orc, nr_orc;
	uint64_t sites, nr_sites;	/* .e2e_sites */
	uint64_t patchable, nr_patchable;	/* __patchable_function_entries */
	uint64_t ks_num, ks_offsets, ks_names, ks_markers, ks_seqs, ks_base;
	const char **entry_names;	/* function symbol of each entry, by link address */
	struct func_info *funcs;	/* .text functions and markers by name */
	size_t nr_funcs;
};

struct func_info {
	const char *name;
	uint64_t size;
	uint64_t link;			/* link-time address */
};

const struct func_info *image_func(const struct image *img, const char *name);	/* or NULL */

void image_read(struct image *img, const char *elf_path, const char *map_path);	/* map: or NULL */
void image_free(struct image *img);

/* One loaded copy of the image at `base` (RWX, its own mapping). */
struct run {
	const struct image *img;
	uint8_t *base;
	int64_t delta;			/* base - link_base */
	struct fgk_stats stats;
};

/* Map a copy at `want` (0: anywhere 2 MiB aligned); relocate with the ELF's own relocations. */
int run_map(struct run *run, const struct image *img, uint64_t want);
void run_relocate_golden(struct run *run);
/* fgk_map_open + fgk_map_check + fgk_shuffle; returns the runtime's error code. */
int run_shuffle(struct run *run, uint64_t seed, uint32_t flags);
void run_unmap(struct run *run);
uint64_t run_hash(const struct run *run);

static inline uint8_t *run_at(const struct run *run, uint64_t off)
{
	return run->base + off;
}

/* Failures found by the checks; messages are printed up to a limit. */
struct checker {
	const char *what;		/* e.g. "exec seed 7" */
	int quiet;
	unsigned failures;
};

void check_fail(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Known gaps: failures of checks that found a bug in another component,
 * reported there and not fixed yet. Each gap has an id; its failures are
 * counted and summed up once at the end (XFAIL), and are fatal only with
 * --strict (e2e_strict), so that `make check` guards everything else
 * meanwhile. A known gap must still match its exact symptom; anything else
 * is an ordinary failure.
 */
enum known_gap {
	GAP_FIXED_END_XREF,	/* fgk-mkmap: xref to a fixed range's end marker follows the next unit */
	GAP_MARKER_OWNER,	/* fgk-mkmap: kallsyms marker at a unit's start moves with that unit */
	NR_GAPS
};

extern int e2e_strict;
void known_gap(struct checker *c, enum known_gap gap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void report_known_gaps(void);
#define CHECK(c, cond, ...) do { if (!(cond)) check_fail((c), __VA_ARGS__); } while (0)

/* Calling into the image: faults inside it are recovered through its __ex_table or reported. */
void fault_init(void);
void fault_use_extable(const struct run *run);	/* NULL: none */
unsigned fault_fixups(void);

/* Everything a run computes; a shuffled run must agree with the golden one. */
struct observed {
	uint64_t *results;		/* nr_entries * E2E_NR_INPUTS */
	char **ks_names;		/* kallsyms names in name order */
	size_t nr_syms;
	char **mcount_funcs;		/* sorted names of __mcount_loc's functions */
	char **extable_sites;		/* sorted "func+off data fixup" descriptions */
	char **marks;			/* sorted "func+off" of the .e2e_sites nops */
	char **padded;			/* sorted functions after call padding */
	char **orc_ends;		/* sorted "func:what ORC finds one past its end" */
	uint64_t order_hash;		/* of kallsyms names in address order */
	unsigned faults;		/* recovered by the image's __ex_table */
};

#define E2E_NR_INPUTS 20

void observe_calls(const struct run *run, struct checker *c, struct observed *obs);
void observe_kallsyms(const struct run *run, struct checker *c, struct observed *obs);
struct ksyms;
void check_ranges(const struct run *run, struct checker *c, const struct ksyms *ks);
void observe_tables(const struct run *run, struct checker *c, struct observed *obs);
struct ksyms;
void observe_orc(const struct run *run, struct checker *c, const struct ksyms *ks,
		 struct observed *obs);
void compare_observed(struct checker *c, const struct observed *want, const struct observed *got,
		      const struct image *img);
void observed_free(struct observed *obs, const struct image *img);

/* Shared by the table checks. */
static inline uint64_t rel_addr(const uint8_t *field)	/* a self-relative s32's target */
{
	int32_t rel;

	memcpy(&rel, field, 4);
	return (uint64_t)(uintptr_t)field + (int64_t)rel;
}

int by_str(const void *a, const void *b);	/* qsort of char * */

/* kallsyms lookups on a run, as kernel/kallsyms.c does them. */
struct ksyms {
	uint32_t n;
	uint64_t *addr;			/* in address order */
	const char **name;		/* NUL-terminated copies, type letter dropped */
	const uint8_t *seqs;
};

int ksyms_read(const struct run *run, struct checker *c, struct ksyms *ks);
void ksyms_free(struct ksyms *ks);
int64_t ksyms_lookup_name(const struct ksyms *ks, const char *name);	/* index, or -1 */
int64_t ksyms_lookup_addr(const struct ksyms *ks, uint64_t addr);	/* index, or -1 */
/* As ksyms_lookup_addr, but past markers (size 0) to a function at the same address. */
int64_t ksyms_func_at(const struct ksyms *ks, const struct image *img, uint64_t addr);
#define E2E_NO_SIZE UINT64_MAX
uint64_t ksyms_size(const struct image *img, const char *name);	/* ELF st_size, or E2E_NO_SIZE */

/* The kinds of run (loader_kinds.c): golden, unshuffled, shuffled with one seed. */
uint64_t base_for(const struct image *img, unsigned n);	/* 0: anywhere */
uint64_t golden(const struct image *img, struct observed *obs, uint64_t *hash);	/* its base */
unsigned unshuffled(const struct image *img, const struct observed *want, uint64_t base,
		    uint64_t golden_hash);

struct seed_result {
	uint64_t base;
	uint64_t order_hash, image_hash;
	uint32_t units, moved;
	int err;			/* from the runtime */
	unsigned failures;		/* including err */
};

unsigned out_of_reach(const struct image *img);	/* ET_EXEC only */
struct seed_result shuffled(const struct image *img, const struct observed *want, uint64_t seed,
			    uint64_t base, int quiet);

int golden_mode(const struct image *img);
int seeds_mode(const struct image *img, unsigned seeds);
int corrupt_mode(struct image *img, unsigned count);

/* Map corruption for the tests that prove the checks can fail. */
/* fgk_map_open and fgk_map_check of img's map, its units in img->units. */
int open_image_map(const struct image *img, struct fgk_map *map, const uint8_t *image);
unsigned corrupt_xref(struct image *img, unsigned t);		/* returns the xref changed */
unsigned corrupt_override(struct image *img, unsigned t);	/* returns the override changed */

#endif /* E2E_LOADER_H */
