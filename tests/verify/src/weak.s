# weak.s: identical units without a symbol (overridden weak stubs, as sys_ni.c's) that only site tables name (test image for fgk-verify).
#
# Each stub calls `common` (a unit) and jumps to `thunk` (kept): every copy
# fits at every other copy's place, so only the tables say which is which.

	.section .text.keep_entry,"ax",@progbits
	.globl	_start, thunk
_start:	ret
thunk:	ret

	.section .text.common,"ax",@progbits
	.globl	common
	.type	common, @function
common:	movl	$1, %eax
	ret
	.size	common, . - common

	.macro	stub n
	.section .text.stub\n,"ax",@progbits
	.p2align 4
	endbr64
.Lcall\n:
	call	common
	movq	$-38, %rax
.Lret\n:
	jmp	thunk
	.section .call_sites,"a",@progbits
	.long	.Lcall\n - .
	.section .return_sites,"a",@progbits
	.long	.Lret\n - .
	.endm

	stub 1
	stub 2
	stub 3
	stub 4
	stub 5
	stub 6

	.section .data.ptrs,"aw",@progbits
	.globl	stub_ptr
stub_ptr:
	.quad	.Lcall3

	.section .note.GNU-stack,"",@progbits
