/* e2e_util.h: little-endian loads and stores for the e2e host tools (errors and allocation: host.h). */
#ifndef E2E_UTIL_H
#define E2E_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "host.h"

/* Little-endian loads and stores that tolerate misalignment (the host is x86-64). */
static inline uint16_t rd16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void wr16(void *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void wr32(void *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wr64(void *p, uint64_t v) { memcpy(p, &v, 8); }

#endif /* E2E_UTIL_H */
