# altinstr.s: code without symbols outside the regions (.altinstr_replacement) that calls moved functions (test image for fgk-verify).
#
# The units are 16 bytes, 16-aligned: every order fits, and the region ends
# where .altinstr_replacement starts, one past the last unit's end; the
# table entry pointing there means that section, not the end of the unit.

	.section .text.keep_entry,"ax",@progbits
	.globl	_start
_start:	ret

	.macro	func name, body:vararg
	.section .text.\name,"ax",@progbits
	.p2align 4
	.globl	\name
	.type	\name, @function
\name:	\body
	ret
	.size	\name, . - \name
	.fill	15 - (. - \name), 1, 0xcc
	.endm

	func	pad_fn, nop
	func	target_fn, movl $3, %eax
	func	orig_fn, .byte 0x90, 0x90, 0x90, 0x90, 0x90

	.section .altinstr_replacement,"ax",@progbits
.Lrepl:	call	target_fn
	jmp	pad_fn

	.section .altinstructions,"a",@progbits
	.long	orig_fn - .
	.long	.Lrepl - .

	.section .note.GNU-stack,"",@progbits
