# percpu.s: addresses one past a segment's end, where a zero-based per-CPU segment loads (test image for fgk-verify).
#
# __per_cpu_load is one past .data's segment and the image offset where the
# per-CPU segment starts: base KASLR moves it with .data (relocs.c), not as
# per-CPU. Linked with percpu.lds.

	.section .data..percpu,"aw",@progbits
	.p2align 3
	.globl	pcvar
pcvar:	.quad	0

	.section .text.keep_entry,"ax",@progbits
	.globl	_start
_start:	movq	$__per_cpu_load, %rax
	movq	%gs:pcvar, %rbx
	leaq	pcvar(%rip), %rcx
	call	f1
	ret

	.irp	name, f1, f2, f3
	.section .text.\name,"ax",@progbits
	.globl	\name
	.type	\name, @function
\name:	call	f1
	ret
	.size	\name, . - \name
	.endr

	.data
	.globl	load_ptr
load_ptr:
	.quad	__per_cpu_load
	.quad	f2

	.section .note.GNU-stack,"",@progbits
