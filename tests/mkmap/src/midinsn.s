# midinsn.s: a relocation into the middle of an instruction, near a unit edge (test image for fgk-mkmap).

	.section .text.u1,"ax",@progbits
	.p2align 4
	.globl _start
_start:	ret				# then padding up to u2

	.section .text.u2,"ax",@progbits
	.p2align 4
	.globl u2
u2:	movabs $0x1122334455667788, %rax	# 48 b8 imm64
	ret
	# A PC32 inside the imm64; u2 - 6 + 4 + k is padding for k = 0, u2 for k = 4
	.reloc u2 + 4, R_X86_64_PC32, u2 - 6

	.section .note.GNU-stack,"",@progbits
