/* postlink_orc.c: generate the ORC-like unwind tables of an e2e image, sorted as scripts/sorttable does. */
#include <stdio.h>
#include <stdlib.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "postlink.h"

/*
 * Entries (objtool's job in a kernel): one at each function's start and up
 * to two inside it, all naming the function (name hash in sp/bp offsets),
 * and a terminator (type UNDEFINED, all zero) at the end of every input
 * section. A terminator's ip is one past its section, so it often equals
 * the next function's start: the sort puts it first, as the kernel's
 * orc_sort_cmp does, so a lookup at that address finds the real entry.
 */

static struct orc_ent real_entry(const struct func_sym *f, uint64_t ip, uint8_t nth)
{
	uint32_t hash = e2e_name_hash(f->name);
	struct orc_ent e = { .ip = ip };

	wr16(&e.orc[0], (uint16_t)hash);		/* sp_offset */
	wr16(&e.orc[2], (uint16_t)(hash >> 16));	/* bp_offset */
	e.orc[4] = nth;					/* sp_reg:4, bp_reg:4 */
	e.orc[5] = E2E_ORC_TYPE_CALL;			/* type:3, signal:1 */
	return e;
}

static int is_terminator(const struct orc_ent *e)
{
	return (e->orc[5] & 7) == E2E_ORC_TYPE_UNDEFINED;
}

static int orc_cmp(const void *pa, const void *pb)
{
	const struct orc_ent *a = pa, *b = pb;

	if (a->ip != b->ip)
		return a->ip < b->ip ? -1 : 1;
	if (is_terminator(a) != is_terminator(b))
		return is_terminator(a) ? -1 : 1;
	return memcmp(a->orc, b->orc, sizeof(a->orc));
}

static size_t add_func_entries(struct orc_ent *out, const struct func_sym *f)
{
	uint64_t ips[3] = { f->addr, f->addr + f->size / 3, f->addr + 2 * f->size / 3 };
	size_t n = 0;

	for (int k = 0; k < 3; k++)
		if (k == 0 || (ips[k] != ips[k - 1] && ips[k] < f->addr + f->size))
			out[n++] = real_entry(f, ips[k], (uint8_t)k);
	return n;
}

/* Terminators at the ends of the sections that hold code, then real entries, sorted. */
struct orc_ent *orc_build(const struct func_sym *funcs, size_t nr_funcs,
			  const struct ld_insec *secs, size_t nr_secs, size_t *count)
{
	struct orc_ent *ents = xcalloc(nr_secs + 3 * nr_funcs, sizeof(*ents));
	size_t n = 0, shared_ip = 0;

	for (size_t i = 0; i < nr_secs; i++)
		if (secs[i].size)
			ents[n++] = (struct orc_ent){ .ip = secs[i].addr + secs[i].size };
	for (size_t i = 0; i < nr_funcs; i++)
		if (funcs[i].is_func)
			n += add_func_entries(ents + n, &funcs[i]);
	qsort(ents, n, sizeof(*ents), orc_cmp);
	for (size_t i = 1; i < n; i++)
		shared_ip += ents[i].ip == ents[i - 1].ip;
	if (!shared_ip)
		die("no terminator shares its ip with a function start: the test lost a case");
	*count = n;
	return ents;
}

void orc_fill(struct elf_file *elf, const struct orc_ent *ents, size_t count)
{
	uint64_t ip_start = elf_need_symbol(elf, "__start_orc_unwind_ip");
	uint64_t ip_stop = elf_need_symbol(elf, "__stop_orc_unwind_ip");
	uint64_t orc_start = elf_need_symbol(elf, "__start_orc_unwind");
	uint64_t orc_stop = elf_need_symbol(elf, "__stop_orc_unwind");

	if (ip_stop - ip_start != 4 * count || orc_stop - orc_start != E2E_ORC_SIZE * count)
		die("%s: ORC space for %llu/%llu entries, need %zu: relink with a new reserve file",
		    elf->path, (unsigned long long)(ip_stop - ip_start) / 4,
		    (unsigned long long)(orc_stop - orc_start) / E2E_ORC_SIZE, count);
	uint8_t *ips = elf_bytes(elf, ip_start, 4 * count);
	uint8_t *orcs = elf_bytes(elf, orc_start, E2E_ORC_SIZE * count);
	for (size_t i = 0; i < count; i++) {
		wr32(ips + 4 * i, (uint32_t)(ents[i].ip - (ip_start + 4 * i)));
		memcpy(orcs + E2E_ORC_SIZE * i, ents[i].orc, E2E_ORC_SIZE);
	}
}
