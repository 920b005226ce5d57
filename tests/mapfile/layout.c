/* layout.c: print where each payload array of a map lies, by fgk_map.h's FGK_MAP_ARRAYS, for check.py. */
#include <stdio.h>
#include <stdlib.h>

#include "fgk_map.h"

#define ARRAY_NAME(name, text, bytes)	[FGK_MAP_##name] = #name,
static const char *const names[FGK_MAP_NR_ARRAYS] = { FGK_MAP_ARRAYS(ARRAY_NAME, 0) };

/* layout MAP: one line per array, "NAME offset bytes", in map order. */
int main(int argc, char **argv)
{
	struct fgk_map_header h;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "rb")) || fread(&h, sizeof(h), 1, f) != 1) {
		fprintf(stderr, "usage: layout MAP (a readable fgkaslr map)\n");
		return 2;
	}
	fclose(f);
	for (int a = 0; a < FGK_MAP_NR_ARRAYS; a++)
		printf("%s %llu %llu\n", names[a],
		       (unsigned long long)fgk_map_array_offset(&h, a),
		       (unsigned long long)fgk_map_array_bytes(&h, a));
	return 0;
}
