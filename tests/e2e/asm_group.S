/* asm_group.S: hand-written functions sharing one .text section (one unit), plus __fentry__. */
#include "image_abi.h"

/*
 * The functions below call each other through local labels, which the
 * assembler resolves without relocations: the section must move
 * as one unit or these calls break. e2e_asm_dispatch also jumps through a
 * data table of labels inside the section (absolute, not at its start), and
 * e2e_asm_mix calls out into C.
 */
	.text

	.p2align 4
	.globl	e2e_asm_a
	.type	e2e_asm_a, @function
e2e_asm_a:			/* a(x) = 3 * b(x + 1) + d(x) */
.La:
	pushq	%rbx
	pushq	%rdi
	incq	%rdi
	call	.Lb
	leaq	(%rax,%rax,2), %rbx
	popq	%rdi
	call	.Ld
	addq	%rbx, %rax
	popq	%rbx
	ret
	.size	e2e_asm_a, . - e2e_asm_a

	.globl	e2e_asm_b
	.type	e2e_asm_b, @function
e2e_asm_b:			/* b(x) = c(2x + 5), a tail jump */
.Lb:
	leaq	5(%rdi,%rdi), %rdi
	jmp	.Lc
	.size	e2e_asm_b, . - e2e_asm_b

	.p2align 3
	.globl	e2e_asm_c
	.type	e2e_asm_c, @function
e2e_asm_c:			/* c(x) = x odd ? d(x) ^ 0x5a : rotl(x, 13) */
.Lc:
	testb	$1, %dil
	jz	1f
	call	.Ld
	xorq	$0x5a, %rax
	ret
1:	movq	%rdi, %rax
	rolq	$13, %rax
	ret
	.size	e2e_asm_c, . - e2e_asm_c

	.globl	e2e_asm_d
	.type	e2e_asm_d, @function
e2e_asm_d:			/* d(x) = x * golden ratio, upper bits folded in */
.Ld:
	movabsq	$0x9e3779b97f4a7c15, %rax
	imulq	%rdi, %rax
	movq	%rax, %rdx
	shrq	$29, %rdx
	xorq	%rdx, %rax
	ret
	.size	e2e_asm_d, . - e2e_asm_d

	.globl	e2e_asm_dispatch
	.type	e2e_asm_dispatch, @function
e2e_asm_dispatch:		/* dispatch(x) = table[x & 3](x >> 2) */
	movq	%rdi, %rax
	andl	$3, %eax
	shrq	$2, %rdi
	leaq	.Lasm_table(%rip), %rdx
	jmp	*(%rdx,%rax,8)
	.size	e2e_asm_dispatch, . - e2e_asm_dispatch

	.globl	e2e_asm_mix
	.type	e2e_asm_mix, @function
e2e_asm_mix:			/* mix(x) = e2e_c_leaf(a(x), 2) + c(x) */
	pushq	%rbx
	pushq	%rdi
	subq	$8, %rsp		/* C callee: 16-byte aligned stack */
	call	.La
	movq	%rax, %rdi
	movl	$2, %esi
	call	e2e_c_leaf
	movq	%rax, %rbx
	movq	8(%rsp), %rdi
	call	.Lc
	addq	%rbx, %rax
	addq	$16, %rsp
	popq	%rbx
	ret
	.size	e2e_asm_mix, . - e2e_asm_mix

	.section .data.e2e_asm_table, "aw"
	.p2align 3
.Lasm_table:
	.quad	.La, .Lb, .Lc, .Ld

/* The mcount hook -pg calls at every C function's entry; a unit of its own. */
	.section .text.__fentry__, "ax"
	.p2align 4
	.globl	__fentry__
	.type	__fentry__, @function
__fentry__:
	ret
	.size	__fentry__, . - __fentry__

	.section e2e_entries, "aw"
	.p2align 5		/* struct e2e_entry */
	.quad	e2e_asm_a
	.long	9000, E2E_KIND_ASM
	.quad	0, 0
	.quad	e2e_asm_b
	.long	9001, E2E_KIND_ASM
	.quad	0, 0
	.quad	e2e_asm_c
	.long	9002, E2E_KIND_ASM
	.quad	0, 0
	.quad	e2e_asm_d
	.long	9003, E2E_KIND_ASM
	.quad	0, 0
	.quad	e2e_asm_dispatch
	.long	9004, E2E_KIND_ASM
	.quad	0, 0
	.quad	e2e_asm_mix
	.long	9005, E2E_KIND_ASM
	.quad	0, 0

	.section .note.GNU-stack, "", @progbits
