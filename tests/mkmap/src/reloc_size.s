# reloc_size.s: a relocation type fgk-mkmap does not know how to move (test image for fgk-mkmap).

	.text
	.globl _start
_start:	ret

	.data
	.globl small
small:	.long 0
	.reloc small, R_X86_64_SIZE32, _start	# the size of _start

	.section .note.GNU-stack,"",@progbits
