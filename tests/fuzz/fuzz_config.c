/* fuzz_config.c: libFuzzer harness: fgk-mkmap's configuration reader refuses what it cannot parse, with one line, and never reads out of bounds. */
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
	static struct mk_config cfg;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	memset(&cfg, 0, sizeof(cfg));
	fuzz_arena_begin();
	if (!setjmp(fuzz_jump))
		config_file(&cfg, path);
	fuzz_arena_end();
	fuzz_close_from(fd);
	return 0;
}
