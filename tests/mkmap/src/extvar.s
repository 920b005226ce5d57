# extvar.s: a variable in a shared library (test input for fgk-mkmap: a PIE needing a symbolic dynamic relocation).

	.data
	.globl ext_var
	.type ext_var, @object
	.size ext_var, 4
ext_var: .long 1

	.section .note.GNU-stack,"",@progbits
