/* elfimg.c: load a linked ELF into the flat image an fgkaslr map describes (host tools). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfimg.h"

static const char *parse_digits(const char *what, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '+' || (*s == '-' && !s[1]))
		die("bad %s '%s': not a number", what, s);
	errno = 0;
	return s;
}

uint64_t parse_u64(const char *what, const char *s)
{
	char *end;
	uint64_t v;

	s = parse_digits(what, s);
	if (*s == '-')
		die("bad %s '%s': negative", what, s);
	v = strtoull(s, &end, 0);
	if (*end)
		die("bad %s '%s': not a number", what, s);
	if (errno == ERANGE)
		die("bad %s '%s': out of range", what, s);
	return v;
}

int64_t parse_s64(const char *what, const char *s)
{
	char *end;
	long long v;

	s = parse_digits(what, s);
	v = strtoll(s, &end, 0);
	if (*end)
		die("bad %s '%s': not a number", what, s);
	if (errno == ERANGE)
		die("bad %s '%s': out of range", what, s);
	return v;
}

uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

void put_le(uint8_t *p, unsigned bytes, uint64_t v)
{
	for (unsigned i = 0; i < bytes; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

void elfimg_shdr(const struct elfimg *img, size_t ndx, GElf_Shdr *shdr)
{
	Elf_Scn *scn = elf_getscn(img->elf, ndx);

	if (!scn || !gelf_getshdr(scn, shdr))
		die("%s: section %zu: %s", img->path, ndx, elf_errmsg(-1));
}

const char *elfimg_secname(const struct elfimg *img, size_t ndx)
{
	GElf_Shdr shdr;
	size_t strndx;

	elfimg_shdr(img, ndx, &shdr);
	if (elf_getshdrstrndx(img->elf, &strndx))
		die("%s: no section name table: %s", img->path, elf_errmsg(-1));
	const char *name = elf_strptr(img->elf, strndx, shdr.sh_name);
	return name ? name : "?";
}

static void open_elf(struct elfimg *img, const char *path)
{
	memset(img, 0, sizeof(*img));
	img->path = path;
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf: %s", elf_errmsg(-1));
	img->fd = open(path, O_RDONLY);
	img->align = 1;
	if (img->fd < 0)
		die("%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(img->fd, &st) || !S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	if (!st.st_size)
		die("%s: empty file, not an ELF image", path);
	img->elf = elf_begin(img->fd, ELF_C_READ, NULL);
	if (!img->elf || elf_kind(img->elf) != ELF_K_ELF)
		die("%s: not an ELF file", path);
	if (!gelf_getehdr(img->elf, &img->ehdr))
		die("%s: bad ELF header: %s", path, elf_errmsg(-1));
	if (img->ehdr.e_ident[EI_CLASS] != ELFCLASS64 || img->ehdr.e_machine != EM_X86_64)
		die("%s: not an x86-64 ELF64 file", path);
}

/* Collect the PT_LOADs and place them by physical address. */
static void read_segments(struct elfimg *img)
{
	size_t n;
	uint64_t min_paddr = UINT64_MAX;

	if (elf_getphdrnum(img->elf, &n))
		die("%s: no program headers: %s", img->path, elf_errmsg(-1));
	img->segs = xcalloc(n, sizeof(*img->segs));
	uint64_t *paddr = xcalloc(n, sizeof(*paddr));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(img->elf, i, &ph))
			die("%s: program header %zu: %s", img->path, i, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_memsz > UINT32_MAX || ph.p_filesz > ph.p_memsz)
			die("%s: PT_LOAD at file offset %#lx: %#lx bytes in memory, %#lx in the file: "
			    "not an image of at most 4 GiB", img->path, (unsigned long)ph.p_offset,
			    (unsigned long)ph.p_memsz, (unsigned long)ph.p_filesz);
		struct elfimg_seg *s = &img->segs[img->nr_segs];
		*s = (struct elfimg_seg){ ph.p_vaddr, ph.p_memsz, ph.p_filesz, ph.p_offset, 0 };
		paddr[img->nr_segs++] = ph.p_paddr;
		if (ph.p_paddr < min_paddr)
			min_paddr = ph.p_paddr;
		if (ph.p_align > img->align)
			img->align = ph.p_align;
	}
	if (!img->nr_segs)
		die("%s: no PT_LOAD segment", img->path);
	for (size_t i = 0; i < img->nr_segs; i++) {
		struct elfimg_seg *s = &img->segs[i];
		s->img_off = paddr[i] - min_paddr;
		if (s->img_off > UINT32_MAX)
			die("%s: PT_LOAD at file offset %#lx lies %#lx bytes into the image: offsets must fit in 32 bits",
			    img->path, (unsigned long)s->file_off, (unsigned long)s->img_off);
		if (s->img_off + s->memsz > img->size)
			img->size = s->img_off + s->memsz;
		if (s->img_off == 0)
			img->link_base = s->vaddr;
	}
	free(paddr);
}

static void read_image(struct elfimg *img)
{
	img->image = xcalloc(img->size, 1);
	for (size_t i = 0; i < img->nr_segs; i++) {
		const struct elfimg_seg *s = &img->segs[i];
		if (s->filesz > s->memsz)
			die("%s: PT_LOAD at file offset %#lx: filesz > memsz", img->path, s->file_off);
		ssize_t got = pread(img->fd, img->image + s->img_off, s->filesz, s->file_off);
		if (got != (ssize_t)s->filesz)
			die("%s: short read of PT_LOAD at file offset %#lx", img->path, s->file_off);
	}
}

