/* uleb.c: read one ULEB128 word of the map's streams (units, xrefs, overrides). */
#include "fgk_internal.h"

/*
 * A word of at most `max_bits` significant bits (7 a byte, least
 * significant first, high bit set on all but the last) from [*at, end);
 * 0 and *at untouched if it runs past the end or past max_bits.
 */
int fgk_read_uleb_long(const uint8_t **at, const uint8_t *end, uint32_t max_bits, uint64_t *v)
{
	const uint8_t *p = *at;
	uint64_t value = 0;

	for (uint32_t shift = 0; p < end && shift < max_bits; shift += 7) {
		uint8_t byte = *p++;

		value |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*at = p;
			*v = value;
			return 1;
		}
	}
	return 0;
}
