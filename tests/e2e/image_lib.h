/* image_lib.h: freestanding helpers for the generated e2e image sources (exception-table loads). */
#ifndef E2E_IMAGE_LIB_H
#define E2E_IMAGE_LIB_H

#include "image_abi.h"

typedef unsigned long u64;

/*
 * A load that may fault, as the kernel's uaccess helpers: label 1 is the
 * faulting instruction, the __ex_table entry names it and a fixup. The
 * entry's fields are self-relative, so they stay right when the whole
 * image moves and must be fixed when the function moves alone.
 */
#define E2E_EX_ENTRY(insn, fixup, data)					\
	".pushsection __ex_table,\"a\"\n"				\
	".balign 4\n"							\
	".long (" insn ") - .\n"					\
	".long (" fixup ") - .\n"					\
	".long " data "\n"						\
	".popsection\n"

/* Fixup code lives in a cold section and jumps back (kernel .fixup style). */
static inline __attribute__((always_inline)) u64 ex_load_jump(const u64 *p, long *err)
{
	u64 val;

	asm volatile("1: movq (%[p]), %[val]\n"
		     "2:\n"
		     ".pushsection .text.unlikely.ex_fixup,\"ax\"\n"
		     "3: movq %[efault], %[err]\n"
		     "xorl %k[val], %k[val]\n"
		     "jmp 2b\n"
		     ".popsection\n"
		     E2E_EX_ENTRY("1b", "3b", "%c[type]")
		     : [val] "=r" (val), [err] "+r" (*err)
		     : [p] "r" (p), [efault] "i" (-E2E_EFAULT),
		       [type] "i" (E2E_EX_TYPE_JUMP)
		     : "memory");
	return val;
}

/* The handler sets rax to -EFAULT and resumes right after the load. */
static inline __attribute__((always_inline)) long ex_load_rax(const u64 *p)
{
	long val;

	asm volatile("1: movq (%[p]), %[val]\n"
		     "2:\n"
		     E2E_EX_ENTRY("1b", "2b", "%c[type]")
		     : [val] "=a" (val)
		     : [p] "r" (p), [type] "i" (E2E_EX_TYPE_EFAULT_RAX)
		     : "memory");
	return val;
}

/*
 * A one-byte nop whose address goes into .e2e_sites as a self-relative
 * s32, like the kernel's .retpoline_sites or .call_sites: an unsorted list
 * that every move must keep pointing at its instruction.
 */
#define E2E_SITE_MARK()							\
	asm volatile("1: nop\n"						\
		     ".pushsection .e2e_sites, \"a\"\n"			\
		     ".balign 4\n"						\
		     ".long 1b - .\n"						\
		     ".popsection")

#endif /* E2E_IMAGE_LIB_H */
