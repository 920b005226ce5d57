# got.s: GOT-relative loads, one the linker relaxes and one it cannot (test image for fgk-mkmap).

	.section .text.gotuser,"ax",@progbits
	.globl gotuser
	.p2align 4
gotuser:
	movq foo@GOTPCREL(%rip), %rax	# relaxed to lea: PC32 to foo
	addq foo@GOTPCREL(%rip), %rax	# not relaxable: PC32 to the GOT slot, which holds foo
	ret

	.section .note.GNU-stack,"",@progbits
