# pad.s: addresses computed into region padding, past a named symbol and (BAD) past a section start (test image for fgk-mkmap).
#
#   .data:  | a (4) | pad (12) | c (4) |

	.section .data.a,"aw",@progbits
	.p2align 2
	.globl a
a:	.long 1
.La_local:
	.section .data.c,"aw",@progbits
	.p2align 4
	.globl c
c:	.long 3

	.section .text.f,"ax",@progbits
	.globl _start
_start:
	leaq a+6(%rip), %rax		# padding, past the named a: a's unit
	movq $a+8, %rbx			# the same as an absolute
	ret

	.ifdef BAD
	.section .text.g,"ax",@progbits
	.globl g
g:	leaq .La_local+2(%rip), %rax	# padding, relative to the section: refused
	ret
	.endif

	.section .note.GNU-stack,"",@progbits
