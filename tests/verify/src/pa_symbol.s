# pa_symbol.s: __pa_symbol(f) of a function in a moved unit: f - BASE is no address in the image, yet moves with f (test image for fgk-verify).
#
# fgk-mkmap gives such a reference f's unit as target (S + A is outside the
# image, but the symbol is in a unit). Not in the 6.12 test kernel (its
# __pa_symbol()s name fixed code and data).

	.section .text.keep_entry,"ax",@progbits
	.globl	_start
_start:	movq	$f - BASE, %rax
	movabsq	$f - BASE, %rbx
	ret

	.irp	name, e, f, g, h
	.section .text.\name,"ax",@progbits
	.globl	\name
	.type	\name, @function
\name:	ret
	.size	\name, 1
	.endr

	.section .note.GNU-stack,"",@progbits
