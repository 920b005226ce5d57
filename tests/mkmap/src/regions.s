# regions.s: functions for fixed, kept and block ranges (test image for fgk-mkmap; layout in regions.lds).

	.macro func name, align, body:vararg
	.section .text.\name,"ax",@progbits
	.p2align \align
	.globl \name
\name:	\body
	ret
	.endm

	.text
	.globl _start
_start:	call a
	func a, 4, call c		# into the fixed range
	func b, 4, nop
	func c, 4, call a		# out of the fixed range
	.globl mid_c
mid_c:	ret
	func d, 4, call keepme
	func keepme, 4, call d
	func e, 6, call f		# inside the block: one unit
	func f, 4, call e
	func g, 4, call e

	.section .note.GNU-stack,"",@progbits
