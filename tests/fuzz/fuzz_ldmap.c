/* fuzz_ldmap.c: libFuzzer harness: fgk-mkmap's GNU ld link-map reader refuses what it cannot parse, with one line, and never reads out of bounds. */
#include "fuzz_mkmap.h"

static void read_ldmap(const char *path)
{
	struct ld_map lm = { 0 };

	ldmap_read(&lm, path);
	ldmap_outsec(&lm, ".text");
	ldmap_insec_at(&lm, 0x401000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read(data, size, read_ldmap, NULL);
}
