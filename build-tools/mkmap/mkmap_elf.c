/* mkmap_elf.c: read the input image: ELF checks, segments, sections, symbols and the loaded bytes. */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkmap.h"

/*
 * Image offsets. The runtime sees the image as loaded: each PT_LOAD at
 * its physical address, offset 0 being the lowest one.
 *
 *   offset(vaddr) = p_paddr(seg) - min p_paddr + (vaddr - p_vaddr(seg))
 *
 * For ordinary ELFs p_paddr == p_vaddr; the kernel's per-CPU segment is
 * linked at vaddr 0 but loaded in line with the rest (and so the per-CPU
 * symbols' values are small numbers, not kernel addresses).
 */

#define MAX_IMAGE_SIZE	(1ull << 30)

static void read_whole(struct mk_image *img, const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		die_at(path, NULL, NOPOS, NULL, "cannot open: %m");
	img->file_size = st.st_size;
	img->file = xcalloc(1, img->file_size);
	size_t got = 0;
	while (got < img->file_size) {
		ssize_t n = read(fd, img->file + got, img->file_size - got);
		if (n <= 0)
			die_at(path, NULL, NOPOS, NULL, "read error: %m");
		got += n;
	}
	close(fd);
}

static void check_ehdr(struct mk_image *img, Elf *elf, GElf_Ehdr *eh)
{
	const char *p = img->path;

	bool magic = img->file_size >= SELFMAG && !memcmp(img->file, ELFMAG, SELFMAG);

	if (elf_kind(elf) != ELF_K_ELF)
		die_at(p, NULL, NOPOS, NULL, magic ? "truncated or corrupt ELF file"
					: "not an ELF file");
	if (img->file_size < sizeof(Elf64_Ehdr) || !gelf_getehdr(elf, eh))
		die_at(p, NULL, NOPOS, NULL, "truncated or bad ELF header: %s",
		       elf_errmsg(-1));
	if (gelf_getclass(elf) != ELFCLASS64 || eh->e_machine != EM_X86_64)
		die_at(p, NULL, NOPOS, NULL,
		       "not an ELF64 x86-64 image (class %d, machine %d)",
		       gelf_getclass(elf), eh->e_machine);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		die_at(p, NULL, NOPOS, NULL, "not little-endian");
	if (eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize > img->file_size ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize > img->file_size)
		die_at(p, NULL, NOPOS, NULL,
		       "truncated: the program or section headers lie beyond the end of the file");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		die_at(p, NULL, NOPOS, NULL,
		       "not a linked image (e_type %d): need ET_EXEC or ET_DYN",
		       eh->e_type);
	img->type = eh->e_type;
}

static void read_segs(struct mk_image *img, Elf *elf)
{
	size_t n;
	uint64_t min_pa = UINT64_MAX;

	if (elf_getphdrnum(elf, &n))
		die_at(img->path, NULL, NOPOS, NULL, "bad program headers: %s",
		       elf_errmsg(-1));
	img->segs = xcalloc(n, sizeof(*img->segs));
	GElf_Phdr *ph = xcalloc(n, sizeof(*ph));
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph[i]))
			die_at(img->path, NULL, NOPOS, NULL,
			       "truncated program header %zu", i);
		if (ph[i].p_type == PT_LOAD && ph[i].p_paddr < min_pa)
			min_pa = ph[i].p_paddr;
	}
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		/* written so that no sum can wrap: the image is at most 4 GiB */
		if (ph[i].p_filesz > img->file_size || ph[i].p_offset > img->file_size - ph[i].p_filesz ||
		    ph[i].p_filesz > ph[i].p_memsz)
			die_at(img->path, NULL, ph[i].p_offset, NULL,
			       "PT_LOAD %zu lies beyond the end of the file (truncated?)", i);
		if (ph[i].p_memsz > UINT32_MAX || ph[i].p_paddr - min_pa > UINT32_MAX)
			die_at(img->path, NULL, ph[i].p_offset, NULL,
			       "PT_LOAD %zu: 0x%llx bytes at image offset 0x%llx: offsets must fit in 32 bits",
			       i, (unsigned long long)ph[i].p_memsz,
			       (unsigned long long)(ph[i].p_paddr - min_pa));
		struct mk_seg *s = &img->segs[img->nsegs++];
		*s = (struct mk_seg){ ph[i].p_vaddr, ph[i].p_memsz,
				      ph[i].p_filesz, ph[i].p_offset,
				      ph[i].p_paddr - min_pa };
		if (s->img == 0)
			img->link_base = s->vaddr;
		if (s->img + s->memsz > img->image_size)
			img->image_size = s->img + s->memsz;
	}
	free(ph);
	if (!img->nsegs)
		die_at(img->path, NULL, NOPOS, NULL, "no PT_LOAD segment");
	/* The image is loaded whole into memory: no more than a kernel can be. */
	if (img->image_size > MAX_IMAGE_SIZE)
		die_at(img->path, NULL, NOPOS, NULL,
		       "image of 0x%llx bytes: larger than 1 GiB, the most an x86-64 kernel "
		       "can be (KERNEL_IMAGE_SIZE)", (unsigned long long)img->image_size);
}

