# padding.s: addresses computed past a symbol into region padding, and values outside the image from a symbol (test image for fgk-verify).
#
#   .text:  | keep (64: head) | a (1, fa) | pad (63) | b (user) |
#   head + 72 is in a's padding but computed from the kept head: it stays
#   (PFN_ALIGN(_text) is _text + 0xfff); fa + 8 follows fa. head - BASE is no
#   address in the image (like _text - __START_KERNEL_map): base KASLR moves it.

	.section .text.keep_head,"ax",@progbits
	.p2align 6
	.globl	_start, head
_start:
head:	ret
	.fill	63, 1, 0xcc

	.section .text.a,"ax",@progbits
	.p2align 6
	.globl	fa
	.type	fa, @function
fa:	ret
	.size	fa, . - fa

	.section .text.b,"ax",@progbits
	.p2align 6
	.globl	user
	.type	user, @function
user:	movq	$head + 72, %rax
	leaq	fa + 8(%rip), %rbx
	movq	$fa + 8, %rcx
	movq	$head - BASE, %rdx
	movabsq	$head - BASE, %rsi
	ret
	.size	user, . - user

	.section .data.vals,"aw",@progbits
	.globl	vals
vals:	.quad	head + 72
	.quad	head - BASE

	.section .note.GNU-stack,"",@progbits
