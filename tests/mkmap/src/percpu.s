# percpu.s: references to and from a zero-based per-CPU section (test image for fgk-mkmap).

	.section .data..percpu,"aw",@progbits
	.p2align 3
	.globl pcvar
pcvar:	.quad 0
	.quad f2			# a site in the per-CPU section: ABS64 at its load address

	.section .text.f,"ax",@progbits
	.globl _start
_start:
	movq %gs:pcvar, %rax		# 32S to a per-CPU symbol: no base relocation
	leaq pcvar(%rip), %rax		# PC32 to a per-CPU symbol from outside: INV32
	movq $f2, %rax			# 32S: ABS32
	ret

	.section .text.f2,"ax",@progbits
	.globl f2
f2:	ret

	.data
	.quad pcvar			# 64 to a per-CPU symbol: no base relocation
	.quad f2			# 64: ABS64

	.section .note.GNU-stack,"",@progbits
