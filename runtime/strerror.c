/* strerror.c: fgk_strerror: a message for each fgk_error. */
#include "fgk_internal.h"

/*
 * One string and a table of offsets into it, rather than an array of
 * pointers: pointer tables would need relocated data (.data.rel.ro),
 * which check-freestanding refuses.
 */
#define MESSAGES \
	X(FGK_OK, "success") \
	X(FGK_E_ARG, "bad argument") \
	X(FGK_E_TRUNCATED, "map truncated") \
	X(FGK_E_MAGIC, "not an fgkaslr map (bad magic)") \
	X(FGK_E_VERSION, "unsupported map version or header") \
	X(FGK_E_CHECKSUM, "map checksum mismatch") \
	X(FGK_E_IMAGE, "image smaller than the map describes") \
	X(FGK_E_REGION, "invalid region") \
	X(FGK_E_UNIT, "invalid unit") \
	X(FGK_E_XREF, "invalid xref") \
	X(FGK_E_TABLE, "invalid table") \
	X(FGK_E_SYMTAB, "invalid symtab") \
	X(FGK_E_RELOC, "invalid relocation") \
	X(FGK_E_OVERFLOW, "a fixed field would overflow after the move") \
	X(FGK_E_NOSPACE, "a region's new layout does not fit") \
	X(FGK_E_NOMEM, "scratch memory too small") \
	X(FGK_E_IMAGE_ID, "map made for another image (build id differs)") \
	X(FGK_E_NORELOCS, "the map needs the image's relocation list")

/* All messages, each ended by NUL; "unknown error" last. */
#define X(code, text) text "\0"
static const char messages[] = MESSAGES "unknown error";
#undef X

/* Where each message starts: the sum of the lengths before it. */
#define X(code, text) + sizeof(text)
enum { UNKNOWN_AT = 0 MESSAGES };
#undef X

#define X(code, text) + 1
_Static_assert(0 MESSAGES == FGK_NR_ERRORS, "one message per fgk_error");
#undef X

const char *fgk_strerror(int err)
{
	const char *p = messages;

	if (err < 0 || err >= FGK_NR_ERRORS)
		return messages + UNKNOWN_AT;
	/* Skip err messages: a short walk, and no table to relocate. */
	for (int i = 0; i < err; i++)
		while (*p++)
			;
	return p;
}
