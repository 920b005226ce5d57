/* mkmap_elf.c: fgk-mkmap's view of the input image (elfimg.c): sections, symbols, lookups. */
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

/* mkmap's view of the sections: names and the fields the steps ask for. */
static void read_secs(struct mk_image *img)
{
	const struct elfimg *e = &img->e;

	img->secs = xcalloc(e->nr_secs, sizeof(*img->secs));
	img->nsecs = e->nr_secs;
	for (size_t i = 1; i < e->nr_secs; i++) {
		struct mk_sec *s = &img->secs[i];
		GElf_Shdr sh;

		elfimg_shdr(e, i, &sh);
		s->name = elfimg_secname(e, i);
		s->addr = sh.sh_addr, s->size = sh.sh_size, s->align = sh.sh_addralign;
		s->flags = sh.sh_flags, s->foff = sh.sh_offset, s->entsize = sh.sh_entsize;
		s->type = sh.sh_type, s->link = sh.sh_link, s->info = sh.sh_info;
		if (e->sec_off[i] != ELFIMG_NO_OFF) {
			s->loaded = true;
			s->img = e->sec_off[i];
		}
	}
}

static void read_segs_syms(struct mk_image *img)
{
	const struct elfimg *e = &img->e;

	img->segs = xcalloc(e->nr_segs, sizeof(*img->segs));
	img->nsegs = e->nr_segs;
	for (size_t i = 0; i < e->nr_segs; i++)
		img->segs[i] = (struct mk_seg){ e->segs[i].vaddr, e->segs[i].memsz,
						e->segs[i].filesz, e->segs[i].file_off,
						e->segs[i].img_off };
	if (!e->symtab_ndx)
		die_at(img->path, NULL, NOPOS, NULL, "no .symtab (was the image stripped?)");
	img->syms = xcalloc(e->nr_syms, sizeof(*img->syms));
	img->nsyms = e->nr_syms;
	for (size_t j = 0; j < e->nr_syms; j++) {
		const struct elfimg_sym *es = &e->syms[j];

		img->syms[j] = (struct mk_sym){ es->name, es->value, es->size, es->shndx,
						es->type, es->bind };
	}
}

/*
 * GNU ld marks an image linked with -pie at a non-zero address (the PIE
 * x86 kernel) ET_EXEC. Loaded RELA or RELR relocations say what it is: a
 * position dependent image has none (the kernel asserts that).
 */
static bool has_dynamic_relocs(const struct mk_image *img)
{
	for (size_t i = 1; i < img->nsecs; i++)
		if (img->secs[i].loaded && img->secs[i].size &&
		    (img->secs[i].type == SHT_RELA || img->secs[i].type == SHT_RELR))
			return true;
	return false;
}

/* The checks, the layout and the bytes are the shared loader's (elfimg.c). */
void image_read(struct mk_image *img, const char *path)
{
	memset(img, 0, sizeof(*img));
	elfimg_load(&img->e, path);
	img->path = path;
	img->elf = img->e.elf;
	img->type = img->e.ehdr.e_type;
	img->file = img->e.file;
	img->file_size = img->e.file_size;
	img->link_base = img->e.link_base;
	img->image_size = img->e.size;
	img->mem = img->e.image;
	read_secs(img);
	read_segs_syms(img);
	if (img->type == ET_EXEC && has_dynamic_relocs(img))
		img->type = ET_DYN;
}

void image_free(struct mk_image *img)
{
	free(img->secs);
	free(img->segs);
	free(img->syms);
	elfimg_free(&img->e);
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
