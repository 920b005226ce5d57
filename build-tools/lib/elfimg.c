/* elfimg.c: the host tools' one ELF loader: a linked ELF checked and laid out as a flat image. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

void put_le(uint8_t *p, unsigned int bytes, uint64_t v)
{
	for (unsigned int i = 0; i < bytes; i++, v >>= 8)
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

#define MAX_IMAGE_SIZE	(1ull << 30)

/* The whole file: libelf parses it from memory, the image is copied from it. */
static void read_whole(struct elfimg *img, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		die_at(path, NULL, NOPOS, NULL, "cannot open: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		die_at(path, NULL, NOPOS, NULL, "not a regular file");
	if (!st.st_size)
		die_at(path, NULL, NOPOS, NULL, "empty file, not an ELF image");
	img->mode = st.st_mode & 0777;
	img->file = read_whole_file(path, &img->file_size);
}

static void check_ehdr(struct elfimg *img)
{
	const char *p = img->path;
	GElf_Ehdr *eh = &img->ehdr;
	bool magic = img->file_size >= SELFMAG && !memcmp(img->file, ELFMAG, SELFMAG);

	if (elf_kind(img->elf) != ELF_K_ELF)
		die_at(p, NULL, NOPOS, NULL, magic ? "truncated or corrupt ELF file" : "not an ELF file");
	if (img->file_size < sizeof(Elf64_Ehdr) || !gelf_getehdr(img->elf, eh))
		die_at(p, NULL, NOPOS, NULL, "truncated or bad ELF header: %s", elf_errmsg(-1));
	if (gelf_getclass(img->elf) != ELFCLASS64 || eh->e_machine != EM_X86_64)
		die_at(p, NULL, NOPOS, NULL, "not an ELF64 x86-64 image (class %d, machine %d)",
		       gelf_getclass(img->elf), eh->e_machine);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		die_at(p, NULL, NOPOS, NULL, "not little-endian");
	if (eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize > img->file_size ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize > img->file_size)
		die_at(p, NULL, NOPOS, NULL,
		       "truncated: the program or section headers lie beyond the end of the file");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		die_at(p, NULL, NOPOS, NULL, "not a linked image (e_type %d): need ET_EXEC or ET_DYN",
		       eh->e_type);
}

/* One PT_LOAD, checked against the file and the 32-bit image offsets. */
static void add_segment(struct elfimg *img, size_t i, const GElf_Phdr *ph, uint64_t min_pa)
{
	/* written so that no sum can wrap */
	if (ph->p_filesz > img->file_size || ph->p_offset > img->file_size - ph->p_filesz ||
	    ph->p_filesz > ph->p_memsz)
		die_at(img->path, NULL, ph->p_offset, NULL,
		       "PT_LOAD %zu lies beyond the end of the file (truncated?)", i);
	if (ph->p_memsz > UINT32_MAX || ph->p_paddr - min_pa > UINT32_MAX)
		die_at(img->path, NULL, ph->p_offset, NULL,
		       "PT_LOAD %zu: 0x%llx bytes at image offset 0x%llx: offsets must fit in 32 bits",
		       i, (unsigned long long)ph->p_memsz, (unsigned long long)(ph->p_paddr - min_pa));

	struct elfimg_seg *s = &img->segs[img->nr_segs++];

	*s = (struct elfimg_seg){ ph->p_vaddr, ph->p_memsz, ph->p_filesz, ph->p_offset,
				  ph->p_paddr - min_pa };
	if (s->img_off == 0)
		img->link_base = s->vaddr;
	if (s->img_off + s->memsz > img->size)
		img->size = s->img_off + s->memsz;
	if (ph->p_align > img->align)
		img->align = ph->p_align;
}

/* Collect the PT_LOADs and place them by physical address. */
static void read_segments(struct elfimg *img)
{
	size_t n;
	uint64_t min_pa = UINT64_MAX;

	if (elf_getphdrnum(img->elf, &n))
		die_at(img->path, NULL, NOPOS, NULL, "bad program headers: %s", elf_errmsg(-1));
	img->segs = xcalloc(n, sizeof(*img->segs));
	GElf_Phdr *ph = xcalloc(n, sizeof(*ph));

	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(img->elf, i, &ph[i]))
			die_at(img->path, NULL, NOPOS, NULL, "truncated program header %zu", i);
		if (ph[i].p_type == PT_LOAD && ph[i].p_paddr < min_pa)
			min_pa = ph[i].p_paddr;
	}
	for (size_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			add_segment(img, i, &ph[i], min_pa);
	free(ph);
	if (!img->nr_segs)
		die_at(img->path, NULL, NOPOS, NULL, "no PT_LOAD segment");
	/* The image is loaded whole into memory: no more than a kernel can be. */
	if (img->size > MAX_IMAGE_SIZE)
		die_at(img->path, NULL, NOPOS, NULL,
		       "image of 0x%llx bytes: larger than 1 GiB, the most an x86-64 kernel "
		       "can be (KERNEL_IMAGE_SIZE)", (unsigned long long)img->size);
}

