/* rtcheck.c: does the runtime accept fgk-mkmap's map? fgk_map_open, then fgk_shuffle with a few seeds. */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fgk.h"

/*
 * usage: rtcheck IMAGE MAP [SEEDS [RELOCS]]
 * RELOCS: the image's relocation list, for a map that leaves it out (a
 * PIE image's map that does is given the image's RELA/RELR sections).
 * The image is loaded as fgk-mkmap describes it: each PT_LOAD at its
 * p_paddr, offset 0 at the lowest one. Exit 0 if the map opens and every
 * seed shuffles (or reports NOSPACE, which a tight region may give).
 */

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "rtcheck: %s: %s\n", what, detail);
	exit(1);
}

static uint8_t *load_image(const char *path, uint64_t *size)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	size_t n;
	uint64_t min = UINT64_MAX;

	elf_version(EV_CURRENT);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_READ, NULL)) || elf_getphdrnum(e, &n))
		fail(path, "cannot read the ELF");
	*size = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr p;
		if (gelf_getphdr(e, i, &p) && p.p_type == PT_LOAD && p.p_memsz && p.p_paddr < min)
			min = p.p_paddr;
	}
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr p;
		if (gelf_getphdr(e, i, &p) && p.p_type == PT_LOAD && p.p_memsz &&
		    p.p_paddr - min + p.p_memsz > *size)
			*size = p.p_paddr - min + p.p_memsz;
	}
	uint8_t *img = calloc(1, *size);
	for (size_t i = 0; img && i < n; i++) {
		GElf_Phdr p;
		if (!gelf_getphdr(e, i, &p) || p.p_type != PT_LOAD || !p.p_memsz)
			continue;
		if (pread(fd, img + (p.p_paddr - min), p.p_filesz, p.p_offset) != (ssize_t)p.p_filesz)
			fail(path, "short read");
	}
	elf_end(e);
	close(fd);
	return img;
}

/* Address and size of the image's loaded section of this type (0, 0: none). */
static void find_sec(const char *path, uint32_t type, uint64_t *addr, uint64_t *size)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;

	*addr = *size = 0;
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_READ, NULL)))
		fail(path, "cannot read the ELF");
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == type && (sh.sh_flags & SHF_ALLOC)) {
			*addr = sh.sh_addr;
			*size = sh.sh_size;
		}
	}
	elf_end(e);
	close(fd);
}

/*
 * A PIE image's map without relocations: the image's RELA/RELR, as the
 * boot reads them. Returns the decoded sites (malloc'd, the map's now).
 */
static uint32_t *use_pie_relocs(const char *path, struct fgk_map *map, const uint8_t *img)
{
	uint64_t a, as, r, rs, base = map->hdr->link_base;
	int64_t n;
	int err;

	find_sec(path, SHT_RELA, &a, &as);
	find_sec(path, SHT_RELR, &r, &rs);
	const void *rela = as ? img + (a - base) : NULL, *relr = rs ? img + (r - base) : NULL;

	n = fgk_pie_relocs_count(rela, as, relr, rs, base);
	if (n < 0)
		fail("fgk_pie_relocs_count", "bad lists");
	uint32_t *sites = malloc(4 * (size_t)n + 4);

	if ((err = fgk_map_use_pie_relocs(map, rela, as, relr, rs, sites, 4ull * n)))
		fail("fgk_map_use_pie_relocs", fgk_strerror(err));
	return sites;
}

static void *read_map(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;

	if (!f || fseek(f, 0, SEEK_END))
		fail(path, "cannot open");
	*size = ftell(f);
	rewind(f);
	buf = malloc(*size ? *size : 1);
	if (!buf || fread(buf, 1, *size, f) != *size)
		fail(path, "cannot read");
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	uint64_t isize, msize;
	struct fgk_map map;
	int seeds = argc > 3 ? atoi(argv[3]) : 4, nospace = 0;

	if (argc < 3)
		fail("usage", "rtcheck IMAGE MAP [SEEDS [RELOCS]]");
	uint8_t *img = load_image(argv[1], &isize);
	void *buf = read_map(argv[2], &msize);
	uint64_t usize = fgk_map_units_bytes(buf, msize);
	void *units = aligned_alloc(8, usize + 8);
	int err = fgk_map_open(&map, buf, msize, img, isize, units, usize);
	if (err)
		fail("fgk_map_open", fgk_strerror(err));
	uint64_t rsize;
	void *relocs = argc > 4 ? read_map(argv[4], &rsize) : NULL;
	if (relocs && (err = fgk_map_use_relocs(&map, relocs, rsize, img)))
		fail("fgk_map_use_relocs", fgk_strerror(err));
	uint32_t *sites = NULL;
	if (!relocs && (map.hdr->flags & FGK_MAP_IMAGE_RELOCS) && (map.hdr->flags & FGK_MAP_PIE))
		sites = use_pie_relocs(argv[1], &map, img);
	if ((err = fgk_map_check(&map, img)))
		fail("fgk_map_check", fgk_strerror(err));
	uint64_t ssize = fgk_scratch_size(&map);
	void *scratch = aligned_alloc(8, (ssize + 7) & ~7ull);
	uint8_t *copy = malloc(isize);
	for (int s = 1; s <= seeds; s++) {
		struct fgk_shuffle_args a = { .seed = s, .scratch = scratch, .scratch_size = ssize };
		memcpy(copy, img, isize);
		err = fgk_shuffle(&map, copy, &a);
		if (err == FGK_E_NOSPACE)
			nospace++;
		else if (err)
			fail("fgk_shuffle", fgk_strerror(err));
	}
	printf("rtcheck: %s: map accepted, %d seeds shuffled, %d NOSPACE\n", argv[2], seeds, nospace);
	free(sites);
	free(relocs);
	free(units);
	free(copy);
	free(scratch);
	free(buf);
	free(img);
	return 0;
}
