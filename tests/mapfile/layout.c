/* layout.c: print where each payload array of a map lies, by fgk_map.h's enum fgk_map_array and fgk_map_array_bytes, for check.py. */
#include <stdio.h>
#include <stdlib.h>

#include "fgk_map.h"

/* layout MAP: one line per array, "index offset bytes", in map order. */
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
		printf("%d %llu %llu\n", a,
		       (unsigned long long)fgk_map_array_offset(&h, a),
		       (unsigned long long)fgk_map_array_bytes(&h, a));
	return 0;
}
