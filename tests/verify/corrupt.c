/* corrupt.c: damage one thing in a shuffled ELF (a call, an instruction, kallsyms, __ex_table, a pointer, a named s32) and print whose it is. */
#include <capstone/capstone.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfimg.h"

/*
 * Used by the verifier's negative tests: fgk-verify must then fail and
 * name the function printed here. Each mode picks the first function with
 * a suitable site, in symbol table order, so runs are reproducible.
 */

static struct elfimg img;
static csh cs;

static const struct elfimg_sym *find_sym(const char *name)
{
	for (size_t i = 1; i < img.nr_syms; i++)
		if (!strcmp(img.syms[i].name, name) && img.syms[i].img_off != ELFIMG_NO_OFF)
			return &img.syms[i];
	die("%s has no symbol %s", img.path, name);
}

/* The sized function holding image offset off, or NULL. */
static const struct elfimg_sym *func_at(uint64_t off)
{
	for (size_t i = 1; i < img.nr_syms; i++) {
		const struct elfimg_sym *s = &img.syms[i];
		if (s->type == STT_FUNC && s->size && s->img_off != ELFIMG_NO_OFF &&
		    off >= s->img_off && off < s->img_off + s->size)
			return s;
	}
	return NULL;
}

static void write_bytes(uint64_t off, const uint8_t *bytes, size_t n)
{
	int fd = open(img.path, O_RDWR);
	uint64_t foff = elfimg_file_off(&img, off);

	if (fd < 0 || foff == ELFIMG_NO_OFF || pwrite(fd, bytes, n, foff) != (ssize_t)n)
		die("cannot write %s at image offset %#" PRIx64, img.path, off);
	close(fd);
}

/* Call fn(sym, insn, off) for each instruction of each function until it returns true. */
static const struct elfimg_sym *each_insn(bool (*fn)(const cs_insn *, uint64_t))
{
	cs_insn *ci = cs_malloc(cs);

	for (size_t i = 1; i < img.nr_syms; i++) {
		const struct elfimg_sym *s = &img.syms[i];
		if (s->type != STT_FUNC || !s->size || s->img_off == ELFIMG_NO_OFF)
			continue;
		const uint8_t *code = img.image + s->img_off;
		size_t len = s->size;
		uint64_t addr = s->value;
		while (cs_disasm_iter(cs, &code, &len, &addr, ci)) {
			if (fn(ci, s->img_off + (ci->address - s->value))) {
				cs_free(ci, 1);
				return s;
			}
		}
	}
	die("%s: no function has a suitable instruction", img.path);
}

/* A direct call: its target moves 16 bytes on. */
static bool bend_call(const cs_insn *ci, uint64_t off)
{
	if (ci->size != 5 || ci->bytes[0] != 0xe8)
		return false;
	uint8_t rel[4];
	put_le(rel, 4, get_le(ci->bytes + 1, 4) + 16);
	write_bytes(off + 1, rel, 4);
	return true;
}

/* An instruction with a register operand in ModR/M: use another register. */
static bool change_register(const cs_insn *ci, uint64_t off)
{
	const cs_x86 *x = &ci->detail->x86;
	uint8_t buf[16];
	cs_insn *alt;

	if (!x->encoding.modrm_offset || (x->modrm & 0xc0) != 0xc0 || ci->size > 15)
		return false;
	memcpy(buf, ci->bytes, ci->size);
	buf[x->encoding.modrm_offset] ^= 0x08;
	size_t n = cs_disasm(cs, buf, ci->size, ci->address, 1, &alt);
	bool same_length = n == 1 && alt->size == ci->size;
	if (n)
		cs_free(alt, n);
	if (same_length)
		write_bytes(off, buf, ci->size);
	return same_length;
}

/* A function symbol at address addr, or NULL. */
static const struct elfimg_sym *func_named_at(uint64_t addr)
{
	for (size_t i = 1; i < img.nr_syms; i++)
		if (img.syms[i].type == STT_FUNC && img.syms[i].value == addr)
			return &img.syms[i];
	return NULL;
}

/* kallsyms_offsets[i] as an address, relative or absolute-percpu style. */
static uint64_t kallsyms_addr(int32_t v, uint64_t base, bool percpu)
{
	if (!percpu)
		return base + (uint32_t)v;
	return v >= 0 ? (uint64_t)v : base - 1 - v;
}

