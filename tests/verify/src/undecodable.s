# undecodable.s: instructions capstone 4 does not know (AMX, PKU) before calls and RIP-relative operands (test image for fgk-verify).
#
# After c4 e2 78 49 c0 (tilerelease) capstone 4 would go on at e2 78 (loop)
# and 49 c0 e8 .. (shr r8b, imm8), taking a byte of the call's field.

	.section .text.keep_entry,"ax",@progbits
	.globl	_start
_start:	ret

	.section .text.helper,"ax",@progbits
	.globl	helper
	.type	helper, @function
helper:	movl	$2, %eax
	ret
	.size	helper, . - helper

	.section .text.amx_idle,"ax",@progbits
	.globl	amx_idle
	.type	amx_idle, @function
amx_idle:
	tilerelease
	call	helper
	rdpkru
	leaq	helper(%rip), %rax
	call	*%rax
	ret
	.size	amx_idle, . - amx_idle

	.section .text.after,"ax",@progbits
	.globl	after
	.type	after, @function
after:	call	helper
	ret
	.size	after, . - after

	.section .note.GNU-stack,"",@progbits
