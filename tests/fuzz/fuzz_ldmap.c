/* fuzz_ldmap.c: libFuzzer harness: fgk-mkmap's GNU ld link-map reader refuses what it cannot parse, with one line, and never reads out of bounds. */
#include "fuzz_mkmap.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ld_map lm;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	memset(&lm, 0, sizeof(lm));
	fuzz_arena_begin();
	if (!setjmp(fuzz_jump)) {
		ldmap_read(&lm, path);
		ldmap_outsec(&lm, ".text");
		ldmap_insec_at(&lm, 0x401000);
	}
	fuzz_arena_end();
	fuzz_close_from(fd);
	return 0;
}
