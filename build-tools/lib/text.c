/* text.c: splitting text into lines and reading whole numbers, for the host tools' parsers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

char *next_line(char **at)
{
	char *line = *at, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	*at = nl ? nl + 1 : line + strlen(line);
	if (nl)
		*nl = 0;
	return line;
}

/* Decimal or 0x-hex, the whole string. */
bool parse_num(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && !*end;
}
