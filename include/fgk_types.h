/* fgk_types.h: fixed-width types for code shared by host tools, the runtime and the kernel. */
#ifndef FGK_TYPES_H
#define FGK_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>	/* uint32_t and friends, size_t */
#else
#include <stddef.h>		/* freestanding headers: no libc needed */
#include <stdint.h>
#endif

#endif /* FGK_TYPES_H */
