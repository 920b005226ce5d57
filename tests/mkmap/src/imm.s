# imm.s: rel32 fields followed by immediates, and targets on unit edges (test image for fgk-mkmap).
#
#   .data:  | a (4) | b (4) | padding (8) | c (4) |
#           ^a      ^a_end=b ^b_end        ^c

	.section .data.a,"aw",@progbits
	.p2align 2
	.globl a, a_end
a:	.long 1
a_end:

	.section .data.b,"aw",@progbits
	.p2align 2
	.globl b, b_end
b:	.long 2
b_end:

	.section .data.c,"aw",@progbits
	.p2align 4
	.globl c
c:	.long 3

	.section .text.f,"ax",@progbits
	.globl _start
_start:
	cmpl $0x12345678, b(%rip)	# A = -8: S + A + 4 is inside a
	cmpb $1, b(%rip)		# A = -5
	movw $7, b(%rip)		# A = -6
	cmpl $0x12345678, a_end(%rip)	# a_end == b: b's unit (half-open)
	cmpl $0x12345678, b_end(%rip)	# one past b, in padding: b's unit
	movl a(%rip), %eax
	ret

	.section .note.GNU-stack,"",@progbits
