# kinds.s: two functions in one input section, and one reference of each kind (test image for fgk-mkmap).

	.section .text.two,"ax",@progbits
	.globl two_a, two_b
	.p2align 4
two_a:	call two_b		# a global: gas emits PLT32, but within one unit
	jmp 1f			# a local label: no relocation at all
1:	leaq two_b(%rip), %rax
	ret
two_b:	call two_a
	ret

	.section .text.other,"ax",@progbits
	.globl other, _start
	.p2align 4
_start:
other:	call two_b		# PLT32 -> the other unit
	leaq two_a(%rip), %rax	# PC32
	movq $two_a, %rax	# 32S
	movl $two_b, %eax	# 32
	movq $abs_sym, %rax	# 32S to an absolute symbol: no base relocation
	call weak_undef		# PLT32 to an undefined weak symbol (0)
	addq two_a@GOTPCREL(%rip), %rax	# not relaxable: PC32 to a GOT slot holding two_a
	ret

	.data
	.globl ptrs
ptrs:	.quad two_a		# 64
	.quad other + 3		# 64 with addend
	.long two_b - .		# PC32 in data: S + A is the target
	.quad other - .		# PC64 in data
	.quad weak_undef	# 64 to an undefined weak symbol: no base relocation

	.weak weak_undef
	.globl abs_sym
	.set abs_sym, 0x1234

	.section .note.GNU-stack,"",@progbits
