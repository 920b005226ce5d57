/* host_internal.h: between die.c and file.c: the output file a failure must remove. */
#ifndef FGK_HOST_INTERNAL_H
#define FGK_HOST_INTERNAL_H

/* Remove the temporary output file out_create() made, if any. */
void out_abandon(void);

#endif
