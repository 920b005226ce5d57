/* host.h: what every host tool shares: failing, allocation, whole-file reads and writes. */
#ifndef FGK_HOST_H
#define FGK_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#define NOPOS	UINT64_MAX	/* "no offset" in messages and lookups */

/*
 * Exit status of every tool and test program: 0 success, 2 an error (bad
 * input, bad usage, a failed read or write: die_at), 1 reserved for a
 * check that ran and found something wrong (fgk-verify's reports).
 */
#define EXIT_ERROR	2

/* The program's name, which messages start with; each main() sets it. */
extern const char *host_tool;
/* Called by die_at before it exits; a fuzzing harness longjmps out of it. */
extern void (*die_hook)(void);

/*
 * Every error names what it can of: the file, the section and the offset
 * in it, and the symbol involved; pass NULL / NOPOS for the unknown parts.
 *   TOOL: FILE: SECTION+0xOFF: symbol SYM: message
 * An output file being written (out_create) is removed first.
 */
noreturn void die_at(const char *file, const char *sec, uint64_t off,
		     const char *sym, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#define die(...)	die_at(NULL, NULL, NOPOS, NULL, __VA_ARGS__)
/* "TOOL: warning: message" on stderr. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that dies instead of returning NULL (alloc.c). */
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Growable arrays: VEC(T) is struct { T *v; size_t n, cap; }. */
#define VEC(T)	struct { T *v; size_t n, cap; }
#define vec_push(a) \
	(vec_grow_((void **)&(a)->v, &(a)->cap, (a)->n + 1, sizeof(*(a)->v)), \
	 &(a)->v[(a)->n++])
void vec_grow_(void **v, size_t *cap, size_t need, size_t esz);

/* The line at *at, its newline replaced by NUL, *at moved past it; NULL at the end (text.c). */
char *next_line(char **at);
/* Decimal, 0x hex or 0 octal, the whole string. */
bool parse_num(const char *s, uint64_t *out);

/* A file's bytes and a NUL after them (*size without it), or die (file.c). */
void *read_whole_file(const char *path, size_t *size);
/*
 * Output written whole or not at all: out_create() opens a temporary file
 * next to `path` (die_at removes it), out_commit() closes it and renames
 * it over `path`. A file-size limit gives an error, not SIGXFSZ.
 */
int out_create(const char *path, mode_t mode);
void out_commit(int fd, const char *path);
/* write_file: out_create + all of buf + out_commit. */
void write_file(const char *path, const void *buf, size_t size);

#endif /* FGK_HOST_H */
