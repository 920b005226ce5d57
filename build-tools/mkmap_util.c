/* mkmap_util.c: the error helper, allocation, growable arrays and byte readers of fgk-mkmap. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkmap.h"

void (*die_hook)(void);

noreturn void die_at(const char *file, const char *sec, uint64_t off,
		     const char *sym, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "fgk-mkmap: ");
	if (file)
		fprintf(stderr, "%s: ", file);
	if (sec && off != NOPOS)
		fprintf(stderr, "%s+0x%llx: ", sec, (unsigned long long)off);
	else if (sec)
		fprintf(stderr, "%s: ", sec);
	else if (off != NOPOS)
		fprintf(stderr, "offset 0x%llx: ", (unsigned long long)off);
	if (sym)
		fprintf(stderr, "symbol %s: ", sym);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (die_hook)
		die_hook();
	/*
	 * A refusal ends the run: no atexit handlers, so LeakSanitizer does
	 * not turn what a dying tool left allocated into exit status 134.
	 */
	fflush(NULL);
	_exit(1);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "fgk-mkmap: warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return p;
}

/*
 * Any file but a directory (/dev/null is an empty config), read to its
 * end whatever stat says its size is.
 */
void *read_whole_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t cap = 4096, n = 0, got;
	char *buf;

	if (!f || fstat(fileno(f), &st))
		die_at(path, NULL, NOPOS, NULL, "cannot read: %m");
	if (S_ISDIR(st.st_mode)) {
		fclose(f);
		die_at(path, NULL, NOPOS, NULL, "cannot read: a directory");
	}
	if (S_ISREG(st.st_mode))
		cap = st.st_size + 1;
	buf = xcalloc(1, cap);
	while ((got = fread(buf + n, 1, cap - 1 - n, f)) > 0) {
		n += got;
		if (n == cap - 1)
			vec_grow_((void **)&buf, &cap, 2 * cap, 1);
	}
	if (ferror(f)) {
		fclose(f);
		die_at(path, NULL, NOPOS, NULL, "cannot read: %m");
	}
	fclose(f);
	buf[n] = 0;
	*size = n;
	return buf;
}

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

void vec_grow_(void **v, size_t *cap, size_t need, size_t esz)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*v, ncap * esz);
	if (!p)
		die("out of memory (%zu x %zu bytes)", ncap, esz);
	*v = p;
	*cap = ncap;
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

uint64_t rd_le(const void *p, int size)
{
	const unsigned char *b = p;
	uint64_t v = 0;

	for (int i = size - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

int64_t rd_sle(const void *p, int size)
{
	uint64_t v = rd_le(p, size);
	int shift = 64 - 8 * size;

	return shift ? (int64_t)(v << shift) >> shift : (int64_t)v;
}
