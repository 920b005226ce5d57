# outside.s: absolute values computed from a symbol but outside the image (__pa_symbol(f) = f - BASE) (test image for fgk-mkmap).
#
# The image is linked at 0x400000, so f - 0x400000 is no address in it,
# yet it moves with f. With SECSYM a local label makes the assembler use a
# section symbol, which does not say which input section the value is from.

	.section .text.entry,"ax",@progbits
	.globl	_start
_start:	movq	$f - 0x400000, %rax		# R_X86_64_32S
	movl	$f - 0x400000, %eax		# R_X86_64_32
	movabsq	$f - 0x400000, %rbx		# R_X86_64_64
	leaq	f - 0x400000(%rip), %rsi	# R_X86_64_PC32
	movq	$fixed_fn - 0x400000, %rcx	# in fixed code: stays
	movq	$datum - 0x400000, %rdx		# .data is no region: stays
	movq	$.Ldatum - 0x400000, %rdx	# the same, with a section symbol
	.ifdef SECSYM
	movq	$.Lf - 0x400000, %rsi		# section symbol in a region: refused
	.endif
	ret

	.irp	name, e, f, g
	.section .text.\name,"ax",@progbits
	.globl	\name
	.type	\name, @function
\name:	ret
	.size	\name, 1
	.endr
	.section .text.f,"ax",@progbits
.Lf:	ret

	.section .text.keep_fixed,"ax",@progbits
	.globl	fixed_fn
fixed_fn: ret

	.data
	.globl	datum
datum:	.quad	1
.Ldatum: .quad	2

	.section .note.GNU-stack,"",@progbits
