/* elfimg.h: load a linked ELF into the flat image an fgkaslr map describes (host tools). */
#ifndef FGK_ELFIMG_H
#define FGK_ELFIMG_H

#include <gelf.h>
#include <inttypes.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "host.h"

/*
 * The flat image is the PT_LOAD segments laid out by physical address:
 *   image offset = p_paddr - lowest p_paddr + (vaddr - p_vaddr)
 * with bss zero. That is how the decompressor places a kernel, so image
 * offsets here are the map's offsets. A zero-based per-CPU segment has
 * p_vaddr != link_base + its image offset; it does not move with the base.
 */

#define ELFIMG_NO_OFF UINT64_MAX

struct elfimg_seg {
	uint64_t vaddr, memsz, filesz, file_off;
	uint64_t img_off;		/* where the segment starts in the image */
};

struct elfimg_sym {
	const char *name;
	uint64_t value, size;
	uint64_t img_off;		/* ELFIMG_NO_OFF: not in a loaded section */
	uint32_t index;			/* in .symtab */
	uint16_t shndx;
	uint8_t type, bind;
};

struct elfimg {
	const char *path;
	Elf *elf;			/* parsed from `file` */
	GElf_Ehdr ehdr;			/* ET_EXEC or ET_DYN, ELF64 x86-64 */
	uint8_t *file;			/* the whole file */
	size_t file_size;
	mode_t mode;			/* its permission bits (an output copies them) */
	uint8_t *image;
	uint64_t size;
	uint64_t link_base;		/* address of image offset 0 */
	uint64_t align;			/* largest PT_LOAD p_align, at least 1 */
	struct elfimg_seg *segs;
	size_t nr_segs;
	uint64_t *sec_off;		/* per section index, or ELFIMG_NO_OFF */
	size_t nr_secs;
	struct elfimg_sym *syms;	/* by .symtab index, [0] is the null symbol */
	size_t nr_syms;
	size_t symtab_ndx;		/* 0: no .symtab */
};

/* Errors, allocation and output files: host.h (die, xcalloc, out_create, out_commit). */
/* A whole number (decimal, 0x hex, 0 octal) or die naming the option. */
uint64_t parse_u64(const char *what, const char *s);
int64_t parse_s64(const char *what, const char *s);

/*
 * Load and check: every header, PT_LOAD and section inside the file, image
 * offsets in 32 bits, at most 1 GiB; dies naming the file (and offset or
 * section) otherwise. No .symtab is not an error here (nr_syms 0).
 */
void elfimg_load(struct elfimg *img, const char *path);
void elfimg_free(struct elfimg *img);

/* The section header of section `ndx`, or die naming the file. */
void elfimg_shdr(const struct elfimg *img, size_t ndx, GElf_Shdr *shdr);
const char *elfimg_secname(const struct elfimg *img, size_t ndx);

/* Segment translation; NULL / ELFIMG_NO_OFF when outside every PT_LOAD. */
const struct elfimg_seg *elfimg_seg_of_off(const struct elfimg *img, uint64_t off);
uint64_t elfimg_addr(const struct elfimg *img, uint64_t off);
uint64_t elfimg_off(const struct elfimg *img, uint64_t addr);
/* File offset of image byte `off`, or ELFIMG_NO_OFF when it is bss. */
uint64_t elfimg_file_off(const struct elfimg *img, uint64_t off);
/* Whether the segment holding `off` is linked where it loads (moves with the base). */
int elfimg_follows_base(const struct elfimg *img, uint64_t off);

/* Little-endian reads and writes that tolerate misalignment. */
uint64_t get_le(const uint8_t *p, unsigned int bytes);
void put_le(uint8_t *p, unsigned int bytes, uint64_t v);

#endif /* FGK_ELFIMG_H */
