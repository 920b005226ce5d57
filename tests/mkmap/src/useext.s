# useext.s: a pointer to a shared library's variable: R_X86_64_64 against a symbol in .rela.dyn (test image for fgk-mkmap).

	.text
	.globl _start
_start:	ret

	.data
	.quad ext_var

	.section .note.GNU-stack,"",@progbits