/* Swap the kallsyms offsets of the first function and the symbol after it. */
static const char *swap_kallsyms(void)
{
	const struct elfimg_sym *offs = find_sym("kallsyms_offsets");
	uint32_t n = get_le(img.image + find_sym("kallsyms_num_syms")->img_off, 4);
	uint64_t base = get_le(img.image + find_sym("kallsyms_relative_base")->img_off, 8);

	for (int percpu = 0; percpu <= 1; percpu++) {
		for (uint32_t i = 0; i + 1 < n; i++) {
			uint8_t *a = img.image + offs->img_off + 4ull * i;
			const struct elfimg_sym *f =
				func_named_at(kallsyms_addr(get_le(a, 4), base, percpu));
			if (!f || get_le(a, 4) == get_le(a + 4, 4))
				continue;
			uint8_t swapped[8];
			memcpy(swapped, a + 4, 4);
			memcpy(swapped + 4, a, 4);
			write_bytes(offs->img_off + 4ull * i, swapped, 8);
			return f->name;
		}
	}
	die("%s: no kallsyms offset names a function", img.path);
}

/* Move the fixup of the first __ex_table entry by one byte. */
static const char *bend_extable(void)
{
	const struct elfimg_sym *start = find_sym("__start___ex_table");
	uint64_t e = start->img_off;
	uint64_t insn = elfimg_off(&img, start->value + (int32_t)get_le(img.image + e, 4));
	const struct elfimg_sym *f = func_at(insn);
	uint8_t fixup[4];

	if (!f)
		die("%s: the first __ex_table entry is in no function", img.path);
	put_le(fixup, 4, get_le(img.image + e + 4, 4) + 1);
	write_bytes(e + 4, fixup, 4);
	return f->name;
}

/* Bend the first 8-byte pointer into a function in section `name` by one byte. */
static const char *bend_pointer_in(const char *name)
{
	for (size_t i = 1; i < img.nr_secs; i++) {
		GElf_Shdr sh;
		elfimg_shdr(&img, i, &sh);
		if (strcmp(elfimg_secname(&img, i), name) || img.sec_off[i] == ELFIMG_NO_OFF)
			continue;
		for (uint64_t o = img.sec_off[i]; o + 8 <= img.sec_off[i] + sh.sh_size; o += 8) {
			uint64_t target = elfimg_off(&img, get_le(img.image + o, 8));
			const struct elfimg_sym *f = target == ELFIMG_NO_OFF ? NULL : func_at(target);
			if (!f)
				continue;
			uint8_t p[8];
			put_le(p, 8, get_le(img.image + o, 8) + 1);
			write_bytes(o, p, 8);
			return f->name;
		}
	}
	return NULL;
}

/* A jump table entry in .rodata, or else a function pointer in .data. */
static const char *bend_data_pointer(void)
{
	const char *name = bend_pointer_in(".rodata");

	if (!name)
		name = bend_pointer_in(".data");
	if (!name)
		die("%s: no pointer to a function in .rodata or .data", img.path);
	return name;
}

/* Add 16 to the s32 at NAME+OFF, NAME a symbol or else a section (for code without symbols). */
static const char *bend_s32(const char *where)
{
	char name[200];
	long off = 0;
	uint64_t at = ELFIMG_NO_OFF;

	if (sscanf(where, "%199[^+]+%li", name, &off) < 1)
		die("add32 wants NAME+OFF, not %s", where);
	for (size_t i = 1; i < img.nr_syms && at == ELFIMG_NO_OFF; i++)
		if (!strcmp(img.syms[i].name, name) && img.syms[i].img_off != ELFIMG_NO_OFF)
			at = img.syms[i].img_off;
	for (size_t i = 1; i < img.nr_secs && at == ELFIMG_NO_OFF; i++)
		if (!strcmp(elfimg_secname(&img, i), name))
			at = img.sec_off[i];
	if (at == ELFIMG_NO_OFF)
		die("%s has no symbol or section %s", img.path, name);
	uint8_t v[4];
	put_le(v, 4, get_le(img.image + at + off, 4) + 16);
	write_bytes(at + off, v, 4);
	return where;
}

int main(int argc, char **argv)
{
	host_tool = "corrupt";
	if (argc == 4 && !strcmp(argv[2], "add32")) {
		elfimg_load(&img, argv[1]);
		printf("%s\n", bend_s32(argv[3]));
		elfimg_free(&img);
		return 0;
	}
	if (argc != 3)
		die("usage: corrupt ELF call|insn|kallsyms|extable|pointer\n"
		    "       corrupt ELF add32 NAME+OFF   (NAME: a symbol, or a section)");
	elfimg_load(&img, argv[1]);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		die("capstone: cannot open");
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	const char *mode = argv[2], *name;
	if (!strcmp(mode, "call"))
		name = each_insn(bend_call)->name;
	else if (!strcmp(mode, "insn"))
		name = each_insn(change_register)->name;
	else if (!strcmp(mode, "kallsyms"))
		name = swap_kallsyms();
	else if (!strcmp(mode, "extable"))
		name = bend_extable();
	else if (!strcmp(mode, "pointer"))
		name = bend_data_pointer();
	else
		die("unknown mode %s", mode);
	printf("%s\n", name);
	cs_close(&cs);
	elfimg_free(&img);
	return 0;
}
