/* loader_image.c: read an e2e image ELF into flat bytes at link addresses, find its tables, read its map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"

#define PAGE 4096u

/*
 * The flat image is the PT_LOAD segments placed by physical address, bss
 * zero, as the decompressor places a kernel (and as fgk-mkmap numbers
 * image offsets): offset = p_paddr - lowest p_paddr.
 */
static void layout(struct image *img)
{
	const struct elf_file *elf = &img->elf;
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < elf->ehdr->e_phnum; i++) {
		const Elf64_Phdr *ph = &elf->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_vaddr != ph->p_paddr)
			die("%s: PT_LOAD %u has vaddr != paddr", elf->path, i);
		if (ph->p_paddr < lo) {
			lo = ph->p_paddr;
			img->link_base = ph->p_vaddr;
		}
		if (ph->p_paddr + ph->p_memsz > hi)
			hi = ph->p_paddr + ph->p_memsz;
	}
	if (hi <= lo)
		die("%s: no PT_LOAD segments", elf->path);
	img->size = (hi - lo + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static void copy_segments(struct image *img)
{
	const struct elf_file *elf = &img->elf;

	img->pristine = xcalloc(1, img->size);
	for (unsigned i = 0; i < elf->ehdr->e_phnum; i++) {
		const Elf64_Phdr *ph = &elf->phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_offset > elf->size || ph->p_filesz > elf->size - ph->p_offset ||
		    ph->p_filesz > ph->p_memsz)
			die("%s: PT_LOAD %u is outside the file", elf->path, i);
		memcpy(img->pristine + (ph->p_vaddr - img->link_base), elf->data + ph->p_offset,
		       ph->p_filesz);
	}
}

static uint64_t off_of(const struct image *img, const char *sym)
{
	uint64_t v = elf_need_symbol(&img->elf, sym);

	if (v < img->link_base || v - img->link_base > img->size)
		die("%s: %s at 0x%llx is outside the image", img->elf.path, sym, (unsigned long long)v);
	return v - img->link_base;
}

static uint64_t count_of(const struct image *img, const char *start, const char *stop,
			 uint64_t *off, uint64_t entry_size)
{
	uint64_t end = off_of(img, stop);

	*off = off_of(img, start);
	if (end < *off || (end - *off) % entry_size)
		die("%s: %s..%s is not a whole number of %llu-byte entries", img->elf.path, start,
		    stop, (unsigned long long)entry_size);
	return (end - *off) / entry_size;
}

static void find_tables(struct image *img)
{
	img->text = off_of(img, "_stext");
	img->text_end = off_of(img, "__alttext_end");
	img->alt = off_of(img, "__alttext_start");
	img->nr_entries = count_of(img, "__start_e2e_entries", "__stop_e2e_entries", &img->entries,
				   sizeof(struct e2e_entry));
	img->nr_extable = count_of(img, "__start___ex_table", "__stop___ex_table", &img->extable,
				   E2E_EX_SIZE);
	img->nr_mcount = count_of(img, "__start_mcount_loc", "__stop_mcount_loc", &img->mcount, 8);
	img->nr_orc = count_of(img, "__start_orc_unwind_ip", "__stop_orc_unwind_ip", &img->orc_ip, 4);
	if (count_of(img, "__start_orc_unwind", "__stop_orc_unwind", &img->orc, E2E_ORC_SIZE) !=
	    img->nr_orc)
		die("%s: ORC arrays differ in length", img->elf.path);
	img->nr_sites = count_of(img, "__start_e2e_sites", "__stop_e2e_sites", &img->sites, 4);
	img->nr_patchable = count_of(img, "__start_patchable", "__stop_patchable", &img->patchable, 8);
	img->ks_num = off_of(img, "kallsyms_num_syms");
	img->ks_offsets = off_of(img, "kallsyms_offsets");
	img->ks_names = off_of(img, "kallsyms_names");
	img->ks_markers = off_of(img, "kallsyms_markers");
	img->ks_seqs = off_of(img, "kallsyms_seqs_of_names");
	img->ks_base = off_of(img, "kallsyms_relative_base");
}

