/* symtab_entry.c: decoding kallsyms entries: offsets to addresses, name lengths, markers. */
#include "fgk_internal.h"

/*
 * kallsyms_offsets[i] (kernel/kallsyms.c, kallsyms_sym_address()):
 *   RELATIVE:    address = relative_base + (u32)v
 *   ABS_PERCPU:  v >= 0: address = v (absolute, never moves)
 *                v <  0: address = relative_base - 1 - v
 */
uint64_t fgk_sym_addr(const struct fgk_symtab *st, uint32_t value)
{
	int64_t v = (int32_t)value;

	if (st->offsets_kind == FGK_SYMOFF_RELATIVE)
		return st->relative_base + value;
	if (v >= 0)
		return (uint64_t)v;
	return st->relative_base - 1 + (uint64_t)-v;
}

/*
 * An address as an image offset for the unit walk: order-preserving (not
 * strictly), addresses below the image mapped to -1 and those far past it
 * to FGK_OFF_FAR, so they hold no unit.
 */
int64_t fgk_addr_offset(const struct fgk_map *map, uint64_t addr)
{
	uint64_t link_base = map->hdr->link_base;

	if (addr < link_base)
		return -1;
	if (addr - link_base > (uint64_t)FGK_OFF_FAR)
		return FGK_OFF_FAR;
	return (int64_t)(addr - link_base);
}

/*
 * Bytes of one kallsyms_names entry: a ULEB128 length of 1 or 2 bytes
 * (kallsyms_expand_symbol()), then that many bytes. 0 if it does not fit
 * in `avail` or its length takes more than 2 bytes.
 */
uint32_t fgk_name_entry_size(const uint8_t *p, uint64_t avail)
{
	uint32_t len, prefix = 1;

	if (avail < 1)
		return 0;
	len = p[0];
	if (len & 0x80) {
		if (avail < 2 || (p[1] & 0x80))
			return 0;
		len = (len & 0x7f) | (uint32_t)p[1] << 7;
		prefix = 2;
	}
	return prefix + len <= avail ? prefix + len : 0;
}

/* kallsyms_markers: one u32 per 256 symbols. */
uint64_t fgk_sym_nr_markers(const struct fgk_symtab *st)
{
	return ((uint64_t)st->nr_syms + 255) / 256;
}
