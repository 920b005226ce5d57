/* fgk_types.h: fixed-width types for code shared by host tools, the runtime and the kernel. */
#ifndef FGK_TYPES_H
#define FGK_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>	/* uint32_t and friends, size_t */
#include <linux/limits.h>	/* S32_MAX and friends: the kernel has no stdint.h */
#ifndef INT32_MIN
#define INT32_MIN	S32_MIN
#endif
#ifndef INT32_MAX
#define INT32_MAX	S32_MAX
#endif
#ifndef UINT32_MAX
#define UINT32_MAX	U32_MAX
#endif
#ifndef INT64_MIN
#define INT64_MIN	S64_MIN
#endif
#ifndef INT64_MAX
#define INT64_MAX	S64_MAX
#endif
#ifndef UINT64_MAX
#define UINT64_MAX	U64_MAX
#endif
#else
#include <stddef.h>		/* freestanding headers: no libc needed */
#include <stdint.h>
#endif

#endif /* FGK_TYPES_H */
