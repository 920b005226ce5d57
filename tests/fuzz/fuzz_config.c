/* fuzz_config.c: libFuzzer harness: fgk-mkmap's configuration reader refuses what it cannot parse, with one line, and never reads out of bounds. */
#include "fuzz_mkmap.h"

static void read_config(const char *path)
{
	struct mk_config cfg = { 0 };

	config_file(&cfg, path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read(data, size, read_config, NULL);
}
