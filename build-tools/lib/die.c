/* die.c: the one way a host tool fails: a message, the pending output removed, exit status 2. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "host.h"
#include "host_internal.h"

const char *host_tool = "fgk";
void (*die_hook)(void);

noreturn void die_at(const char *file, const char *sec, uint64_t off,
		     const char *sym, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", host_tool);
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
	out_abandon();
	if (die_hook)
		die_hook();
	/*
	 * A refusal ends the run: no atexit handlers, so LeakSanitizer does
	 * not turn what a dying tool left allocated into exit status 134.
	 */
	fflush(NULL);
	_exit(EXIT_ERROR);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: warning: ", host_tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