static void read_map(struct image *img, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0)
		die("%s: cannot open", path);
	rewind(f);
	img->map_size = (size_t)n;
	img->map_buf = xcalloc(1, img->map_size + 8);	/* +8: room to stay 8-aligned */
	if (fread(img->map_buf, 1, img->map_size, f) != img->map_size)
		die("%s: short read", path);
	fclose(f);
	/* A corrupted map keeps its unit count: this is enough for it too. */
	img->units_size = fgk_map_units_bytes(img->map_buf, img->map_size);
	img->units = xcalloc(1, img->units_size + 8);
}

int open_image_map(const struct image *img, struct fgk_map *map, const uint8_t *image)
{
	int err = fgk_map_open(map, img->map_buf, img->map_size, image, img->size, img->units,
			       img->units_size);

	return err ? err : fgk_map_check(map, image);
}

static const char *func_at(const struct image *img, uint64_t addr)
{
	const struct elf_file *elf = &img->elf;

	for (size_t i = 1; i < elf->nr_syms; i++)
		if (ELF64_ST_TYPE(elf->syms[i].st_info) == STT_FUNC && elf->syms[i].st_value == addr)
			return elf_sym_name(elf, &elf->syms[i]);
	die("%s: no function symbol at 0x%llx", elf->path, (unsigned long long)addr);
}

/* The link-time pointers of the entry table name the functions the loader calls. */
static void name_entries(struct image *img)
{
	img->entry_names = xcalloc(img->nr_entries, sizeof(*img->entry_names));
	for (uint64_t i = 0; i < img->nr_entries; i++) {
		const struct e2e_entry *e = (const void *)(img->pristine + img->entries + i * sizeof(*e));

		img->entry_names[i] = func_at(img, (uint64_t)(uintptr_t)e->fn);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct func_info *)a)->name, ((const struct func_info *)b)->name);
}

/* .text symbols by name, for checks that know a function only by its kallsyms name. */
static void index_funcs(struct image *img)
{
	const struct elf_file *elf = &img->elf;
	size_t text = elf_need_section(elf, ".text") - elf->shdrs;
	size_t alt = elf_need_section(elf, ".alttext") - elf->shdrs;

	img->funcs = xcalloc(elf->nr_syms, sizeof(*img->funcs));
	for (size_t i = 1; i < elf->nr_syms; i++) {
		const Elf64_Sym *sym = &elf->syms[i];

		int type = ELF64_ST_TYPE(sym->st_info);

		/* NOTYPE: linker-script markers (_stext, range ends), size 0. */
		if ((type == STT_FUNC || type == STT_NOTYPE) &&
		    (sym->st_shndx == text || sym->st_shndx == alt))
			img->funcs[img->nr_funcs++] = (struct func_info){
				elf_sym_name(elf, sym), sym->st_size, sym->st_value };
	}
	qsort(img->funcs, img->nr_funcs, sizeof(*img->funcs), by_name);
}

const struct func_info *image_func(const struct image *img, const char *name)
{
	struct func_info key = { .name = name };

	return bsearch(&key, img->funcs, img->nr_funcs, sizeof(key), by_name);
}

uint64_t ksyms_size(const struct image *img, const char *name)
{
	const struct func_info *f = image_func(img, name);

	return f ? f->size : E2E_NO_SIZE;
}

/* The map must describe this image; a run maps whatever it covers. */
static void check_map_header(struct image *img, const char *path)
{
	const struct fgk_map_header *h = (const void *)img->map_buf;

	if (img->map_size < sizeof(*h))
		die("%s: shorter than a map header", path);
	if (h->link_base != img->link_base)
		die("%s: map link_base 0x%llx, ELF 0x%llx", path,
		    (unsigned long long)h->link_base, (unsigned long long)img->link_base);
	if (h->image_size > img->size)
		img->size = (h->image_size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

void image_read(struct image *img, const char *elf_path, const char *map_path)
{
	memset(img, 0, sizeof(*img));
	elf_read(&img->elf, elf_path);
	img->pie = img->elf.ehdr->e_type == ET_DYN;
	layout(img);
	if (map_path) {
		read_map(img, map_path);
		check_map_header(img, map_path);
	}
	copy_segments(img);
	find_tables(img);
	name_entries(img);
	index_funcs(img);
}

void image_free(struct image *img)
{
	free(img->funcs);
	free(img->entry_names);
	free(img->map_buf);
	free(img->units);
	free(img->pristine);
	elf_free(&img->elf);
}