static void load_mem(struct mk_image *img)
{
	img->mem = xcalloc(1, img->image_size);
	for (size_t i = 0; i < img->nsegs; i++) {
		const struct mk_seg *s = &img->segs[i];
		memcpy(img->mem + s->img, img->file + s->foff, s->filesz);
	}
}

/* The segment holding the section: by address, and by file offset if it has bytes. */
static const struct mk_seg *seg_of_sec(const struct mk_image *img, const GElf_Shdr *sh)
{
	for (size_t i = 0; i < img->nsegs; i++) {
		const struct mk_seg *s = &img->segs[i];
		if (sh->sh_addr < s->vaddr || sh->sh_addr + sh->sh_size > s->vaddr + s->memsz)
			continue;
		if (sh->sh_type != SHT_NOBITS && sh->sh_size &&
		    sh->sh_offset - s->foff != sh->sh_addr - s->vaddr)
			continue;
		return s;
	}
	return NULL;
}

static void read_secs(struct mk_image *img, Elf *elf)
{
	size_t n, shstrndx;

	if (elf_getshdrnum(elf, &n) || elf_getshdrstrndx(elf, &shstrndx))
		die_at(img->path, NULL, NOPOS, NULL, "bad section headers: %s",
		       elf_errmsg(-1));
	img->secs = xcalloc(n, sizeof(*img->secs));
	img->nsecs = n;
	for (size_t i = 1; i < n; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn = elf_getscn(elf, i);
		if (!scn || !gelf_getshdr(scn, &sh))
			die_at(img->path, NULL, NOPOS, NULL,
			       "truncated section header %zu", i);
		struct mk_sec *s = &img->secs[i];
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		s->name = name ? name : "?";
		s->addr = sh.sh_addr, s->size = sh.sh_size, s->align = sh.sh_addralign;
		s->flags = sh.sh_flags, s->foff = sh.sh_offset, s->entsize = sh.sh_entsize;
		s->type = sh.sh_type, s->link = sh.sh_link, s->info = sh.sh_info;
		if (sh.sh_type != SHT_NOBITS && sh.sh_offset + sh.sh_size > img->file_size)
			die_at(img->path, s->name, NOPOS, NULL,
			       "section lies beyond the end of the file (truncated?)");
		bool tbss = (sh.sh_flags & SHF_TLS) && sh.sh_type == SHT_NOBITS;
		const struct mk_seg *seg = seg_of_sec(img, &sh);
		if ((sh.sh_flags & SHF_ALLOC) && !tbss && seg) {
			s->loaded = true;
			s->img = seg->img + (sh.sh_addr - seg->vaddr);
		}
	}
}

static void read_syms(struct mk_image *img, Elf *elf)
{
	for (size_t i = 1; i < img->nsecs; i++) {
		if (img->secs[i].type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(elf_getscn(elf, i), NULL);
		size_t n = img->secs[i].entsize ? img->secs[i].size / img->secs[i].entsize : 0;
		if (!d)
			die_at(img->path, img->secs[i].name, NOPOS, NULL,
			       "cannot read: %s", elf_errmsg(-1));
		img->syms = xcalloc(n, sizeof(*img->syms));
		img->nsyms = n;
		for (size_t j = 0; j < n; j++) {
			GElf_Sym gs;
			if (!gelf_getsym(d, j, &gs))
				die_at(img->path, img->secs[i].name, j * 24, NULL,
				       "bad symbol %zu", j);
			const char *nm = elf_strptr(elf, img->secs[i].link, gs.st_name);
			img->syms[j] = (struct mk_sym){ nm ? nm : "", gs.st_value,
				gs.st_size, gs.st_shndx, GELF_ST_TYPE(gs.st_info),
				GELF_ST_BIND(gs.st_info) };
		}
		return;
	}
	die_at(img->path, NULL, NOPOS, NULL, "no .symtab (was the image stripped?)");
}

void image_read(struct mk_image *img, const char *path)
{
	GElf_Ehdr eh;

	memset(img, 0, sizeof(*img));
	img->path = path;
	read_whole(img, path);
	elf_version(EV_CURRENT);
	Elf *elf = elf_memory((char *)img->file, img->file_size);
	if (!elf)
		die_at(path, NULL, NOPOS, NULL, "not an ELF file: %s", elf_errmsg(-1));
	img->elf = elf;
	check_ehdr(img, elf, &eh);
	read_segs(img, elf);
	read_secs(img, elf);
	read_syms(img, elf);
	load_mem(img);
}

void image_free(struct mk_image *img)
{
	if (img->elf)
		elf_end(img->elf);
	free(img->file);
	free(img->secs);
	free(img->segs);
	free(img->syms);
	free(img->mem);
}

/* One past a segment's end counts as inside it (end symbols), unless another starts there. */
bool vaddr_to_off(const struct mk_image *img, uint64_t vaddr, uint64_t *off)
{
	const struct mk_seg *end_of = NULL;

	for (size_t i = 0; i < img->nsegs; i++) {
		const struct mk_seg *s = &img->segs[i];
		if (vaddr >= s->vaddr && vaddr - s->vaddr < s->memsz) {
			*off = s->img + (vaddr - s->vaddr);
			return true;
		}
		if (vaddr == s->vaddr + s->memsz)
			end_of = s;
	}
	if (!end_of)
		return false;
	*off = end_of->img + end_of->memsz;
	return true;
}

bool off_to_vaddr(const struct mk_image *img, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; i < img->nsegs; i++) {
		const struct mk_seg *s = &img->segs[i];
		if (off >= s->img && off - s->img <= s->memsz) {
			*vaddr = s->vaddr + (off - s->img);
			return true;
		}
	}
	return false;
}

