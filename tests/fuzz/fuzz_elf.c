/* fuzz_elf.c: libFuzzer harness: fgk-mkmap's ELF reader refuses any file it cannot load, with one line, and never reads out of bounds. */
#include "fuzz_mkmap.h"

#include <libelf.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mk_image img;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	memset(&img, 0, sizeof(img));
	fuzz_arena_begin();
	if (!setjmp(fuzz_jump)) {
		image_read(&img, path);
		/* what the later steps ask of it: symbols, offsets */
		for (size_t i = 0; i < img.nsyms; i++) {
			uint64_t off;

			if (img.syms[i].name)
				vaddr_to_off(&img, img.syms[i].value, &off);
		}
	}
	if (img.elf)
		elf_end(img.elf);
	fuzz_arena_end();
	fuzz_close_from(fd);
	return 0;
}