/* The segment that holds an allocated section, by address and file offset. */
static const struct elfimg_seg *seg_of_section(const struct elfimg *img, const GElf_Shdr *sh)
{
	for (size_t i = 0; i < img->nr_segs; i++) {
		const struct elfimg_seg *s = &img->segs[i];
		if (sh->sh_addr < s->vaddr || sh->sh_addr + sh->sh_size > s->vaddr + s->memsz)
			continue;
		if (sh->sh_type != SHT_NOBITS && sh->sh_size &&
		    (sh->sh_offset < s->file_off || sh->sh_offset >= s->file_off + s->filesz))
			continue;
		return s;
	}
	return NULL;
}

static void place_sections(struct elfimg *img)
{
	if (elf_getshdrnum(img->elf, &img->nr_secs))
		die("%s: no section headers: %s", img->path, elf_errmsg(-1));
	img->sec_off = xcalloc(img->nr_secs, sizeof(*img->sec_off));
	for (size_t i = 0; i < img->nr_secs; i++) {
		GElf_Shdr sh;
		elfimg_shdr(img, i, &sh);
		img->sec_off[i] = ELFIMG_NO_OFF;
		if (sh.sh_type == SHT_SYMTAB)
			img->symtab_ndx = i;
		if (!(sh.sh_flags & SHF_ALLOC) || (sh.sh_flags & SHF_TLS && sh.sh_type == SHT_NOBITS))
			continue;
		const struct elfimg_seg *s = seg_of_section(img, &sh);
		if (s)
			img->sec_off[i] = s->img_off + (sh.sh_addr - s->vaddr);
	}
}

static void read_symbols(struct elfimg *img)
{
	GElf_Shdr sh;

	if (!img->symtab_ndx)
		return;
	elfimg_shdr(img, img->symtab_ndx, &sh);
	Elf_Data *d = elf_getdata(elf_getscn(img->elf, img->symtab_ndx), NULL);
	if (!d || !sh.sh_entsize)
		die("%s: unreadable .symtab", img->path);
	img->nr_syms = sh.sh_size / sh.sh_entsize;
	img->syms = xcalloc(img->nr_syms, sizeof(*img->syms));
	for (size_t i = 0; i < img->nr_syms; i++) {
		GElf_Sym s;
		struct elfimg_sym *o = &img->syms[i];
		if (!gelf_getsym(d, i, &s))
			die("%s: .symtab entry %zu: %s", img->path, i, elf_errmsg(-1));
		const char *name = elf_strptr(img->elf, sh.sh_link, s.st_name);
		*o = (struct elfimg_sym){ name ? name : "", s.st_value, s.st_size, ELFIMG_NO_OFF,
					  i, s.st_shndx, GELF_ST_TYPE(s.st_info),
					  GELF_ST_BIND(s.st_info) };
		if (s.st_shndx != SHN_UNDEF && s.st_shndx < SHN_LORESERVE &&
		    s.st_shndx < img->nr_secs && img->sec_off[s.st_shndx] != ELFIMG_NO_OFF) {
			elfimg_shdr(img, s.st_shndx, &sh);
			o->img_off = img->sec_off[s.st_shndx] + (s.st_value - sh.sh_addr);
			elfimg_shdr(img, img->symtab_ndx, &sh);
		}
	}
}

void elfimg_load(struct elfimg *img, const char *path)
{
	open_elf(img, path);
	read_segments(img);
	read_image(img);
	place_sections(img);
	read_symbols(img);
}

void elfimg_free(struct elfimg *img)
{
	elf_end(img->elf);
	close(img->fd);
	free(img->image);
	free(img->segs);
	free(img->sec_off);
	free(img->syms);
	memset(img, 0, sizeof(*img));
}

const struct elfimg_seg *elfimg_seg_of_off(const struct elfimg *img, uint64_t off)
{
	for (size_t i = 0; i < img->nr_segs; i++) {
		const struct elfimg_seg *s = &img->segs[i];
		if (off >= s->img_off && off < s->img_off + s->memsz)
			return s;
	}
	return NULL;
}

uint64_t elfimg_addr(const struct elfimg *img, uint64_t off)
{
	const struct elfimg_seg *s = elfimg_seg_of_off(img, off);

	/* One past the end of the image still has an address (end symbols). */
	if (!s && off && (s = elfimg_seg_of_off(img, off - 1)) == NULL)
		return img->link_base + off;
	return s ? s->vaddr + (off - s->img_off) : img->link_base + off;
}

uint64_t elfimg_off(const struct elfimg *img, uint64_t addr)
{
	/* Inside a segment first; then one past a segment's end (end symbols). */
	for (int past_end = 0; past_end <= 1; past_end++) {
		for (size_t i = 0; i < img->nr_segs; i++) {
			const struct elfimg_seg *s = &img->segs[i];
			if (addr >= s->vaddr && addr - s->vaddr < s->memsz + past_end)
				return s->img_off + (addr - s->vaddr);
		}
	}
	return ELFIMG_NO_OFF;
}

uint64_t elfimg_file_off(const struct elfimg *img, uint64_t off)
{
	const struct elfimg_seg *s = elfimg_seg_of_off(img, off);

	if (!s || off - s->img_off >= s->filesz)
		return ELFIMG_NO_OFF;
	return s->file_off + (off - s->img_off);
}

int elfimg_follows_base(const struct elfimg *img, uint64_t off)
{
	const struct elfimg_seg *s = elfimg_seg_of_off(img, off);

	return !s || s->vaddr == img->link_base + s->img_off;
}
