# regions_tail.s: functions before and after the region's end= (test image for fgk-mkmap; layout in regions_tail.lds).

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
	func a, 4, call tail		# out of the region
	func b, 4, call a
	func tail, 4, call b		# into the region
	.globl mid_tail
mid_tail:
	ret

	.section .note.GNU-stack,"",@progbits