/* By name; a global or weak definition wins over a local one. */
const struct mk_sym *sym_find(const struct mk_image *img, const char *name)
{
	const struct mk_sym *found = NULL;

	for (size_t i = 1; i < img->nsyms; i++) {
		const struct mk_sym *s = &img->syms[i];
		if (strcmp(s->name, name) || s->shndx == SHN_UNDEF)
			continue;
		if (s->bind != STB_LOCAL)
			return s;
		if (!found)
			found = s;
	}
	return found;
}

/* The image offset of a symbol a directive at `where` names, or die. */
uint64_t sym_off(const struct mk_image *img, const char *where, const char *name)
{
	const struct mk_sym *s = sym_find(img, name);
	uint64_t off;

	if (!s)
		die_at(where, NULL, NOPOS, name, "symbol not found in %s", img->path);
	if (!vaddr_to_off(img, s->value, &off))
		die_at(where, NULL, NOPOS, name,
		       "symbol value 0x%llx is not in a loaded segment of %s",
		       (unsigned long long)s->value, img->path);
	return off;
}

/* A printable name: section symbols are named after their section. */
const char *sym_name(const struct mk_image *img, size_t i)
{
	if (i >= img->nsyms)
		return "?";
	const struct mk_sym *s = &img->syms[i];
	if (s->type == STT_SECTION && s->shndx < img->nsecs)
		return img->secs[s->shndx].name;
	return i ? s->name : "(none)";
}

const unsigned char *img_at(const struct mk_image *img, uint64_t off,
			    uint64_t size, const char *what)
{
	if (off > img->image_size || size > img->image_size - off) {
		const struct mk_sec *s = sec_of_off(img, off);
		die_at(img->path, s ? s->name : NULL, s ? off - s->img : off, NULL,
		       "%s: 0x%llx bytes at image offset 0x%llx lie outside the image",
		       what, (unsigned long long)size, (unsigned long long)off);
	}
	return img->mem + off;
}

uint64_t img_rd(const struct mk_image *img, uint64_t off, int size, const char *what)
{
	return rd_le(img_at(img, off, size, what), size);
}

/* The loaded section holding the offset (the innermost, smallest one). */
const struct mk_sec *sec_of_off(const struct mk_image *img, const uint64_t off)
{
	const struct mk_sec *best = NULL;

	for (size_t i = 1; i < img->nsecs; i++) {
		const struct mk_sec *s = &img->secs[i];
		if (!s->loaded || off < s->img || off - s->img >= s->size)
			continue;
		if (!best || s->size < best->size)
			best = s;
	}
	return best;
}

/* "section+0xN <symbol+0xM>" for messages (one of 4 static buffers in turn). */
const char *describe_off(const struct mk_image *img, uint64_t off)
{
	static char bufs[4][512];
	static int turn;
	char *buf = bufs[turn++ % 4];
	const struct mk_sec *s = sec_of_off(img, off);
	const struct mk_sym *best = NULL;
	uint64_t va = 0;

	if (!s) {
		snprintf(buf, sizeof(bufs[0]), "image offset 0x%llx", (unsigned long long)off);
		return buf;
	}
	va = s->addr + (off - s->img);
	for (size_t i = 1; i < img->nsyms; i++) {
		const struct mk_sym *y = &img->syms[i];
		if (y->shndx != s - img->secs || y->type == STT_SECTION || !*y->name ||
		    y->value > va || (best && y->value <= best->value))
			continue;
		best = y;
	}
	int n = snprintf(buf, sizeof(bufs[0]), "%s+0x%llx", s->name,
			 (unsigned long long)(off - s->img));
	if (best)
		snprintf(buf + n, sizeof(bufs[0]) - n, " <%s+0x%llx>", best->name,
			 (unsigned long long)(va - best->value));
	return buf;
}
