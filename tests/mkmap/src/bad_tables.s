# bad_tables.s: a table not sorted by key, and one with a key in region padding (test image for fgk-mkmap).

	.section .text.f1,"ax",@progbits
	.p2align 4
	.globl f1, _start
_start:
f1:	nop
	ret
f1_end:
	.section .text.f2,"ax",@progbits
	.p2align 4
	.globl f2
f2:	ret

	.section .unsorted,"a",@progbits
	.p2align 2
	.globl uns_start, uns_end
uns_start:
	.long f2 - .
	.long f1 - .
uns_end:

	.section .padkey,"a",@progbits
	.p2align 2
	.globl pad_start, pad_end
pad_start:
	.long f1 - .
	.long f1_end + 3 - .	# inside the padding between f1 and f2
pad_end:

	.section .note.GNU-stack,"",@progbits
