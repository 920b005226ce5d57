# dup.s: two input sections of one name and size (section groups do this), different alignments (test image for fgk-mkmap).

	.section .text.dup,"ax",@progbits,unique,1
	.p2align 5
	.globl dup_one
dup_one: ret

	.section .text.dup,"ax",@progbits,unique,2
	.p2align 3
	.globl dup_two
dup_two: ret

	.text
	.weak _start			# so that another _start may win
_start:	call dup_one
	call dup_two
	ret

	.section .note.GNU-stack,"",@progbits
