# pfn_align.s: PFN_ALIGN(_text) as mark_rodata_ro() computes it: _text + 0xfff, then masked; the sum lands inside a moved function (test image for fgk-verify).
#
# clang emits `mov $_text + 0xfff, %reg` (R_X86_64_32S against _text, addend
# 0xfff); fgk-mkmap keeps it with _text, a fixed marker, and so must the
# verifier, whichever function happens to lie at _text + 0xfff.

	.section .text.keep_head,"ax",@progbits
	.globl	_start
_start:	movq	$_text + 0xfff, %rax
	andq	$-0x1000, %rax
	call	big1
	ret

	.macro	big n
	.section .text.big\n,"ax",@progbits
	.globl	big\n
	.type	big\n, @function
	.p2align 4
big\n:
	.fill	0x7f0, 1, 0x90
	ret
	.size	big\n, . - big\n
	.endm

	big 1
	big 2
	big 3

	.section .note.GNU-stack,"",@progbits
