/* strerror.c: fgk_strerror: a message for each fgk_error. */
#include "fgk_internal.h"

/*
 * One string of all messages in fgk_error order, each ended by NUL, and
 * "unknown error" last; rather than an array of pointers, which would need
 * relocated data (.data.rel.ro) that check-freestanding refuses.
 * test_strerror holds each code to its message.
 */
static const char messages[] =
	"success" "\0"	/* FGK_OK */
	"bad argument" "\0"	/* FGK_E_ARG */
	"map truncated" "\0"	/* FGK_E_TRUNCATED */
	"not an fgkaslr map (bad magic)" "\0"	/* FGK_E_MAGIC */
	"unsupported map version or header" "\0"	/* FGK_E_VERSION */
	"map checksum mismatch" "\0"	/* FGK_E_CHECKSUM */
	"image smaller than the map describes" "\0"	/* FGK_E_IMAGE */
	"invalid region" "\0"	/* FGK_E_REGION */
	"invalid unit" "\0"	/* FGK_E_UNIT */
	"invalid xref" "\0"	/* FGK_E_XREF */
	"invalid table" "\0"	/* FGK_E_TABLE */
	"invalid symtab" "\0"	/* FGK_E_SYMTAB */
	"invalid relocation" "\0"	/* FGK_E_RELOC */
	"a fixed field would overflow after the move" "\0"	/* FGK_E_OVERFLOW */
	"a region's new layout does not fit" "\0"	/* FGK_E_NOSPACE */
	"scratch memory too small" "\0"	/* FGK_E_NOMEM */
	"map made for another image (build id differs)" "\0"	/* FGK_E_IMAGE_ID */
	"the map needs the image's relocation list" "\0"	/* FGK_E_NORELOCS */
	"unknown error";

const char *fgk_strerror(int err)
{
	const char *p = messages;

	if (err < 0 || err >= FGK_NR_ERRORS)
		err = FGK_NR_ERRORS;
	/* Skip err messages: a short walk, and no table to relocate. */
	for (int i = 0; i < err; i++)
		while (*p++)
			;
	return p;
}
