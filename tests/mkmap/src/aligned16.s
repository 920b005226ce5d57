# aligned16.s: eight 16-byte functions aligned to 16 and one of 5 bytes aligned to 1 (test image for fgk-mkmap's worst-case bound).

	.macro func name, align
	.section .text.\name,"ax",@progbits
	.p2align \align
	.globl \name
\name:	.fill 15, 1, 0x90
	ret
	.endm

	.text
	.globl _start
_start:	call f1
	ret
	func f1, 4
	func f2, 4
	func f3, 4
	func f4, 4
	func f5, 4
	func f6, 4
	func f7, 4
	func f8, 4

	.section .note.GNU-stack,"",@progbits
