/* fuzz_elf.c: libFuzzer harness: the host tools' one ELF loader (elfimg.c, through fgk-mkmap's image_read) refuses any file it cannot load, with one line, and never reads out of bounds. */
#include "fuzz_mkmap.h"

#include <libelf.h>

static struct mk_image img;

static void read_image(const char *path)
{
	image_read(&img, path);
	/* what the later steps ask of it: symbols, offsets */
	for (size_t i = 0; i < img.nsyms; i++) {
		uint64_t off;

		if (img.syms[i].name)
			vaddr_to_off(&img, img.syms[i].value, &off);
	}
}

/* libelf's own allocations are not the arena's: end the handle, wherever the load stopped. */
static void end_elf(void)
{
	if (img.e.elf)
		elf_end(img.e.elf);
	memset(&img, 0, sizeof(img));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read(data, size, read_image, end_elf);
}