static void read_image(struct elfimg *img)
{
	img->image = xcalloc(img->size, 1);
	for (size_t i = 0; i < img->nr_segs; i++) {
		const struct elfimg_seg *s = &img->segs[i];

		memcpy(img->image + s->img_off, img->file + s->file_off, s->filesz);
	}
}

/* The segment that holds an allocated section: by address, and by file offset if it has bytes. */
static const struct elfimg_seg *seg_of_section(const struct elfimg *img, const GElf_Shdr *sh)
{
	for (size_t i = 0; i < img->nr_segs; i++) {
		const struct elfimg_seg *s = &img->segs[i];

		/* written so that no sum can wrap */
		if (sh->sh_addr < s->vaddr || sh->sh_addr - s->vaddr > s->memsz ||
		    sh->sh_size > s->memsz - (sh->sh_addr - s->vaddr))
			continue;
		if (sh->sh_type != SHT_NOBITS && sh->sh_size &&
		    sh->sh_offset - s->file_off != sh->sh_addr - s->vaddr)
			continue;
		return s;
	}
	return NULL;
}

static void place_sections(struct elfimg *img)
{
	size_t shstrndx;

	if (elf_getshdrnum(img->elf, &img->nr_secs) || elf_getshdrstrndx(img->elf, &shstrndx))
		die_at(img->path, NULL, NOPOS, NULL, "bad section headers: %s", elf_errmsg(-1));
	img->sec_off = xcalloc(img->nr_secs, sizeof(*img->sec_off));
	for (size_t i = 0; i < img->nr_secs; i++) {
		GElf_Shdr sh;

		img->sec_off[i] = ELFIMG_NO_OFF;
		if (!i)
			continue;
		Elf_Scn *scn = elf_getscn(img->elf, i);

		if (!scn || !gelf_getshdr(scn, &sh))
			die_at(img->path, NULL, NOPOS, NULL, "truncated section header %zu", i);
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_size > img->file_size || sh.sh_offset > img->file_size - sh.sh_size))
			die_at(img->path, elfimg_secname(img, i), NOPOS, NULL,
			       "section lies beyond the end of the file (truncated?)");
		if (sh.sh_type == SHT_SYMTAB && !img->symtab_ndx)
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
	/* The tools copy and rewrite it as an array of Elf64_Sym: nothing else will do. */
	if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym))
		die_at(img->path, elfimg_secname(img, img->symtab_ndx), NOPOS, NULL,
		       "entries of %llu bytes, %llu bytes in all: not an array of Elf64_Sym",
		       (unsigned long long)sh.sh_entsize, (unsigned long long)sh.sh_size);
	Elf_Data *d = elf_getdata(elf_getscn(img->elf, img->symtab_ndx), NULL);

	if (!d)
		die_at(img->path, elfimg_secname(img, img->symtab_ndx), NOPOS, NULL,
		       "cannot read: %s", elf_errmsg(-1));
	img->nr_syms = sh.sh_size / sizeof(Elf64_Sym);
	img->syms = xcalloc(img->nr_syms, sizeof(*img->syms));
	for (size_t i = 0; i < img->nr_syms; i++) {
		GElf_Sym s;
		struct elfimg_sym *o = &img->syms[i];

		if (!gelf_getsym(d, i, &s))
			die_at(img->path, elfimg_secname(img, img->symtab_ndx), i * sizeof(Elf64_Sym),
			       NULL, "bad symbol %zu", i);
		const char *name = elf_strptr(img->elf, sh.sh_link, s.st_name);
		*o = (struct elfimg_sym){ name ? name : "", s.st_value, s.st_size, ELFIMG_NO_OFF,
					  i, s.st_shndx, GELF_ST_TYPE(s.st_info),
					  GELF_ST_BIND(s.st_info) };
		if (s.st_shndx != SHN_UNDEF && s.st_shndx < SHN_LORESERVE &&
		    s.st_shndx < img->nr_secs && img->sec_off[s.st_shndx] != ELFIMG_NO_OFF) {
			GElf_Shdr ss;

			elfimg_shdr(img, s.st_shndx, &ss);
			o->img_off = img->sec_off[s.st_shndx] + (s.st_value - ss.sh_addr);
		}
	}
}

void elfimg_load(struct elfimg *img, const char *path)
{
	memset(img, 0, sizeof(*img));
	img->path = path;
	img->align = 1;
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf: %s", elf_errmsg(-1));
	read_whole(img, path);
	img->elf = elf_memory((char *)img->file, img->file_size);
	if (!img->elf)
		die_at(path, NULL, NOPOS, NULL, "not an ELF file: %s", elf_errmsg(-1));
	check_ehdr(img);
	read_segments(img);
	place_sections(img);
	read_symbols(img);
	read_image(img);
}

void elfimg_free(struct elfimg *img)
{
	if (img->elf)
		elf_end(img->elf);
	free(img->file);
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
	if (!s && off)
		s = elfimg_seg_of_off(img, off - 1);
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
